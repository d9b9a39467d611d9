import Foundation

/// Everything the summary needs about one sampled quantity (a clamped factor or an output),
/// kept in natural logs: a fine histogram, the extremes, threshold counts and the floor count.
///
/// Memory does not grow with the trial count, and every field merges exactly (integer sums,
/// min and max), so a run split over threads or shards gives bit-identical state.
public struct MetricState: Sendable, Equatable {
    public var count = 0
    public var histogram = LogHistogram()
    public var minLog = Double.infinity
    public var maxLog = -Double.infinity
    /// Draws raised to the floor (factors only; 0 for outputs). These sit exactly at `minLog`.
    public var floorCount = 0
    /// above[j] = number of values with log > levels.above[j].
    public var above: [Int]
    /// below[j] = number of values with log < levels.below[j].
    public var below: [Int]
    /// The sampling loop's 32-bit counters, drained into `histogram` by `flush()`.
    var recent = BinCounts()

    public init(levels: ThresholdLevels) {
        above = Array(repeating: 0, count: levels.above.count)
        below = Array(repeating: 0, count: levels.below.count)
    }

    public init(count: Int, histogram: LogHistogram, minLog: Double, maxLog: Double, floorCount: Int, above: [Int], below: [Int]) {
        self.count = count
        self.histogram = histogram
        self.minLog = minLog
        self.maxLog = maxLog
        self.floorCount = floorCount
        self.above = above
        self.below = below
    }

    /// Beyond 10^±40 values share the edge bins: no efficiency factor lives there, and it keeps
    /// a stray draw near zero from growing the histogram without bound.
    static let binLimit = 40 * LogHistogram.binsPerDecade

    /// Adds a block of natural-log values. This is the sampling loop's hot path: the extremes are
    /// found four lanes at a time, then each value is binned without a call to floor().
    ///
    /// Threshold counts stay exact without comparing every value with every level: a level in
    /// fine bin b splits the values into those in bins above b, those below, and those in b itself.
    /// The first two are summed from the counters when they are drained (`flush`); only a block
    /// that put values into bin b is scanned for them. Bin b holds 1/20,480 of a decade, so most
    /// blocks skip the scan.
    public mutating func add(logs: UnsafeBufferPointer<Double>, levels: ThresholdLevels) {
        guard !logs.isEmpty else { return }
        let (lo, hi) = Self.extremes(logs)
        minLog = Swift.min(minLog, lo)
        maxLog = Swift.max(maxLog, hi)
        count += logs.count
        let limit = Double(Self.binLimit) / LogHistogram.scale
        guard lo >= -limit && hi < limit else {
            // Beyond 10^±40 (never for efficiency factors): straight to the 64-bit histogram, with
            // every value compared with every level.
            for l in logs { histogram.add(log: Swift.min(Swift.max(l, -limit), limit * 0.999_999), count: 1) }
            for (j, level) in levels.above.enumerated() { above[j] &+= logs.count { $0 > level } }
            for (j, level) in levels.below.enumerated() { below[j] &+= logs.count { $0 < level } }
            return
        }
        if recent.capacity < logs.count { drain(levels) }
        let aboveBefore = levels.aboveBins.map(recent.count(bin:))
        let belowBefore = levels.belowBins.map(recent.count(bin:))
        recent.add(logs: logs, minLog: lo, maxLog: hi)
        for (j, b) in levels.aboveBins.enumerated() where recent.count(bin: b) != aboveBefore[j] {
            let level = levels.above[j]
            above[j] &+= logs.count { LogHistogram.bin(ofLog: $0) == b && $0 > level }
        }
        for (j, b) in levels.belowBins.enumerated() where recent.count(bin: b) != belowBefore[j] {
            let level = levels.below[j]
            below[j] &+= logs.count { LogHistogram.bin(ofLog: $0) == b && $0 < level }
        }
    }

    /// Moves the sampling loop's counters into `histogram`, adding the values in bins wholly
    /// above or below each level to the threshold counts.
    private mutating func drain(_ levels: ThresholdLevels) {
        for (j, b) in levels.aboveBins.enumerated() { above[j] &+= recent.countsAround(bin: b).above }
        for (j, b) in levels.belowBins.enumerated() { below[j] &+= recent.countsAround(bin: b).below }
        recent.drain(into: &histogram)
    }

    /// The smallest and largest value, with four independent lanes so the comparisons pipeline.
    @inline(__always)
    static func extremes(_ x: UnsafeBufferPointer<Double>) -> (Double, Double) {
        var lo = SIMD4<Double>(repeating: x[0]), hi = lo
        let n = x.count & ~3
        var i = 0
        while i < n {
            let v = SIMD4(x[i], x[i + 1], x[i + 2], x[i + 3])
            // Plain comparisons: pointwiseMin/Max honour NaN and do not vectorise; there are no NaNs here.
            lo.replace(with: v, where: v .< lo)
            hi.replace(with: v, where: v .> hi)
            i += 4
        }
        var l = lo.min(), h = hi.max()
        while i < x.count {
            l = Swift.min(l, x[i])
            h = Swift.max(h, x[i])
            i += 1
        }
        return (l, h)
    }

    /// Moves the sampling loop's counters into `histogram` and completes the threshold counts;
    /// call before reading or merging, with the levels the values were added with.
    public mutating func flush(levels: ThresholdLevels) {
        drain(levels)
    }

    /// Adds another part of the same metric; both must be flushed.
    public mutating func merge(_ other: MetricState) {
        precondition(recent.pending == 0 && other.recent.pending == 0, "merge of an unflushed MetricState")
        count &+= other.count
        histogram.merge(other.histogram)
        minLog = Swift.min(minLog, other.minLog)
        maxLog = Swift.max(maxLog, other.maxLog)
        floorCount &+= other.floorCount
        for j in above.indices { above[j] &+= other.above[j] }
        for j in below.indices { below[j] &+= other.below[j] }
    }

    /// Estimates of the order statistics (0-based ranks, any order) as natural logs.
    ///
    /// Rank 0 and rank count-1 are the exact minimum and maximum; ranks below `floorCount` are
    /// exactly the floor; every other rank is its bin's geometric centre, kept inside
    /// [min, max]. Error: at most 5.62e-5 relative (half a fine bin).
    public func orderStatisticLogs(ranks: [Int]) -> [Double] {
        var result = Array(repeating: 0.0, count: ranks.count)
        let order = ranks.indices.sorted { ranks[$0] < ranks[$1] }
        var cumulative = 0
        var bin = 0
        let counts = histogram.counts
        for i in order {
            let r = ranks[i]
            if r <= 0 || r < floorCount { result[i] = minLog; continue }
            if r >= count - 1 { result[i] = maxLog; continue }
            while bin < counts.count && cumulative + counts[bin] <= r {
                cumulative += counts[bin]
                bin += 1
            }
            let centre = LogHistogram.centreLog(ofBin: histogram.offset + bin)
            result[i] = Swift.min(Swift.max(centre, minLog), maxLog)
        }
        return result
    }
}

/// The log-scale levels a metric counts values above and below (thresholds of the metric itself
/// and of the per-year and derived rows computed from it).
public struct ThresholdLevels: Sendable, Equatable {
    public let above: [Double]
    public let below: [Double]
    /// The fine bin of each level.
    let aboveBins: [Int]
    let belowBins: [Int]

    public init(above: [Double] = [], below: [Double] = []) {
        self.above = above
        self.below = below
        aboveBins = above.map(LogHistogram.bin(ofLog:))
        belowBins = below.map(LogHistogram.bin(ofLog:))
    }
}
