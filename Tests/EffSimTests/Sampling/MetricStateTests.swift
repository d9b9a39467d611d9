import EffSim
import Foundation
import Testing

/// The mergeable statistics on their own: histograms and metric states merge exactly, in any
/// split and order, and equal a state that saw every value at once.
@Suite struct MetricStateTests {
    /// Deterministic log values spread over several decades (a fixed linear congruential walk).
    static func logs(_ n: Int, seed: UInt64) -> [Double] {
        var x = seed
        return (0..<n).map { _ in
            x = x &* 6364136223846793005 &+ 1442695040888963407
            return (Double(x >> 11) / Double(1 << 53)) * 12 - 4
        }
    }

    static let levels = ThresholdLevels(aboveLogs: [log(1.0), log(10.0), log(100.0)], belowLogs: [log(0.5)])

    func state(_ values: [Double]) -> MetricState {
        var m = MetricState(levels: Self.levels)
        values.withUnsafeBufferPointer { m.add(logs: $0, levels: Self.levels) }
        m.flush(levels: Self.levels)
        return m
    }

    @Test func histogramMergeIsExactAndOrderFree() {
        var a = LogHistogram(), b = LogHistogram(), whole = LogHistogram()
        for (i, l) in Self.logs(5_000, seed: 1).enumerated() {
            if i % 3 == 0 { a.add(log: l, count: 1) } else { b.add(log: l, count: 1) }
            whole.add(log: l, count: 1)
        }
        var ab = a, ba = b
        ab.merge(b)
        ba.merge(a)
        #expect(ab == whole)
        #expect(ba == whole)
        #expect(whole.nonEmptyBins.reduce(0) { $0 + $1.count } == 5_000)
    }

    /// Split into three uneven parts, merged in two orders: the same state as all at once,
    /// including extremes, exact threshold counts on both sides and the count.
    @Test func metricStateMergeEqualsOneState() {
        let values = Self.logs(20_000, seed: 7)
        let whole = state(values)
        let parts = [values[0..<3_000], values[3_000..<12_345], values[12_345...]].map { state(Array($0)) }
        var forward = parts[0], backward = parts[2]
        forward.merge(parts[1]); forward.merge(parts[2])
        backward.merge(parts[0]); backward.merge(parts[1])
        #expect(forward == whole)
        #expect(backward == whole)
        #expect(whole.count == 20_000)
        #expect(whole.above == Self.levels.positive.above.map { level in values.count { $0 > level } })
        #expect(whole.below == Self.levels.positive.below.map { level in values.count { $0 < level } })
        #expect(whole.minLog == values.min() && whole.maxLog == values.max())
    }

    /// A decade's page lists its bins until it holds 1,024, then turns into counters: the counts,
    /// runs, totals and merges are the same on either side of that switch, whatever the order of
    /// the additions (one value at a time, or runs as the sampling loop drains them).
    @Test func sparseAndDensePagesCountAlike() {
        // 3,000 distinct bins in decade 0 (dense), 40 in decade 3 (sparse), some bins repeated.
        var bins: [Int] = (0..<3_000).map { ($0 * 7) % LogHistogram.binsPerDecade }
        bins += (0..<40).map { 3 * LogHistogram.binsPerDecade + 100 + 13 * $0 }
        bins += bins.prefix(500)
        var expected: [Int: Int] = [:]
        for b in bins { expected[b, default: 0] += 1 }
        var oneByOne = LogHistogram()
        for b in bins.reversed() { oneByOne.add(bin: b, count: 1) }
        // The same counts as runs, in two halves merged.
        func runs(_ part: ArraySlice<Int>) -> LogHistogram {
            var counts: [Int: Int] = [:]
            for b in part { counts[b, default: 0] += 1 }
            return LogHistogram(runs: counts.map { LogHistogram.Run(offset: $0.key, counts: [$0.value]) })
        }
        var merged = runs(bins[..<1_700])
        merged.merge(runs(bins[1_700...]))
        for h in [oneByOne, merged] {
            #expect(h.total == bins.count)
            #expect(h.nonEmptyBins.map(\.bin) == expected.keys.sorted())
            #expect(h.nonEmptyBins.map(\.count) == expected.keys.sorted().map { expected[$0]! })
        }
        #expect(oneByOne == merged)
        #expect(oneByOne.runs == merged.runs)
        #expect(oneByOne.runs.map(\.offset) == [0, 3 * LogHistogram.binsPerDecade + 100])
    }

    /// The sampling loop's binning pass (which stops to widen its counters, or to send a value
    /// beyond 10^±40 to the paged histogram, and counts a threshold's own bin by a scan) and the
    /// direct path of a small first block agree with adding each value on its own: values just
    /// either side of each level, in its fine bin, and values far beyond the counters' range
    /// within the same blocks.
    @Test(arguments: [[6_000, 700], [700]])
    func blockBinningEqualsValueByValue(blocks: [Int]) {
        let levels = ThresholdLevels(aboveLogs: [log(10.0), log(1e50)], belowLogs: [log(0.5), log(1e-45)])
        var values: [Double] = []
        for level in [log(10.0), log(0.5), log(1e50), log(1e-45)] {
            for k in -3...3 { values.append(level + Double(k) * 1e-9) }
            values.append(level)
        }
        values += Self.logs(12_000, seed: 11) + [120.0, -130.0, 95.0, 3.0, -3.0]
        var order = values
        for i in order.indices.reversed() { order.swapAt(i, (i * 7_919) % (i + 1)) }
        var state = MetricState(levels: levels)
        var whole = LogHistogram()
        // The first block is blocks[0] values (6,000: the dense counters; 700: the direct path),
        // the rest blocks.last at a time.
        var start = 0
        while start < order.count {
            let size = start == 0 ? blocks[0] : blocks[blocks.count - 1]
            let part = Array(order[start..<min(start + size, order.count)])
            part.withUnsafeBufferPointer { state.add(logs: $0, levels: levels) }
            start += size
        }
        state.flush(levels: levels)
        for l in order { whole.add(log: l, count: 1) }
        #expect(state.histogram == whole)
        #expect(state.count == order.count)
        #expect(state.above == levels.positive.above.map { level in order.count { $0 > level } })
        #expect(state.below == levels.positive.below.map { level in order.count { $0 < level } })
        #expect(state.minLog == order.min() && state.maxLog == order.max())
    }

    /// Order statistics come back within half a fine bin (5.62e-5 relative) of the exact ones,
    /// and exactly at the extremes.
    @Test func orderStatisticsAreWithinHalfABin() {
        let values = Self.logs(10_001, seed: 3)
        let m = state(values)
        let sorted = values.sorted()
        let ranks = [0, 1, 100, 5_000, 9_999, 10_000]
        for (rank, l) in zip(ranks, m.orderStatisticLogs(ranks: ranks)) {
            #expect(abs(exp(l - sorted[rank]) - 1) <= 5.62e-5, "rank \(rank)")
        }
        #expect(m.orderStatisticLogs(ranks: [0, 10_000]) == [sorted[0], sorted[10_000]])
    }
}
