import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// `histogram-<output>.svg`: one output's distribution as bars of the share of trials per bin
/// on a log10 x axis (linear when an output takes values <= 0), with its p10, p50 and p90 as
/// solid lines and each threshold as a dashed line labelled P(> t). All outputs share one x
/// axis so their charts compare at a glance.
public enum HistogramChart {
    /// The chart width in pixels.
    public static let width = 900
    /// The chart height in pixels.
    public static let height = 390
    static let area = PlotArea(left: 80, top: 74, right: 876, bottom: 326)

    /// The percentiles marked, when the scenario reports them.
    static let marked: [Double] = [10, 50, 90]

    /// The SVG document for one of the folder's outputs.
    public static func render(_ folder: ResultsFolder, output: Output) -> String {
        let trials = Double(folder.record.trials)
        let bins = folder.chartBins(output.id)
        let x = axis(folder, unit: output.unit, in: area)
        // A quantity with a unit is not a multiplier: no "x" after its numbers, the unit in the title.
        let suffix = output.unit.isDimensionless ? "x" : ""
        let y = LinearAxis(upTo: (bins.filter(x.holds).map { Double($0.count) }.max() ?? 0) / trials, start: area.bottom, end: area.top)
        var svg = SVGDocument(width: width, height: height, title: "\(output.id): \(SVG.isolated(output.label))")
        svg.heading("\(output.id) — \(SVG.isolated(output.label))")
        svg.linearYAxis(y, in: area, title: "% of trials per bin (1/\(folder.chartBinsPerDecade) decade)", label: percentTick)
        let unit = output.unit.isDimensionless ? "" : " [\(output.unit)]"
        svg.valueXAxis(x, in: area, title: "\(output.id)\(unit) (\(x.scaleName))", suffix: suffix)

        svg.group(["class": "bars", "fill": "#9ecae1"])
        for b in bins where x.holds(b) {
            let top = y.position(Double(b.count) / trials)
            // The zeros (lower = upper = 0) are a spike 3 px wide.
            let left = b.lower == b.upper ? x.position(0) - 1.5 : x.position(b.lower)
            svg.add("rect", ["class": "bar", "x": left, "y": top,
                             "width": b.lower == b.upper ? 3 : x.position(b.upper) - x.position(b.lower), "height": area.bottom - top])
        }
        svg.close()

        guard let row = folder.row(output.id) else { return svg.text }
        let s = folder.scenario
        svg.group(["class": "percentiles"])
        let percentiles = marked.compactMap { p in s.percentiles.firstIndex(of: p).map { (p: p, value: row.percentiles[$0]) } }
        for (p, v) in percentiles {
            let px = x.position(v)
            svg.add("line", ["class": "percentile", "data-percentile": "p" + formatNumber(p), "x1": px, "y1": area.top - (p == 50 ? 20 : 4),
                             "x2": px, "y2": area.bottom, "stroke": "#111", "stroke-width": p == 50 ? 2.5 : 1.5])
        }
        // One label per value, so equal percentiles (a fixed factor) share it: "p10 = p50 = p90 93x".
        // p50 sits above the others; p10 reads to the left of its line, p90 to the right.
        for (value, group) in grouped(percentiles) {
            let name = group.map { "p" + formatNumber($0) }.joined(separator: " = ")
            let p = group.contains(50) ? 50 : group[0]
            svg.label("\(name) \(SVG.times(value, suffix: suffix))", beside: x.position(value), y: p == 50 ? area.top - 25 : area.top - 8,
                      side: p == 50 ? .centre : p < 50 ? .left : .right, classes: "percentile-label")
        }
        svg.close()
        // Threshold labels last, so their halos keep every line off the text.
        svg.group(["class": "thresholds"])
        let shown = s.thresholds.indices.filter { x.holds(s.thresholds[$0]) }
        for i in shown {
            let px = x.position(s.thresholds[i])
            svg.add("line", ["class": "threshold", "data-threshold": formatNumber(s.thresholds[i]), "x1": px, "y1": area.top, "x2": px, "y2": area.bottom,
                             "stroke": "#a50f15", "stroke-width": 1.5, "stroke-dasharray": "7 4"])
        }
        for i in shown {
            svg.label("P(>\(SVG.times(s.thresholds[i], suffix: suffix))) \(SVG.percent(row.exceedance[i]))", beside: x.position(s.thresholds[i]),
                      y: area.top + 16 + 17 * Double(i), side: .right, classes: "threshold-label")
        }
        svg.close()
        return svg.text
    }

