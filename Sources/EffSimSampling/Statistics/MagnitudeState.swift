import CBinning
import EffSimCore
import EffSimModel
import Foundation

/// The values of one sign of a metric, kept as the natural logs of their magnitudes: a fine
/// histogram, the extremes and counts above and below log-scale levels.
///
/// `MetricState` holds one for its positive values and one for its negative ones (whose
/// magnitudes mirror them). Memory does not grow with the trial count, and every field merges
/// exactly (integer sums, min and max), so a run split over threads or shards gives
/// bit-identical state.
public struct MagnitudeState: Sendable, Equatable {
    /// The number of values of this sign.
    public var count = 0
    /// Their logs (of magnitudes) in fine bins.
    public var histogram = LogHistogram()
    /// The log of the smallest magnitude (+infinity when there is none).
    public var minLog = Double.infinity
    /// The log of the largest magnitude (-infinity when there is none).
    public var maxLog = -Double.infinity
    /// above[j] = number of values with log > levels.above[j].
    public var above: [Int]
    /// below[j] = number of values with log < levels.below[j].
    public var below: [Int]
    /// The sampling loop's 32-bit counters, drained into `histogram` by `flush()`.
    var recent = BinCounts()

    /// No values yet, with a zero count for each of `levels`.
    public init(levels: LogLevels) {
        above = Array(repeating: 0, count: levels.above.count)
        below = Array(repeating: 0, count: levels.below.count)
    }

    /// A side with the given contents (a state file's, once checked).
    public init(count: Int, histogram: LogHistogram, minLog: Double, maxLog: Double, above: [Int], below: [Int]) {
        self.count = count
        self.histogram = histogram
        self.minLog = minLog
        self.maxLog = maxLog
        self.above = above
        self.below = below
    }

    /// Values within 10^±40 go through the dense 32-bit counters; a block reaching beyond goes
    /// straight to the paged 64-bit histogram (no efficiency factor lives there, and it keeps a
    /// stray draw from stretching the dense counters over hundreds of decades).
    static let denseLimit = 40 * LogHistogram.binsPerDecade

