import CBinning
import EffSimCore
import EffSimModel
import Foundation
import Synchronization

/// Counts of positive values (or of the magnitudes of negative ones) in fine bins of equal width
/// in log10, aligned on powers of ten.
///
/// Bin k holds values in [10^(k/B), 10^((k+1)/B)) with B = `binsPerDecade` = 20,480. A value
/// reported as its bin's geometric centre 10^((k+1/2)/B) is within a factor 10^(1/(2B)), i.e.
/// 5.62e-5 relative, of the truth. That bounds the quantile and mean error of the summary.
///
/// Every finite positive double has a bin (from about -6.6 to +6.3 million). Bins are stored a
/// decade at a time, a decade's page allocated when a value first lands in it, so memory follows
/// the decades the values actually take, never the count or the gaps between them: a page lists
/// its non-empty bins (12 bytes each) until it has 1,024, then holds 160 KB of counters.
///
/// Counts are integers, so merging (adding) histograms is exact, associative and commutative:
/// any split of the trials over threads, chunks or shards gives the same histogram. Two
/// histograms are equal when they count the same values, whatever pages they hold.
public struct LogHistogram: Sendable, Equatable {
    /// B, the number of fine bins in each decade (factor of 10).
    public static let binsPerDecade = 20_480
    /// Multiply a natural log by this to get a fine bin coordinate.
    public static let scale = Double(binsPerDecade) / M_LN10

    /// The bins of the smallest and of the largest positive finite double: every state file's
    /// bins lie within them.
    public static let binRange =
        bin(ofLog: log(Double.leastNonzeroMagnitude))...bin(ofLog: log(Double.greatestFiniteMagnitude))

    /// One decade of fine bins: bins `decade * B ..< (decade + 1) * B`.
    ///
    /// A page starts sparse, its non-empty bins listed in order, and turns dense (B counters)
    /// once it holds more than `sparseLimit` of them: a small run's histogram touches kilobytes,
    /// not 160 KB a decade of memory the system must clear page by page.
    struct Page: Sendable {
        var decade: Int
        /// The B counters of a dense page; empty while the page is sparse.
        private(set) var dense: [Int] = []
        /// A sparse page's non-empty bins (offsets within the page), increasing, and their counts.
        private(set) var bins: [Int32] = []
        private(set) var counts: [Int] = []

        /// The most bins a sparse page lists (12 KB) before it turns dense.
        static let sparseLimit = 1024

        init(decade: Int) { self.decade = decade }

        private mutating func densify() {
            dense = Array(repeating: 0, count: LogHistogram.binsPerDecade)
            for (i, c) in zip(bins, counts) { dense[Int(i)] = c }
            bins = []
            counts = []
        }

        /// Adds n to the bin at offset i within the page.
        mutating func add(_ i: Int, _ n: Int) {
            guard dense.isEmpty else {
                dense[i] &+= n
                return
            }
            guard n != 0 else { return }
            var lo = 0
            var hi = bins.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if Int(bins[mid]) < i { lo = mid + 1 } else { hi = mid }
            }
            if lo < bins.count && Int(bins[lo]) == i {
                counts[lo] &+= n
            } else if bins.count < Self.sparseLimit {
                bins.insert(Int32(i), at: lo)
                counts.insert(n, at: lo)
            } else {
                densify()
                dense[i] &+= n
            }
        }

        /// Adds source[j] to the bin at offset `first + j - from` for j in from...to.
        mutating func add<C: BinaryInteger>(_ source: UnsafeBufferPointer<C>, from: Int, to: Int, first: Int) {
            if dense.isEmpty {
                var added = 0
                for j in from...to where source[j] != 0 { added += 1 }
                if bins.count + added > Self.sparseLimit { densify() }
            }
            if !dense.isEmpty {
                dense.withUnsafeMutableBufferPointer { c in
                    for j in from...to where source[j] != 0 { c[first + j - from] &+= Int(source[j]) }
                }
                return
            }
            // Both lists are in increasing order: merge them.
            var mergedBins: [Int32] = []
            var mergedCounts: [Int] = []
            mergedBins.reserveCapacity(bins.count + to - from + 1)
            mergedCounts.reserveCapacity(bins.count + to - from + 1)
            var e = 0
            for j in from...to where source[j] != 0 {
                let i = first + j - from
                while e < bins.count && Int(bins[e]) < i {
                    mergedBins.append(bins[e])
                    mergedCounts.append(counts[e])
                    e += 1
                }
                if e < bins.count && Int(bins[e]) == i {
                    mergedBins.append(bins[e])
                    mergedCounts.append(counts[e] &+ Int(source[j]))
                    e += 1
                } else {
                    mergedBins.append(Int32(i))
                    mergedCounts.append(Int(source[j]))
                }
            }
            mergedBins.append(contentsOf: bins[e...])
            mergedCounts.append(contentsOf: counts[e...])
            bins = mergedBins
            counts = mergedCounts
        }