    /// Percentiles in order, those that print alike gathered under the first one's value.
    static func grouped(_ shown: [(p: Double, value: Double)]) -> [(value: Double, percentiles: [Double])] {
        var result: [(value: Double, percentiles: [Double])] = []
        for (p, v) in shown {
            if let last = result.last, SVG.times(last.value) == SVG.times(v) {
                result[result.count - 1].percentiles.append(p)
            } else {
                result.append((v, [p]))
            }
        }
        return result
    }

    /// The x axis every output's histogram (and the exceedance chart) uses: whole decades
    /// covering the central 99.9% of every output, or a linear axis when an output takes values <= 0.
    /// With `unit`, only the outputs in that unit share it (FLOP and days on one axis would
    /// squeeze both); a scenario without units has one axis for all.
    static func axis(_ folder: ResultsFolder, unit: UnitOfMeasure? = nil, in area: PlotArea) -> ValueAxis {
        let ids = folder.scenario.outputs.filter { unit == nil || $0.unit == unit }.map(\.id)
        return ValueAxis(covering: ids.flatMap { folder.centralSpan($0) }, signed: ids.contains(where: folder.isSigned),
                         start: area.left, end: area.right)
    }

    /// A share of trials as a tick label: 0%, 2%, 0.5%.
    static func percentTick(_ share: Double) -> String { String(format: "%g%%", share * 100) }
}

extension ResultsFolder {
    /// Bins a decade in the charts: the run's own, or the largest divisor of it up to 20, so a
    /// fine histogram still draws as bars a few pixels wide. Bins are aligned on powers of ten,
    /// so merging whole groups of them keeps the edges exact.
    public var chartBinsPerDecade: Int {
        let b = record.binsPerDecade
        return (1...min(b, 20)).last { b % $0 == 0 } ?? 1
    }

    /// The lower edge of the bin holding a metric's `tail` quantile and the upper edge of the bin
    /// holding its 1 - `tail` quantile: charts span at least this, and leave out the farthest
    /// tails, which would be invisible bars yet take up decades of axis.
    public func centralSpan(_ metric: String, tail: Double = 0.0005) -> [Double] {
        let bins = chartBins(metric)
        let total = Double(bins.reduce(0) { $0 + $1.count })
        var below = 0.0
        var span: [Double] = []
        for b in bins {
            if span.isEmpty && (below + Double(b.count)) / total > tail { span.append(b.lower) }
            below += Double(b.count)
            if below / total >= 1 - tail { return span + [b.upper] }
        }
        return span
    }

    /// Whether a metric takes values <= 0 (histogram.csv has rows at or below 0).
    public func isSigned(_ metric: String) -> Bool {
        (histograms[metric] ?? []).contains { $0.sign <= 0 }
    }

    /// A metric's bins from histogram.csv merged to `chartBinsPerDecade` (negative bins by
    /// their magnitude's bin, mirrored; the zeros stay one bin).
    public func chartBins(_ metric: String) -> [HistogramBin] {
        let b = chartBinsPerDecade, width = record.binsPerDecade / b
        var result: [HistogramBin] = []
        for bin in histograms[metric] ?? [] {
            let k = Int((Double(bin.bin) / Double(width)).rounded(.down))
            if let last = result.last, last.bin == k, last.sign == bin.sign {
                result[result.count - 1].count += bin.count
            } else if bin.sign == 0 {
                result.append(bin)
            } else {
                let lower = HistogramCSV.edge(k, b), upper = HistogramCSV.edge(k + 1, b)
                result.append(bin.sign > 0 ? HistogramBin(bin: k, lower: lower, upper: upper, count: bin.count)
                                           : HistogramBin(bin: k, lower: -upper, upper: -lower, count: bin.count))
            }
        }
        return result
    }
}