    /// Adds a block of natural-log values. This is the sampling loop's hot path: one pass bins
    /// each value and tracks the extremes (`BinCounts.add(prefixOf:)`), stopping only at a value
    /// outside the counters' span, which widens it, or beyond 10^±40, which goes straight to the
    /// paged 64-bit histogram (no efficiency factor lives there, and it keeps a stray draw from
    /// stretching the dense counters over hundreds of decades).
    ///
    /// Threshold counts stay exact without comparing every value with every level: a level in
    /// fine bin b splits the values into those in bins above b, those below, and those in b itself.
    /// The first two are summed from the counters when they are drained (`flush`); only a block
    /// that put values into bin b is scanned for them. Bin b holds 1/20,480 of a decade, so most
    /// blocks skip the scan.
    ///
    /// A first block of at most `directLimit` values (a small run's only block) skips the
    /// counters: its values go to the histogram in bin order and are compared with each level.
    public mutating func add(logs: UnsafeBufferPointer<Double>, levels: LogLevels) {
        let n = logs.count
        guard n > 0 else { return }
        count += n
        if n <= Self.directLimit && recent.pending == 0 {
            addDirectly(logs, levels: levels)
            return
        }
        if recent.capacity < n { drain(levels) }
        let na = levels.aboveBins.count
        let nb = levels.belowBins.count
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: na + nb) { before in
            for j in 0..<na { before[j] = recent.count(bin: levels.aboveBins[j]) }
            for j in 0..<nb { before[na + j] = recent.count(bin: levels.belowBins[j]) }
            var lo = minLog
            var hi = maxLog
            let limit = Double(Self.denseLimit) / LogHistogram.scale
            var i = 0
            while true {
                i += recent.add(prefixOf: UnsafeBufferPointer(rebasing: logs[i...]), lo: &lo, hi: &hi)
                guard i < n else { break }
                let l = logs[i]
                precondition(!l.isNaN, "MagnitudeState.add(logs:) given NaN")
                if l >= -limit && l < limit {
                    // Widen once for the rest of the block: over its extremes within 10^±40.
                    var low = l
                    var high = l
                    for x in logs[i...] where x >= -limit && x < limit {
                        low = Swift.min(low, x)
                        high = Swift.max(high, x)
                    }
                    recent.cover(LogHistogram.bin(ofLog: low)...LogHistogram.bin(ofLog: high))
                    continue
                }
                // Beyond 10^±40: straight to the 64-bit histogram, compared with every level.
                histogram.add(log: l, count: 1)
                for (j, level) in levels.above.enumerated() where l > level { above[j] &+= 1 }
                for (j, level) in levels.below.enumerated() where l < level { below[j] &+= 1 }
                lo = Swift.min(lo, l)
                hi = Swift.max(hi, l)
                i += 1
            }
            minLog = lo
            maxLog = hi
            // A paged value never lies in a bin the counters hold, so these scans count only
            // values that went through the counters.
            func inBin(_ b: Int, _ level: Double, above: Bool) -> Int {
                effsim_count_in_bin(
                    logs.baseAddress, n, LogHistogram.scale, Double(LogHistogram.bias), Int64(b), level, above ? 1 : 0)
            }
            for (j, b) in levels.aboveBins.enumerated() where recent.count(bin: b) != before[j] {
                above[j] &+= inBin(b, levels.above[j], above: true)
            }
            for (j, b) in levels.belowBins.enumerated() where recent.count(bin: b) != before[na + j] {
                below[j] &+= inBin(b, levels.below[j], above: false)
            }
        }
    }

    /// A first block of at most this many values (a small run's only one) goes straight to the
    /// histogram: dense counters over its span would cost more to clear than the values to count.
    static let directLimit = 4096

    /// Adds a small block to the histogram in increasing order of bin, comparing each value with
    /// each level: the same counts as the dense counters give.
    private mutating func addDirectly(_ logs: UnsafeBufferPointer<Double>, levels: LogLevels) {
        precondition(!logs.contains { $0.isNaN }, "MagnitudeState.add(logs:) given NaN")
        var bins = logs.map(LogHistogram.bin(ofLog:))
        bins.sort()
        var i = 0
        while i < bins.count {
            var j = i + 1
            while j < bins.count && bins[j] == bins[i] { j += 1 }
            histogram.add(bin: bins[i], count: j - i)
            i = j
        }
        for (j, level) in levels.above.enumerated() { above[j] &+= logs.count { $0 > level } }
        for (j, level) in levels.below.enumerated() { below[j] &+= logs.count { $0 < level } }
        minLog = Swift.min(minLog, logs.min()!)
        maxLog = Swift.max(maxLog, logs.max()!)
    }

    /// Moves the sampling loop's counters into `histogram`, adding the values in bins wholly
    /// above or below each level to the threshold counts.
    mutating func drain(_ levels: LogLevels) {
        let around = recent.countsAround(bins: levels.aboveBins + levels.belowBins)
        for j in levels.aboveBins.indices { above[j] &+= around[j].above }
        for j in levels.belowBins.indices { below[j] &+= around[levels.aboveBins.count + j].below }
        recent.drain(into: &histogram)
    }

    /// Adds another part of the same side; both must be flushed.
    mutating func merge(_ other: MagnitudeState) {
        precondition(recent.pending == 0 && other.recent.pending == 0, "merge of an unflushed MagnitudeState")
        count &+= other.count
        histogram.merge(other.histogram)
        minLog = Swift.min(minLog, other.minLog)
        maxLog = Swift.max(maxLog, other.maxLog)
        for j in above.indices { above[j] &+= other.above[j] }
        for j in below.indices { below[j] &+= other.below[j] }
    }

    /// Estimates of the order statistics (0-based ranks, any order) as natural logs.
    ///
    /// Rank 0 and rank count-1 are the exact minimum and maximum; ranks below `atMinimum` (draws
    /// raised to a floor) are exactly the minimum; every other rank is its bin's geometric
    /// centre, kept inside [min, max]. Error: at most 5.62e-5 relative (half a fine bin).
    public func orderStatisticLogs(ranks: [Int], atMinimum: Int = 0) -> [Double] {
        var result = Array(repeating: 0.0, count: ranks.count)
        let order = ranks.indices.sorted { ranks[$0] < ranks[$1] }
        var cumulative = 0
        let bins = histogram.nonEmptyBins
        var i = 0
        for o in order {
            let r = ranks[o]
            if r <= 0 || r < atMinimum {
                result[o] = minLog
                continue
            }
            if r >= count - 1 {
                result[o] = maxLog
                continue
            }
            while i < bins.count && cumulative + bins[i].count <= r {
                cumulative += bins[i].count
                i += 1
            }
            let centre = LogHistogram.centreLog(ofBin: bins[Swift.min(i, bins.count - 1)].bin)
            result[o] = Swift.min(Swift.max(centre, minLog), maxLog)
        }
        return result
    }

    /// Sums of exp(a + b log x) and of its square over the side's values: each value counts as
    /// its bin's centre (kept inside [min, max]), the `atMinimum` draws raised to a floor as
    /// the minimum exactly. Relative error at most 5.62e-5 * |b| (twice that for the squares).
    func sums(a: Double, b: Double, atMinimum: Int) -> (sum: Double, sumSquares: Double) {
        let floorValue = exp(a + b * minLog)
        var sum = Double(atMinimum) * floorValue
        var sumSquares = Double(atMinimum) * floorValue * floorValue
        var atomsLeft = atMinimum
        let floorBin = LogHistogram.bin(ofLog: minLog)
        for (bin, count) in histogram.nonEmptyBins {
            var c = count
            if bin == floorBin && atomsLeft > 0 {
                let taken = Swift.min(c, atomsLeft)
                c -= taken
                atomsLeft -= taken
            }
            if c == 0 { continue }
            let l = Swift.min(Swift.max(LogHistogram.centreLog(ofBin: bin), minLog), maxLog)
            let v = exp(a + b * l)
            sum += Double(c) * v
            sumSquares += Double(c) * v * v
        }
        return (sum, sumSquares)
    }
}

/// The log-scale levels one side of a metric counts its values' logs above and below.
public struct LogLevels: Sendable, Equatable {
    /// Levels l counted as log > l.
    public let above: [Double]
    /// Levels l counted as log < l.
    public let below: [Double]
    /// The fine bin of each level.
    let aboveBins: [Int]
    let belowBins: [Int]

    /// The levels, with their fine bins worked out once.
    public init(above: [Double] = [], below: [Double] = []) {
        self.above = above
        self.below = below
        aboveBins = above.map(LogHistogram.bin(ofLog:))
        belowBins = below.map(LogHistogram.bin(ofLog:))
    }
}
