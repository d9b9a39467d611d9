import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// `histogram-<output>.svg`: one output's distribution as bars of the share of trials per bin,
/// on its own x axis in the output's unit: whole decades with log-width bars when the output is
/// positive and spans a decade or more, else linear with equal-width bars (see
/// `ResultsFolder.bars`), at least 30 bars across its p0.5 to p99.5. Its p10, p50 and p90 are
/// solid lines and each of its thresholds a dashed line labelled P(> t). Numbers carry the unit
/// ("x" only for a dimensionless output).
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
        let s = folder.scenario
        let thresholds = s.thresholds(ofRow: output.id, kind: .output)
        let x = folder.axis(output.id, start: area.left, end: area.right)
        let bars = folder.bars(output.id, on: x).filter { x.holds($0.lower) && x.holds($0.upper) }
        let unit = output.unit
        // A quantity with a unit is not a multiplier: no "x" after its numbers, the unit in the title.
        let suffix = unit.isDimensionless ? "x" : ""
        let y = LinearAxis(upTo: bars.map(\.share).max() ?? 0, start: area.bottom, end: area.top)
        var svg = SVGDocument(width: width, height: height, title: "\(output.id): \(SVG.isolated(output.label))")
        svg.heading("\(output.id) — \(SVG.isolated(output.label))")
        svg.linearYAxis(
            y, in: area, title: "% of trials per bin (\(folder.barLabel(output.id, on: x, unit: unit)))",
            label: percentTick)
        svg.valueXAxis(
            x, in: area, title: "\(output.id)\(unit.isDimensionless ? "" : " [\(unit)]") (\(x.scaleName))",
            suffix: suffix)
        drawBars(&svg, bars, x: x, y: y, area: area)

        guard let row = folder.row(output.id) else { return svg.text }
        svg.group(["class": "percentiles"])
        let percentiles = marked.compactMap { p in
            s.percentiles.firstIndex(of: p).map { (p: p, value: row.percentiles[$0]) }
        }
        for (p, v) in percentiles where x.holds(v) {
            let px = x.position(v)
            svg.add(
                "line",
                [
                    "class": "percentile", "data-percentile": "p" + formatNumber(p), "x1": px,
                    "y1": area.top - (p == 50 ? 20 : 4),
                    "x2": px, "y2": area.bottom, "stroke": "#111", "stroke-width": p == 50 ? 2.5 : 1.5,
                ])
        }
        // One label per value, so equal percentiles (a fixed factor) share it: "p10 = p50 = p90 93x".
        // p50 sits above the others; p10 reads to the left of its line, p90 to the right.
        for (value, group) in grouped(percentiles, unit: unit) where x.holds(value) {
            let name = group.map { "p" + formatNumber($0) }.joined(separator: " = ")
            let p = group.contains(50) ? 50 : group[0]
            svg.label(
                "\(name) \(SVG.quantity(value, unit))", beside: x.position(value),
                y: p == 50 ? area.top - 25 : area.top - 8,
                side: p == 50 ? .centre : p < 50 ? .left : .right, classes: "percentile-label")
        }
        svg.close()
        // Threshold labels last, so their halos keep every line off the text.
        svg.group(["class": "thresholds"])
        let columns = s.thresholdColumns
        let shown = thresholds.filter { x.holds($0) }
        for t in shown {
            let px = x.position(t)
            svg.add(
                "line",
                [
                    "class": "threshold", "data-threshold": formatNumber(t), "x1": px, "y1": area.top, "x2": px,
                    "y2": area.bottom,
                    "stroke": "#a50f15", "stroke-width": 1.5, "stroke-dasharray": "7 4",
                ])
        }
        for (i, t) in shown.enumerated() {
            guard let share = columns.firstIndex(of: t).flatMap({ row.exceedance[$0] }) else { continue }
            svg.label(
                "P(>\(SVG.quantity(t, unit))) \(SVG.percent(share))", beside: x.position(t),
                y: area.top + 16 + 17 * Double(i), side: .right, classes: "threshold-label")
        }
        svg.close()
        return svg.text
    }

    /// Bars as rectangles from the bottom of `area`; the zeros or a constant (lower = upper) a
    /// spike 3px wide.
    static func drawBars(_ svg: inout SVGDocument, _ bars: [Bar], x: ValueAxis, y: LinearAxis, area: PlotArea) {
        svg.group(["class": "bars", "fill": "#9ecae1"])
        for b in bars where b.share > 0 {
            let top = y.position(b.share)
            let left = b.lower == b.upper ? x.position(b.lower) - 1.5 : x.position(b.lower)
            svg.add(
                "rect",
                [
                    "class": "bar", "x": left, "y": top,
                    "width": b.lower == b.upper ? 3 : x.position(b.upper) - x.position(b.lower),
                    "height": area.bottom - top,
                ])
        }
        svg.close()
    }

    /// Percentiles in order, those that print alike gathered under the first one's value.
    static func grouped(_ shown: [(p: Double, value: Double)], unit: UnitOfMeasure? = nil) -> [(
        value: Double, percentiles: [Double]
    )] {
        var result: [(value: Double, percentiles: [Double])] = []
        for (p, v) in shown {
            if let last = result.last, SVG.quantity(last.value, unit) == SVG.quantity(v, unit) {
                result[result.count - 1].percentiles.append(p)
            } else {
                result.append((v, [p]))
            }
        }
        return result
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
        let b = chartBinsPerDecade
        let width = record.binsPerDecade / b
        var result: [HistogramBin] = []
        for bin in histograms[metric] ?? [] {
            let k = Int((Double(bin.bin) / Double(width)).rounded(.down))
            if let last = result.last, last.bin == k, last.sign == bin.sign {
                result[result.count - 1].count += bin.count
            } else if bin.sign == 0 {
                result.append(bin)
            } else {
                let lower = HistogramCSV.edge(k, b)
                let upper = HistogramCSV.edge(k + 1, b)
                result.append(
                    bin.sign > 0
                        ? HistogramBin(bin: k, lower: lower, upper: upper, count: bin.count)
                        : HistogramBin(bin: k, lower: -upper, upper: -lower, count: bin.count))
            }
        }
        return result
    }
}
