import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// One bar of a drawn histogram: [lower, upper) holding `share` of the trials (lower = upper = 0
/// for the zeros).
public struct Bar: Equatable, Sendable {
    /// The lower edge.
    public var lower: Double
    /// The upper edge.
    public var upper: Double
    /// The share of trials in the bar.
    public var share: Double
}

extension ResultsFolder {
    /// The bars drawn across an output's central 99%, at least (`HistogramResolution`).
    public static let minimumBars = HistogramResolution.minimumBins

    /// The lower and upper edges of the histogram.csv bins holding a metric's p0.5 and p99.5
    /// (or `tail` and 1 - `tail`); nil when it has no bins.
    public func centralRange(_ metric: String, tail: Double = 0.005) -> (low: Double, high: Double)? {
        let bins = histograms[metric] ?? []
        let total = Double(bins.reduce(0) { $0 + $1.count })
        var below = 0.0
        var low: Double?
        for b in bins {
            if low == nil && (below + Double(b.count)) / total > tail { low = b.lower }
            below += Double(b.count)
            if let low, below / total >= 1 - tail { return (low, b.upper) }
        }
        return nil
    }

    /// The x axis for metrics whose central values are `values` (`signed` when any can be <= 0):
    /// whole decades when every value is positive and they span a decade or more, else linear
    /// (a fraction between 0.32 and 0.36 on a decade-wide log axis would be a sliver).
    public static func axis(covering values: [Double], signed: Bool, start: Double, end: Double) -> ValueAxis {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else {
            return ValueAxis(covering: [], signed: signed, start: start, end: end)
        }
        let linear = signed || low <= 0 || high / low < 10
        return linear
            ? .linear(LinearValueAxis(covering: finite, start: start, end: end))
            : .log(LogAxis(covering: finite, start: start, end: end))
    }

    /// The value of a metric that does not vary (every percentile and the mean alike), else nil.
    public func constant(_ metric: String) -> Double? {
        guard let row = row(metric), let first = row.percentiles.first,
            row.percentiles.allSatisfy({ $0 == first }), row.mean == first
        else { return nil }
        return first
    }

    /// The values an axis must hold to show a metric: its central range (`tail` left out each
    /// side), or 10% either side of a constant.
    public func span(_ metric: String, tail: Double = 0.005) -> [Double] {
        if let v = constant(metric) { return v == 0 ? [-1, 1] : [v * 0.9, v * 1.1] }
        return centralRange(metric, tail: tail).map { [$0.low, $0.high] } ?? []
    }

    /// Whether a metric is drawn on a linear axis whatever its values (a constant, or values <= 0).
    public func needsLinearAxis(_ metric: String) -> Bool { isSigned(metric) || constant(metric) != nil }

    /// The axis of one metric's own chart: its central 99.9% (`span`; the bars' 30 lie across its
    /// central 99%), and `extra` values, e.g. a floor.
    public func axis(_ metric: String, extra: [Double] = [], start: Double, end: Double) -> ValueAxis {
        Self.axis(covering: span(metric, tail: 0.0005) + extra, signed: needsLinearAxis(metric), start: start, end: end)
    }

    /// (x, P(value > x)) of a metric: from its histogram's bin edges (`ExceedanceChart.curve`),
    /// or a step at a constant.
    public func exceedanceCurve(_ metric: String) -> [(x: Double, p: Double)] {
        if let v = constant(metric) { return [(v, 1), (v, 0)] }
        return ExceedanceChart.curve(histograms[metric] ?? [], trials: record.trials)
    }

    /// Bins a decade of a metric's bars on a log axis: the coarsest divisor of the run's
    /// resolution that draws at least `minimumBars` across its central 99%, and no coarser than
    /// `chartBinsPerDecade`; the run's own resolution when none does.
    public func barsPerDecade(_ metric: String) -> Int {
        let b = record.binsPerDecade
        guard let range = centralRange(metric), range.high > range.low, range.low > 0 else { return chartBinsPerDecade }
        let target = max(
            Double(chartBinsPerDecade), (Double(Self.minimumBars) / log10(range.high / range.low)).rounded(.up))
        return (1...b).first { b % $0 == 0 && Double($0) >= target } ?? b
    }

