import EffSimCore
import EffSimModel
import Foundation

/// Everything the summary needs about one sampled quantity (a clamped factor or an output), for
/// values of any sign and any finite magnitude: the positive values and the negative ones each as
/// a `MagnitudeState` (logs of magnitudes in fine, paged histograms), an exact count of zeros,
/// the floor count and the levels its threshold counts answer.
///
/// Memory does not grow with the trial count, and every field merges exactly (integer sums,
/// min and max), so a run split over threads or shards gives bit-identical state.
public struct MetricState: Sendable, Equatable {
    /// The positive values, as logs.
    public var positive: MagnitudeState
    /// The negative values, as logs of their magnitudes.
    public var negative: MagnitudeState
    /// The number of values exactly 0.
    public var zeroCount = 0
    /// Draws raised to the floor (factors only; 0 for outputs). A floor is positive, so these
    /// sit exactly at `positive.minLog`.
    public var floorCount = 0
    /// The levels `above` and `below` count against.
    public let levels: ThresholdLevels

    /// No values yet, counting against `levels`.
    public init(levels: ThresholdLevels) {
        self.levels = levels
        positive = MagnitudeState(levels: levels.positive)
        negative = MagnitudeState(levels: levels.negative)
    }

    /// A state with the given parts (a state file's, once checked).
    public init(
        levels: ThresholdLevels, positive: MagnitudeState, negative: MagnitudeState, zeroCount: Int, floorCount: Int
    ) {
        self.levels = levels
        self.positive = positive
        self.negative = negative
        self.zeroCount = zeroCount
        self.floorCount = floorCount
    }

    /// The number of values.
    public var count: Int { positive.count &+ negative.count &+ zeroCount }

    /// Whether every value is > 0 (so its logs, per-year and derived rows are defined).
    public var isPositive: Bool { negative.count == 0 && zeroCount == 0 }

    /// above[j] = number of values > levels.above[j].
    public var above: [Int] { Array(levels.counts(self).prefix(levels.above.count)) }
    /// below[j] = number of values < levels.below[j].
    public var below: [Int] { Array(levels.counts(self).dropFirst(levels.above.count)) }

    /// The positive values' histogram of logs.
    public var histogram: LogHistogram { positive.histogram }
    /// The log of the smallest positive value.
    public var minLog: Double { positive.minLog }
    /// The log of the largest positive value.
    public var maxLog: Double { positive.maxLog }

    /// Adds a block of natural logs of positive values: the sampling loop's hot path (see
    /// `MagnitudeState.add(logs:levels:)`).
    @inline(__always)
    public mutating func add(logs: UnsafeBufferPointer<Double>, levels: ThresholdLevels) {
        positive.add(logs: logs, levels: levels.positive)
    }

    /// Adds a block of finite values of any sign and magnitude. A positive value is binned as
    /// `add(logs:levels:)` bins its log, so a metric fed either way holds the same state.
    /// NaN and infinities have no bin: the caller checks for them first (a precondition).
    public mutating func add(values: UnsafeBufferPointer<Double>, levels: ThresholdLevels) {
        let n = values.count
        guard n > 0 else { return }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { positives in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { negatives in
                var p = 0
                var q = 0
                var zeros = 0
                var nonFinite = 0
                for x in values {
                    if !x.isFinite {
                        nonFinite += 1
                    } else if x > 0 {
                        positives[p] = log(x)
                        p += 1
                    } else if x < 0 {
                        negatives[q] = log(-x)
                        q += 1
                    } else {
                        zeros += 1
                    }
                }
                precondition(nonFinite == 0, "MetricState.add(values:) given \(nonFinite) NaN or infinite values")
                zeroCount &+= zeros
                positive.add(logs: UnsafeBufferPointer(rebasing: positives[0..<p]), levels: levels.positive)
                negative.add(logs: UnsafeBufferPointer(rebasing: negatives[0..<q]), levels: levels.negative)
            }
        }
    }

    /// Moves the sampling loop's counters into the histograms and completes the threshold counts;
    /// call before reading or merging, with the levels the values were added with.
    public mutating func flush(levels: ThresholdLevels) {
        positive.drain(levels.positive)
        negative.drain(levels.negative)
    }

    /// Adds another part of the same metric; both must be flushed.
    public mutating func merge(_ other: MetricState) {
        precondition(levels == other.levels, "merge of metric states with different levels")
        positive.merge(other.positive)
        negative.merge(other.negative)
        zeroCount &+= other.zeroCount
        floorCount &+= other.floorCount
    }

    /// Estimates of the order statistics (0-based ranks, any order) of a metric whose values
    /// are all positive, as natural logs (see `MagnitudeState.orderStatisticLogs`); ranks below
    /// `floorCount` are exactly the floor.
    public func orderStatisticLogs(ranks: [Int]) -> [Double] {
        positive.orderStatisticLogs(ranks: ranks, atMinimum: floorCount)
    }

    /// Estimates of the order statistics (0-based ranks, any order) as values: the negative
    /// values (largest magnitude first), the zeros (exact), then the positive values. Each is
    /// within 5.62e-5 relative of the exact order statistic; the minimum, the maximum, zeros
    /// and draws at the floor are exact.
    public func orderStatistics(ranks: [Int]) -> [Double] {
        if isPositive { return orderStatisticLogs(ranks: ranks).map { exp($0) } }
        let n = negative.count
        let z = zeroCount
        let negativeLogs = negative.orderStatisticLogs(ranks: ranks.map { n - 1 - Swift.min($0, n - 1) })
        let positiveLogs = positive.orderStatisticLogs(
            ranks: ranks.map { Swift.max($0 - n - z, 0) }, atMinimum: floorCount)
        return ranks.indices.map { i in
            let r = ranks[i]
            return r < n ? -Self.magnitude(negativeLogs[i]) : r < n + z ? 0 : Self.magnitude(positiveLogs[i])
        }
    }

    /// exp(l) kept within the positive finite doubles (exp of the log of the largest or the
    /// smallest double may round past them).
    static func magnitude(_ l: Double) -> Double {
        Swift.min(Swift.max(exp(l), .leastNonzeroMagnitude), .greatestFiniteMagnitude)
    }

    /// The mean of the values and of their squares, from the histograms (see
    /// `MagnitudeState.sums`); zeros count exactly. Relative error at most 5.62e-5 (twice that
    /// for the squares).
    public func moments() -> (mean: Double, meanSquare: Double) {
        func sums(_ side: MagnitudeState, atMinimum: Int) -> (sum: Double, sumSquares: Double) {
            guard side.count > 0 else { return (0, 0) }
            if side.minLog == side.maxLog {
                let v = exp(side.minLog)
                return (Double(side.count) * v, Double(side.count) * v * v)
            }
            return side.sums(a: 0, b: 1, atMinimum: atMinimum)
        }
        let p = sums(positive, atMinimum: floorCount)
        let q = sums(negative, atMinimum: 0)
        let n = Double(count)
        return ((p.sum - q.sum) / n, (p.sumSquares + q.sumSquares) / n)
    }
}
