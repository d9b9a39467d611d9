import Foundation

/// Counts of positive values in fine bins of equal width in log10, aligned on powers of ten.
///
/// Bin k holds values in [10^(k/B), 10^((k+1)/B)) with B = `binsPerDecade` = 20,480. A value
/// reported as its bin's geometric centre 10^((k+1/2)/B) is within a factor 10^(1/(2B)), i.e.
/// 5.62e-5 relative, of the truth. That bounds the quantile and mean error of the summary.
///
/// Counts are integers, so merging (adding) histograms is exact, associative and commutative:
/// any split of the trials over threads, chunks or shards gives the same histogram.
/// Memory grows with the span of log10(values) (20,480 bins a decade), never with the count.
public struct LogHistogram: Sendable, Equatable {
    public static let binsPerDecade = 20_480
    /// Multiply a natural log by this to get a fine bin coordinate.
    public static let scale = Double(binsPerDecade) / M_LN10

    /// The bin index of counts[0].
    public private(set) var offset: Int = 0
    public private(set) var counts: [Int] = []

    public init() {}

    public init(offset: Int, counts: [Int]) {
        self.offset = offset
        self.counts = counts
    }

    /// floor(y) for -bias < y < bias is trunc(y + bias) - bias: a conversion instead of a call to
    /// floor(), in the sampling loop. (Adding the bias rounds y to 2^-31, so a value within
    /// ~5e-10 of a bin edge may land in the bin above; every binning uses this one function.)
    static let bias = 1 << 21

    /// The fine bin of a natural-log value.
    @inline(__always) public static func bin(ofLog l: Double) -> Int {
        let y = l * scale
        guard abs(y) < Double(bias / 2) else { return Int(Swift.max(Swift.min(y, 1e15), -1e15).rounded(.down)) }
        return Int(y + Double(bias)) &- bias
    }

    /// The natural log of bin k's geometric centre.
    @inline(__always) public static func centreLog(ofBin k: Int) -> Double {
        (Double(k) + 0.5) / scale
    }

    /// Makes room for bins lo...hi (growing geometrically, so growth is rare).
    public mutating func reserve(_ lo: Int, _ hi: Int) {
        binRange(&counts, &offset, covering: lo, hi)
    }

    /// Adds `n` to bin k.
    public mutating func add(bin k: Int, count n: Int) {
        reserve(k, k)
        counts[k - offset] &+= n
    }

    /// Adds `n` copies of one value.
    public mutating func add(log l: Double, count n: Int) {
        let k = Self.bin(ofLog: l)
        reserve(k, k)
        counts[k - offset] &+= n
    }

    public mutating func merge(_ other: LogHistogram) {
        guard let first = other.counts.firstIndex(where: { $0 != 0 }) else { return }
        let last = other.counts.lastIndex(where: { $0 != 0 })!
        reserve(other.offset + first, other.offset + last)
        for i in first...last { counts[other.offset + i - offset] &+= other.counts[i] }
    }

    /// The same counts with the empty bins at both ends trimmed (for storage and comparison).
    public func trimmed() -> LogHistogram {
        guard let first = counts.firstIndex(where: { $0 != 0 }) else { return LogHistogram() }
        let last = counts.lastIndex(where: { $0 != 0 })!
        return LogHistogram(offset: offset + first, counts: Array(counts[first...last]))
    }

    /// Non-empty bins in increasing order, as (bin index, count).
    public var nonEmptyBins: [(bin: Int, count: Int)] {
        counts.indices.compactMap { counts[$0] == 0 ? nil : (offset + $0, counts[$0]) }
    }
}

/// Grows a dense run of counters starting at bin `offset` so that it covers bins lo...hi,
/// with room to spare on the side that grew.
func binRange<Count: FixedWidthInteger>(_ counts: inout [Count], _ offset: inout Int, covering lo: Int, _ hi: Int) {
    if counts.isEmpty {
        let pad = 1024
        offset = lo - pad
        counts = Array(repeating: 0, count: hi - lo + 1 + 2 * pad)
        return
    }
    let end = offset + counts.count
    guard lo < offset || hi >= end else { return }
    let pad = max(1024, counts.count / 2)
    let newOffset = lo < offset ? lo - pad : offset
    let newEnd = hi >= end ? hi + 1 + pad : end
    var grown = [Count](repeating: 0, count: newEnd - newOffset)
    grown.replaceSubrange((offset - newOffset)..<(end - newOffset), with: counts)
    counts = grown
    offset = newOffset
}

/// A worker's 32-bit bin counters: half the cache footprint of `LogHistogram` in the sampling
/// loop. `MetricState` drains them into its 64-bit histogram before any bin could overflow.
struct BinCounts: Sendable, Equatable {
    private(set) var offset = 0
    private(set) var counts: [UInt32] = []
    /// Values added since the last drain; no bin can hold more.
    private(set) var pending = 0

    /// Room left before a bin could overflow.
    var capacity: Int { Int(UInt32.max) - pending }

    /// Adds natural-log values within 10^±40, given the block's smallest and largest value.
    @inline(__always)
    mutating func add(logs: UnsafeBufferPointer<Double>, minLog: Double, maxLog: Double) {
        binRange(&counts, &offset, covering: LogHistogram.bin(ofLog: minLog), LogHistogram.bin(ofLog: maxLog))
        pending += logs.count
        let base = offset + LogHistogram.bias
        let s = LogHistogram.scale
        let b = Double(LogHistogram.bias)
        counts.withUnsafeMutableBufferPointer { c in
            let p = c.baseAddress!
            for l in logs {
                p[Int(l * s + b) &- base] &+= 1
            }
        }
    }

    /// The count of bin k (0 outside the counters' range).
    @inline(__always) func count(bin k: Int) -> UInt32 {
        let i = k &- offset
        return i >= 0 && i < counts.count ? counts[i] : 0
    }

    /// How many counted values lie in bins above k, and below k.
    func countsAround(bin k: Int) -> (above: Int, below: Int) {
        var above = 0, below = 0
        for (i, c) in counts.enumerated() where c != 0 {
            if offset + i > k { above += Int(c) } else if offset + i < k { below += Int(c) }
        }
        return (above, below)
    }

    /// Moves every count into `histogram` and starts again from zero.
    mutating func drain(into histogram: inout LogHistogram) {
        guard pending > 0, let first = counts.firstIndex(where: { $0 != 0 }) else { return }
        let last = counts.lastIndex(where: { $0 != 0 })!
        histogram.reserve(offset + first, offset + last)
        for i in first...last where counts[i] != 0 {
            histogram.add(bin: offset + i, count: Int(counts[i]))
        }
        self = BinCounts()
    }
}