    /// The width of a metric's bars on a linear axis: 1, 2 or 5 times a power of ten, at most a
    /// `minimumBars`th of its central 99% (or of the axis, for a constant).
    public func barWidth(_ metric: String, axis: LinearValueAxis) -> Double {
        let range = centralRange(metric)
        var span = range.map { $0.high - $0.low } ?? 0
        if !(span > 0) { span = axis.hi - axis.lo }
        let raw = span / Double(Self.minimumBars)
        let magnitude = pow(10, log10(raw).rounded(.down))
        return [5.0, 2, 1].map { $0 * magnitude }.first { $0 <= raw * (1 + 1e-12) } ?? magnitude
    }

    /// The bars of a metric on `axis`, each a share of the trials, with `removed` trials taken
    /// out of the bin holding `at` (the draws raised to a floor, drawn apart):
    /// - log axis: histogram.csv's bins merged to `barsPerDecade` (log-width bars);
    /// - linear axis: equal-width bars of `barWidth`, each histogram.csv bin's count shared among
    ///   the bars it overlaps in proportion to the overlap; the zeros stay one bar at 0.
    public func bars(_ metric: String, on axis: ValueAxis, removing removed: Int = 0, at value: Double? = nil) -> [Bar]
    {
        let trials = Double(record.trials)
        // A constant is one spike, not a histogram bin's width of bars.
        if let v = constant(metric) {
            return [
                Bar(lower: v, upper: v, share: Double(removed > 0 ? record.trials - removed : record.trials) / trials)
            ]
        }
        var bins = histograms[metric] ?? []
        if removed > 0, let value, let k = bins.firstIndex(where: { $0.lower <= value && value < $0.upper }) {
            bins[k].count = max(0, bins[k].count - removed)
        }
        switch axis {
        case .log:
            let b = barsPerDecade(metric)
            let width = record.binsPerDecade / b
            var result: [(k: Int, sign: Int, count: Int)] = []
            for bin in bins where bin.count > 0 {
                let k = Int((Double(bin.bin) / Double(width)).rounded(.down))
                if let last = result.last, last.k == k, last.sign == bin.sign {
                    result[result.count - 1].count += bin.count
                } else {
                    result.append((k, bin.sign, bin.count))
                }
            }
            return result.filter { $0.sign > 0 }.map {
                Bar(
                    lower: HistogramCSV.edge($0.k, b), upper: HistogramCSV.edge($0.k + 1, b),
                    share: Double($0.count) / trials)
            }
        case let .linear(a):
            let w = barWidth(metric, axis: a)
            var shares: [Int: Double] = [:]
            var zeros = 0.0
            for bin in bins where bin.count > 0 {
                if bin.lower == bin.upper {
                    zeros += Double(bin.count)
                    continue
                }
                let first = Int((bin.lower / w).rounded(.down))
                let last = Int((bin.upper / w).rounded(.up)) - 1
                guard last >= first else { continue }
                for j in first...last {
                    let overlap = min(bin.upper, Double(j + 1) * w) - max(bin.lower, Double(j) * w)
                    if overlap > 0 { shares[j, default: 0] += Double(bin.count) * overlap / (bin.upper - bin.lower) }
                }
            }
            var result = shares.keys.sorted().map {
                Bar(lower: Double($0) * w, upper: Double($0 + 1) * w, share: shares[$0]! / trials)
            }
            if zeros > 0 {
                let bar = Bar(lower: 0, upper: 0, share: zeros / trials)
                result.insert(bar, at: result.firstIndex { $0.lower >= 0 } ?? result.count)
            }
            return result
        }
    }

    /// How a bar's width reads in a y axis title: `1/40 decade`, `width 0.002 FLOP`.
    public func barLabel(_ metric: String, on axis: ValueAxis, unit: UnitOfMeasure?) -> String {
        switch axis {
        case .log: return "1/\(barsPerDecade(metric)) decade"
        case let .linear(a):
            let u = unit.map { $0.isDimensionless ? "" : " \($0)" } ?? ""
            return "width \(SVG.tick(barWidth(metric, axis: a)))\(u)"
        }
    }
}
