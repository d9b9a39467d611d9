import EffSimCore
import EffSimModel
import Foundation

/// How the sampled metrics map to summary rows.
///
/// Metric i < factors.count is factor i after clamping; the rest are the outputs. Per-year rows
/// and derived values are monotone maps of an output in log space, value = exp(a + b * log x):
/// per-year a = 0, b = 1/years; derived a = log(baseline), b = -1. Their quantiles and
/// exceedances are read from the output's state, so they cost nothing per trial.
public struct MetricLayout: Sendable {
    /// The scenario laid out.
    public let scenario: Scenario

    /// The layout of `scenario`'s metrics.
    public init(_ scenario: Scenario) { self.scenario = scenario }

    /// The number of sampled metrics: factors plus outputs.
    public var metricCount: Int { scenario.factors.count + scenario.outputs.count }

    /// The metric index of output `o`: factors.count + o.
    public func outputMetric(_ o: Int) -> Int { scenario.factors.count + o }

    /// The levels each metric must count, so every threshold column is an exact count: the
    /// thresholds themselves (any sign), and for outputs the per-year (x > t^years) and derived
    /// (x < baseline / t) levels in logs, which pass every positive value when t <= 0.
    public var levels: [ThresholdLevels] {
        let thresholds = scenario.thresholdColumns
        let values = thresholds.map(ThresholdLevel.init(value:))
        var result = scenario.factors.map { _ in ThresholdLevels(above: values) }
        for (o, output) in scenario.outputs.enumerated() {
            // A crossing time is held as its offset from the index's first value; the last level
            // counts the trials that never cross.
            if let crossing = output.crossing {
                let from = crossing.index.from
                result.append(
                    ThresholdLevels(
                        above: thresholds.map { ThresholdLevel(value: $0 - from) } + [
                            ThresholdLevel(value: CrossingTime.neverLevel)
                        ]))
                continue
            }
            var above = values
            var below: [ThresholdLevel] = []
            if let years = scenario.years(ofOutput: o) {
                above += thresholds.map { .positive(log: $0 > 0 ? log($0) * years : -.infinity) }
            }
            for d in scenario.derived where d.outputIndex == o {
                below += thresholds.map { .positive(log: $0 > 0 ? log(d.baseline / $0) : .infinity) }
            }
            result.append(ThresholdLevels(above: above, below: below))
        }
        return result
    }

    /// Where each row of summary.csv comes from, in the documented order: outputs, factors,
    /// per-year rows, derived values.
    public var rowSources: [RowSource] {
        let t = scenario.thresholdColumns.count
        // Constants are carried exactly (a fixed 3600 prints as 3600, not exp(log 3600)).
        let factorConstants = scenario.factors.map(\.constantValue)
        var outputConstants: [Double?] = Array(repeating: nil, count: scenario.outputs.count)
        let f = scenario.factors.count
        for o in scenario.outputOrder {
            let output = scenario.outputs[o]
            if output.crossing != nil { continue }
            if let compiled = output.expression?.compiled {
                let slots = compiled.referencedSlots
                let known = slots.map { $0 < f ? factorConstants[$0] : outputConstants[$0 - f] }
                guard !known.contains(where: { $0 == nil }) else { continue }
                outputConstants[o] = compiled.value { slot in known[slots.firstIndex(of: slot)!]! }
            } else {
                let values = output.factorIndices.compactMap { factorConstants[$0] }
                outputConstants[o] = values.count == output.factorIndices.count ? values.reduce(1, *) : nil
            }
        }
        var sources: [RowSource] = []
        for (o, output) in scenario.outputs.enumerated() {
            sources.append(
                RowSource(
                    name: output.id, kind: .output, metric: outputMetric(o), a: 0, b: 1, countsBelow: false,
                    countRange: 0..<t,
                    constant: outputConstants[o], offset: output.crossing?.index.from ?? 0,
                    neverLevel: output.crossing == nil ? nil : t))
        }
        for (f, factor) in scenario.factors.enumerated() {
            sources.append(
                RowSource(
                    name: factor.id, kind: .factor, metric: f, a: 0, b: 1, countsBelow: false, countRange: 0..<t,
                    constant: factorConstants[f]))
        }
        for o in scenario.perYearOutputs {
            let output = scenario.outputs[o]
            let years = scenario.years(ofOutput: o)!
            do {
                sources.append(
                    RowSource(
                        name: "\(output.id)_per_year", kind: .perYear, metric: outputMetric(o), a: 0, b: 1 / years,
                        countsBelow: false, countRange: t..<(2 * t),
                        constant: outputConstants[o].map { pow($0, 1 / years) }))
            }
        }
        var belowStart = Array(repeating: 0, count: scenario.outputs.count)
        for d in scenario.derived {
            let s = belowStart[d.outputIndex]
            belowStart[d.outputIndex] += t
            sources.append(
                RowSource(
                    name: d.id, kind: .derived, metric: outputMetric(d.outputIndex), a: log(d.baseline), b: -1,
                    countsBelow: true, countRange: s..<(s + t),
                    constant: outputConstants[d.outputIndex].map { d.baseline / $0 }))
        }
        return sources
    }

