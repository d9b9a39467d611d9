import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// `crossing-<id>.svg`: a crossing time's "P(crossed by x)": the share of all trials (those
/// that never cross included) whose crossing time is at most x, over the index's range. The
/// curve joins histogram.csv's bin edges, where the share is exact for the binned data; markers
/// at the output's thresholds show 1 - summary.csv's P(> t); the curve ends below 100% by
/// `p_never`, which the legend gives.
public enum CrossingChart {
    /// The chart's size in pixels.
    public static let width = 900, height = 440

    /// The file name of crossing time `id`'s chart.
    public static func fileName(_ id: String) -> String { "crossing-\(id).svg" }

    /// (x, P(crossing time <= x)) from the first index value to the last: 0 before the first bin,
    /// the running share at every bin's upper edge, flat to the end.
    public static func curve(_ bins: [HistogramBin], trials: Int, from: Double, to: Double) -> [(x: Double, p: Double)]
    {
        var crossed = 0
        var points = [(x: from, p: 0.0)]
        for b in bins {
            if b.lower > points.last!.x { points.append((b.lower, Double(crossed) / Double(trials))) }
            crossed += b.count
            points.append((Swift.max(b.upper, b.lower), Double(crossed) / Double(trials)))
        }
        if points.last!.x < to { points.append((to, Double(crossed) / Double(trials))) }
        return points
    }

    /// The chart of output `output`, a crossing time.
    public static func render(_ folder: ResultsFolder, output: Output) -> String {
        guard let crossing = output.crossing else { return "" }
        let s = folder.scenario
        let index = crossing.index
        let last = index.value(crossing.points.count - 1)
        let area = PlotArea(left: 80, top: 78, right: 876, bottom: Double(height) - 70)
        let x = ValueAxis.linear(LinearValueAxis(covering: [index.from, last], start: area.left, end: area.right))
        let y = LinearAxis(upTo: 1, ticks: 5, start: area.bottom, end: area.top)
        let level =
            "\(crossing.above ? "above" : "below") \(SVG.quantity(crossing.level, s.outputs[crossing.points[0]].unit))"
        var svg = SVGDocument(width: width, height: height, title: "P(\(output.id) by x)")
        svg.heading("P(crossed by \(index.id)): \(crossing.series) first \(level)")
        svg.linearYAxis(y, in: area, title: "P(crossed by \(index.id))", label: HistogramChart.percentTick)
        svg.valueXAxis(x, in: area, title: index.id + (index.unit.map { " [\($0)]" } ?? ""), suffix: "")
        let style = SeriesStyle.of(0)
        let points = curve(folder.histograms[output.id] ?? [], trials: folder.record.trials, from: index.from, to: last)
        svg.group(["class": "series", "data-output": output.id])
        svg.add(
            "polyline",
            [
                "class": "curve", "fill": "none", "stroke": style.colour, "stroke-width": 2.5,
                "stroke-linejoin": "round",
                "points": points.filter { x.holds($0.x) }.map {
                    "\(SVG.number(x.position($0.x))),\(SVG.number(y.position($0.p)))"
                }.joined(separator: " "),
            ])
        let byThreshold = ExceedanceChart.shares(folder, output).map { (t: $0.t, p: 1 - $0.p) }
        for (t, p) in byThreshold where x.holds(t) {
            svg.marker(style, x: x.position(t), y: y.position(p), classes: "threshold-marker")
        }
        svg.close()
        let never = folder.row(output.id)?.pNever ?? 0
        let text =
            // Thresholds outside the index's range (the scenario's 10, 100, 1000 on a year) say nothing.
            byThreshold.filter { $0.t >= index.from && $0.t <= last }.map {
                "P(by \(formatNumber($0.t))) \(SVG.percent($0.p))"
            } + [
                "never by \(formatNumber(last)) \(SVG.percent(never))"
            ]
        svg.add(
            "text", ["class": "legend-label", "x": area.left + 4, "y": 54],
            text: "\(output.id)  " + text.joined(separator: "  "))
        return svg.text
    }
}