        /// The page's counts from its first non-empty bin to its last (nil when it has none),
        /// the same whether the page is sparse or dense.
        var trimmed: Run? {
            let base = decade * LogHistogram.binsPerDecade
            if dense.isEmpty {
                guard let first = bins.first, let last = bins.last else { return nil }
                var run = Array(repeating: 0, count: Int(last - first) + 1)
                for (i, c) in zip(bins, counts) { run[Int(i - first)] = c }
                return Run(offset: base + Int(first), counts: run)
            }
            guard let first = dense.firstIndex(where: { $0 != 0 }) else { return nil }
            let last = dense.lastIndex(where: { $0 != 0 })!
            return Run(offset: base + first, counts: Array(dense[first...last]))
        }

        /// Calls body(offset within the page, count) for each non-empty bin, in increasing order.
        func forEachNonEmpty(_ body: (Int, Int) -> Void) {
            if dense.isEmpty {
                for (i, c) in zip(bins, counts) { body(Int(i), c) }
            } else {
                dense.withUnsafeBufferPointer { c in
                    for i in 0..<c.count where c[i] != 0 { body(i, c[i]) }
                }
            }
        }

        /// The page's total count.
        var total: Int { dense.isEmpty ? counts.reduce(0, &+) : dense.reduce(0, &+) }
    }

    /// Pages in increasing order of decade.
    private(set) var pages: [Page] = []

    /// `nonEmptyBins`, worked out once for the summary's several reads (order statistics,
    /// moments, precision, histogram.csv); every mutation starts a new, empty box.
    private var occupied = OccupiedBins()

    private final class OccupiedBins: Sendable {
        let bins = Mutex<[(bin: Int, count: Int)]?>(nil)
    }

    /// A run of consecutive fine bins starting at bin `offset` (how a state file stores them).
    public struct Run: Sendable, Equatable {
        /// The first bin's index.
        public var offset: Int
        /// counts[i] is bin offset + i's count.
        public var counts: [Int]

        /// The run of `counts` from bin `offset`.
        public init(offset: Int, counts: [Int]) {
            self.offset = offset
            self.counts = counts
        }
    }

    /// An empty histogram (no page allocated).
    public init() {}

    /// The histogram holding `runs`' counts (runs may be in any order; overlapping counts add).
    public init(runs: [Run]) {
        for r in runs { add(run: r.offset, r.counts) }
    }

    /// Equal when they count the same values in the same bins, whatever pages they hold.
    public static func == (a: LogHistogram, b: LogHistogram) -> Bool { a.runs == b.runs }

    /// floor(y) for -bias < y < bias is trunc(y + bias) - bias: a conversion instead of a call to
    /// floor(), in the sampling loop. (Adding the bias rounds y to 2^-31, so a value within
    /// ~5e-10 of a bin edge may land in the bin above; every binning uses this one function.)
    static let bias = 1 << 21

    /// The fine bin of a natural-log value (an infinite log, used for levels that every value
    /// passes, maps to a bin beyond every finite value's).
    @inline(__always) public static func bin(ofLog l: Double) -> Int {
        let y = l * scale
        guard abs(y) < Double(bias / 2) else { return Int(Swift.max(Swift.min(y, 1e15), -1e15).rounded(.down)) }
        return Int(y + Double(bias)) &- bias
    }

    /// The natural log of bin k's geometric centre.
    @inline(__always) public static func centreLog(ofBin k: Int) -> Double {
        (Double(k) + 0.5) / scale
    }

    /// The decade holding bin k: floor(k / B).
    @inline(__always) package static func decade(ofBin k: Int) -> Int {
        k >= 0 ? k / binsPerDecade : -((-k - 1) / binsPerDecade) - 1
    }

    /// The index in `pages` of decade d's page, allocated if missing.
    private mutating func page(_ d: Int) -> Int {
        var lo = 0
        var hi = pages.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if pages[mid].decade < d { lo = mid + 1 } else { hi = mid }
        }
        if lo == pages.count || pages[lo].decade != d {
            pages.insert(Page(decade: d), at: lo)
        }
        return lo
    }

    /// Adds `n` to bin k.
    public mutating func add(bin k: Int, count n: Int) {
        occupied = OccupiedBins()
        let p = page(Self.decade(ofBin: k))
        pages[p].add(k - pages[p].decade * Self.binsPerDecade, n)
    }

    /// Adds `n` copies of one value.
    public mutating func add(log l: Double, count n: Int) {
        add(bin: Self.bin(ofLog: l), count: n)
    }

    /// Adds counts[i] to bin offset + i, a decade's page at a time.
    mutating func add<C: BinaryInteger>(run offset: Int, _ counts: [C]) {
        guard let first = counts.firstIndex(where: { $0 != 0 }) else { return }
        let last = counts.lastIndex(where: { $0 != 0 })!
        occupied = OccupiedBins()
        var k = offset + first
        let end = offset + last
        while k <= end {
            let d = Self.decade(ofBin: k)
            let p = page(d)
            let base = d * Self.binsPerDecade
            let stop = Swift.min(end, base + Self.binsPerDecade - 1)
            counts.withUnsafeBufferPointer { source in
                pages[p].add(source, from: k - offset, to: stop - offset, first: k - base)
            }
            k = stop + 1
        }
    }

    /// Adds every count of `other` (exact and order-free).
    public mutating func merge(_ other: LogHistogram) {
        for p in other.pages {
            if let run = p.trimmed { add(run: run.offset, run.counts) }
        }
    }

    /// The counts as one run per decade that holds any, trimmed of empty bins at both ends.
    public var runs: [Run] {
        pages.compactMap(\.trimmed)
    }

    /// Non-empty bins in increasing order, as (bin index, count).
    public var nonEmptyBins: [(bin: Int, count: Int)] {
        occupied.bins.withLock { cached in
            if let cached { return cached }
            var result: [(bin: Int, count: Int)] = []
            for p in pages {
                let base = p.decade * Self.binsPerDecade
                p.forEachNonEmpty { i, c in result.append((base + i, c)) }
            }
            cached = result
            return result
        }
    }

    /// The number of values counted.
    public var total: Int {
        pages.reduce(0) { $0 &+ $1.total }
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

/// A worker's 32-bit bin counters over one dense span of bins within 10^±40 (`MagnitudeState`'s
/// fast path): half the cache footprint of `LogHistogram` and no page lookup in the sampling
/// loop. `MagnitudeState` drains them into its 64-bit histogram before any bin could overflow.
struct BinCounts: Sendable, Equatable {
    private(set) var offset = 0
    private(set) var counts: [UInt32] = []
    /// Values added since the last drain; no bin can hold more.
    private(set) var pending = 0

    /// Room left before a bin could overflow.
    var capacity: Int { Int(UInt32.max) - pending }

    /// Counts values from the start of `logs` while their bins lie within the counters' span
    /// (`effsim_bin_logs`); returns how many it counted and widens `lo` and `hi` to their extremes.
    @inline(__always)
    mutating func add(prefixOf logs: UnsafeBufferPointer<Double>, lo: inout Double, hi: inout Double) -> Int {
        let done = counts.withUnsafeMutableBufferPointer { c in
            effsim_bin_logs(
                logs.baseAddress, logs.count, LogHistogram.scale, Double(LogHistogram.bias), Int64(offset),
                c.baseAddress, c.count, &lo, &hi)
        }
        pending += done
        return done
    }

    /// Widens the span to cover `bins` (with room to spare, so that widening is rare).
    mutating func cover(_ bins: ClosedRange<Int>) {
        binRange(&counts, &offset, covering: bins.lowerBound, bins.upperBound)
    }

    /// The count of bin k (0 outside the counters' range).
    @inline(__always) func count(bin k: Int) -> UInt32 {
        let i = k &- offset
        return i >= 0 && i < counts.count ? counts[i] : 0
    }

    /// For each bin k of `bins`, how many counted values lie in bins above k and below k: one
    /// pass over the counters for all of them, in sums that vectorise.
    func countsAround(bins: [Int]) -> [(above: Int, below: Int)] {
        var result = Array(repeating: (above: 0, below: 0), count: bins.count)
        guard !bins.isEmpty, pending > 0 else { return result }
        let order = bins.indices.sorted { bins[$0] < bins[$1] }
        counts.withUnsafeBufferPointer { c in
            func sum(_ from: Int, _ to: Int) -> Int {
                var s: UInt64 = 0
                for i in from..<to { s &+= UInt64(c[i]) }
                return Int(s)
            }
            var below = 0
            var done = 0
            for j in order {
                let i = Swift.min(Swift.max(bins[j] - offset, 0), c.count)
                below += sum(done, i)
                done = i
                result[j].below = below
            }
            let total = below + sum(done, c.count)
            for j in bins.indices {
                result[j].above = total - result[j].below - Int(count(bin: bins[j]))
            }
        }
        return result
    }

    /// Moves every count into `histogram` and starts again from zero.
    mutating func drain(into histogram: inout LogHistogram) {
        guard pending > 0 else { return }
        histogram.add(run: offset, counts)
        self = BinCounts()
    }
}
