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

    public var total: Int { counts.reduce(0, &+) }

    /// The fine bin of a natural-log value.
    @inline(__always) public static func bin(ofLog l: Double) -> Int {
        Int((l * scale).rounded(.down))
    }

    /// The natural log of bin k's geometric centre.
    @inline(__always) public static func centreLog(ofBin k: Int) -> Double {
        (Double(k) + 0.5) / scale
    }

    /// The natural log of bin k's lower edge.
    @inline(__always) public static func lowerLog(ofBin k: Int) -> Double {
        Double(k) / scale
    }

    /// Makes room for bins lo...hi (growing geometrically, so growth is rare).
    public mutating func reserve(_ lo: Int, _ hi: Int) {
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
        var grown = Array(repeating: 0, count: newEnd - newOffset)
        grown.withUnsafeMutableBufferPointer { g in
            counts.withUnsafeBufferPointer { c in
                let start = offset - newOffset
                for i in 0..<c.count { g[start + i] = c[i] }
            }
        }
        counts = grown
        offset = newOffset
    }

    /// Adds natural-log values. The caller passes the block's smallest and largest value, and
    /// keeps every value within 10^±40 (`MetricState.binLimit`).
    @inline(__always)
    public mutating func add(logs: UnsafeBufferPointer<Double>, minLog: Double, maxLog: Double) {
        let lo = Self.bin(ofLog: minLog), hi = Self.bin(ofLog: maxLog)
        reserve(lo, hi)
        // floor(y) for y > -bias is trunc(y + bias) - bias: a conversion instead of a call to floor().
        let bias = 1 << 21
        let base = offset + bias
        let s = Self.scale
        let b = Double(bias)
        counts.withUnsafeMutableBufferPointer { c in
            let p = c.baseAddress!
            for l in logs {
                p[Int(l * s + b) &- base] &+= 1
            }
        }
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