    /// Every row's mean and mean square (``RowSource/moments(_:)``), in ``rowSources``' order:
    /// summary.csv's means and precision.csv's variances from one pass over each histogram.
    public func moments(_ metrics: [MetricState]) -> [(mean: Double, meanSquare: Double)] {
        rowSources.map { $0.moments(metrics[$0.metric]) }
    }

    /// The rows of summary.csv, in the documented order: outputs, factors, per-year rows, derived;
    /// only those of `kinds` when given (a sweep writes its outputs' rows only). `moments`, when
    /// given, holds ``moments(_:)``'s answer.
    public func rows(
        _ metrics: [MetricState], kinds: Set<MetricKind>? = nil,
        moments: [(mean: Double, meanSquare: Double)]? = nil
    ) -> [SummaryRow] {
        let sources = rowSources
        return sources.indices.filter { kinds?.contains(sources[$0].kind) ?? true }.map { i in
            let source = sources[i]
            let m = metrics[source.metric]
            var r = row(source, m, mean: moments?[i].mean ?? source.moments(m).mean)
            if source.kind == .factor { r.floorShare = Double(m.floorCount) / Double(m.count) }
            return r
        }
    }

    private func row(_ source: RowSource, _ m: MetricState, mean: Double) -> SummaryRow {
        let n = m.count
        let ranks = scenario.percentiles.map { Quantile.type7Ranks(p: $0 / 100, n: n) }
        let values = source.orderStatistics(m, ranks: ranks.flatMap { [$0.lower, $0.upper] })
        // The trials that never cross sort last; a percentile that reads one of them has no value.
        let crossings = n - (source.neverCount(m) ?? 0)
        let percentiles = ranks.enumerated().map { i, r in
            if r.lower >= crossings || (r.upper >= crossings && r.fraction > 0) { return Double.nan }
            let lo = values[2 * i]
            let hi = values[2 * i + 1]
            return lo + r.fraction * (hi - lo)
        }
        let reported = scenario.thresholds(ofRow: source.name, kind: source.kind)
        let exceedance = zip(scenario.thresholdColumns, source.exceedanceCounts(m)).map { t, count in
            reported.contains(t) ? Double(count) / Double(n) : nil
        }
        return SummaryRow(
            metric: source.name, kind: source.kind, trials: n, mean: crossings < n ? .nan : mean,
            percentiles: percentiles, exceedance: exceedance, floorShare: nil,
            pNever: source.neverCount(m).map { Double($0) / Double(n) })
    }
}

/// One summary row's view of a metric: its values are exp(a + b * log x) over the metric's
/// values x, and its threshold counts sit in the metric's `above` (or, for derived values,
/// `below`) counts at `countRange`.
public struct RowSource: Sendable, Equatable {
    /// The summary row's name.
    public var name: String
    /// What kind of row it is.
    public var kind: MetricKind
    /// Index into `RunState.metrics`.
    public var metric: Int
    /// The offset a in exp(a + b * log x).
    public var a: Double
    /// The slope b in exp(a + b * log x): 1 for the metric itself, 1/years per year, -1 derived.
    public var b: Double
    /// Whether the threshold counts are the metric's `below` counts (derived rows) rather than `above`.
    public var countsBelow: Bool
    /// Where the row's threshold counts sit in the metric's `above` or `below` counts.
    public var countRange: Range<Int>
    /// The row's value when it cannot vary (fixed factors and what is made of them only),
    /// computed from the values themselves rather than through their logs.
    public var constant: Double? = nil
    /// Added to every value: a crossing time's index start (its metric holds the offset from it).
    public var offset: Double = 0
    /// For a crossing time, where the count of trials that never cross sits in the metric's
    /// `above` counts; nil for other rows.
    public var neverLevel: Int? = nil

    /// How many trials never cross (a crossing time's row); nil for other rows.
    public func neverCount(_ m: MetricState) -> Int? { neverLevel.map { m.above[$0] } }

    /// The row's order statistics (0-based ranks of its own values) from the metric's histogram.
    /// A decreasing map (b < 0) reverses ranks: the k-th smallest of baseline/x is the
    /// (n-1-k)-th smallest of x. A metric with values <= 0 has no logs: its own row reads the
    /// values, and a per-year or derived row of it is NaN (`NonPositiveOutputError` stops the run first).
    public func orderStatistics(_ m: MetricState, ranks: [Int]) -> [Double] {
        if offset != 0 { return mappedOrderStatistics(m, ranks: ranks).map { $0 + offset } }
        return mappedOrderStatistics(m, ranks: ranks)
    }

    private func mappedOrderStatistics(_ m: MetricState, ranks: [Int]) -> [Double] {
        if let constant { return ranks.map { _ in constant } }
        guard m.isPositive else { return isIdentity ? m.orderStatistics(ranks: ranks) : ranks.map { _ in .nan } }
        let n = m.count
        let logs = m.orderStatisticLogs(ranks: ranks.map { b < 0 ? n - 1 - $0 : $0 })
        return logs.map { exp(a + b * $0) }
    }

    /// How many of the row's values exceed each threshold.
    public func exceedanceCounts(_ m: MetricState) -> [Int] {
        Array(countsBelow ? m.below[countRange] : m.above[countRange])
    }

    /// The mean of the row's values and of their squares, from the histogram: each value counts
    /// as its bin's centre (kept inside [min, max]), draws at the floor as the floor exactly.
    /// Relative error at most 5.62e-5 * |b| (twice that for the squares).
    public func moments(_ m: MetricState) -> (mean: Double, meanSquare: Double) {
        guard offset != 0 else { return mappedMoments(m) }
        let (mean, meanSquare) = mappedMoments(m)
        return (mean + offset, meanSquare + 2 * offset * mean + offset * offset)
    }

    private func mappedMoments(_ m: MetricState) -> (mean: Double, meanSquare: Double) {
        if let constant { return (constant, constant * constant) }
        guard m.isPositive else { return isIdentity ? m.moments() : (.nan, .nan) }
        if m.minLog == m.maxLog {
            let v = exp(a + b * m.minLog)
            return (v, v * v)
        }
        let (sum, sumSquares) = m.positive.sums(a: a, b: b, atMinimum: m.floorCount)
        return (sum / Double(m.count), sumSquares / Double(m.count))
    }

    /// Whether the row is the metric itself (an output or factor row), not a map of it.
    var isIdentity: Bool { a == 0 && b == 1 }
}
