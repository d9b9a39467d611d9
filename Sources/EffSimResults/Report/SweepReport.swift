import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// `effsim sweep --report`: `report.html` beside `sweep.csv`, one self-contained page (inline SVG,
/// no script, no network). Per output, p10, p50 and p90 (those the scenario reports) against the
/// first varied parameter on a log y axis, a line per statistic, and each P(> t) on a linear axis
/// from 0 to 100%. With two parameters, a small multiple per value of the second. Parameter values
/// sit at even steps in grid order, labelled as written (a sweep's values need not be numbers).
public enum SweepReport {
    /// One panel's width in pixels.
    public static let width = 640

    /// The page for a finished sweep: its rows (sweep.csv's), the sweep and its validated points.
    public static func render(_ rows: [SweepRow], sweep: Sweep, points: [Sweep.Point]) -> String {
        let scenario = points[0].scenario
        let first = sweep.parameters[0]
        let panels: [[JSONValue]] = sweep.parameters.count > 1 ? sweep.parameters[1].values.map { [$0] } : [[]]
        var html =
            PageStyle.head(title: "effsim sweep: \(sweep.name)", bodyClass: "wide") + """
                <h1>effsim sweep: \(SVG.escape(sweep.name))</h1>
                <p>\(SVG.escape(sweep.description))</p>
                <p>\(points.count) points of \(SVG.escape(sweep.basePath)), \(scenario.trials) trials each, seed \(scenario.seed).</p>

                """
        let quantiles = ["p10", "p50", "p90"].filter(scenario.statisticColumns.contains)
        let exceedance = scenario.statisticColumns.filter { $0.hasPrefix("p_gt_") }
        for output in scenario.outputs {
            html += "<h2>\(SVG.escape(output.id))</h2>\n"
            for (statistics, log) in [(quantiles, true), (exceedance, false)] where !statistics.isEmpty {
                html += "<div class=\"grid\">\n"
                for panel in panels {
                    let series = statistics.map { statistic in
                        first.values.map { value -> Double? in
                            let key = [value] + panel
                            return rows.first { $0.values == key && $0.summary.metric == output.id }
                                .flatMap { row in
                                    points.first { $0.values == key }.flatMap {
                                        row.summary.value(of: statistic, in: $0.scenario)
                                    }
                                }
                        }
                    }
                    let title =
                        output.id
                        + (panel.isEmpty ? "" : ", \(sweep.parameters[1].path.description) = \(Sweep.text(panel[0]))")
                    html += chart(
                        title: title, parameter: first.path.description, labels: first.values.map(Sweep.text),
                        statistics: statistics, series: series, log: log, unit: output.unit)
                }
                html += "</div>\n"
            }
        }
        return html + "</body>\n</html>\n"
    }

    /// One panel: a line and markers per statistic over the parameter's values.
    static func chart(
        title: String, parameter: String, labels: [String], statistics: [String], series: [[Double?]], log: Bool,
        unit: UnitOfMeasure = .dimensionless
    ) -> String {
        let area = PlotArea(
            left: 80, top: 40 + 20 * Double(statistics.count), right: Double(width) - 24,
            bottom: 300 + 20 * Double(statistics.count))
        var svg = SVGDocument(width: width, height: Int(area.bottom) + 64, title: title)
        svg.heading(title)
        let values = series.flatMap { $0.compactMap { $0 } }
        let y: (Double) -> Double
        if log {
            // Positive values spanning a decade or more on whole decades, else a linear axis
            // (labelled in the output's unit: "x" only when it has none).
            let axis = ResultsFolder.axis(
                covering: values, signed: values.contains { $0 <= 0 }, start: area.bottom, end: area.top)
            y = axis.position
            let ticks: [Double]
            switch axis {
            case let .log(l): ticks = (l.lo...l.hi).map { HistogramCSV.edge($0, 1) }
            case let .linear(l): ticks = l.ticks
            }
            svg.group(["class": "y-axis"])
            for v in ticks {
                let yy = axis.position(v)
                let text: String
                if case let .linear(l) = axis {
                    text = l.label(v)
                } else {
                    text = SVG.times(v, suffix: unit.isDimensionless ? "x" : "")
                }
                svg.add(
                    "line",
                    ["class": "grid", "x1": area.left, "y1": yy, "x2": area.right, "y2": yy, "stroke": "#e3e3e3"])
                svg.add(
                    "text", ["class": "tick-label", "x": area.left - 9, "y": yy + 4.5, "text-anchor": "end"], text: text
                )
            }
            svg.add(
                "line",
                [
                    "class": "axis-line", "x1": area.left, "y1": area.top, "x2": area.left, "y2": area.bottom,
                    "stroke": "#222",
                ])
            let middle = (area.top + area.bottom) / 2
            svg.add(
                "text",
                [
                    "class": "axis-title", "x": 16, "y": middle, "text-anchor": "middle",
                    "transform": "rotate(-90 16 \(SVG.number(middle)))",
                ],
                text: "value\(unit.isDimensionless ? "" : " [\(unit)]") (\(axis.scaleName))")
            svg.close()
        } else {
            let axis = LinearAxis(upTo: 1, ticks: 5, start: area.bottom, end: area.top)
            y = axis.position
            svg.linearYAxis(axis, in: area, title: "P(> t)", label: HistogramChart.percentTick)
        }
        let n = labels.count
        func x(_ i: Int) -> Double {
            n == 1
                ? (area.left + area.right) / 2
                : area.left + 20 + Double(i) * (area.right - area.left - 40) / Double(n - 1)
        }
        svg.group(["class": "x-axis"])
        svg.add(
            "line",
            [
                "class": "axis-line", "x1": area.left, "y1": area.bottom, "x2": area.right, "y2": area.bottom,
                "stroke": "#222",
            ])
        let every = max(1, n / 8)
        for (i, label) in labels.enumerated() where i % every == 0 || i == n - 1 {
            svg.add(
                "text", ["class": "tick-label", "x": x(i), "y": area.bottom + 20, "text-anchor": "middle"], text: label)
        }
        svg.add(
            "text",
            ["class": "axis-title", "x": (area.left + area.right) / 2, "y": area.bottom + 42, "text-anchor": "middle"],
            text: parameter)
        svg.close()
        for (s, statistic) in statistics.enumerated() {
            let style = SeriesStyle.of(s)
            let known = series[s].enumerated().compactMap { i, v in v.map { (x(i), y($0)) } }
            svg.group(["class": "series", "data-statistic": statistic])
            svg.add(
                "polyline",
                [
                    "class": "curve", "fill": "none", "stroke": style.colour, "stroke-width": 2.5,
                    "stroke-dasharray": style.dash,
                    "points": known.map { "\(SVG.number($0.0)),\(SVG.number($0.1))" }.joined(separator: " "),
                ])
            for point in known { svg.marker(style, x: point.0, y: point.1, classes: "point") }
            svg.close()
            let yy = 44 + 20 * Double(s)
            svg.add(
                "line",
                [
                    "x1": area.left + 4, "y1": yy, "x2": area.left + 40, "y2": yy, "stroke": style.colour,
                    "stroke-width": 2.5, "stroke-dasharray": style.dash,
                ])
            svg.add(
                "text", ["class": "legend-label", "x": area.left + 48, "y": yy + 4.5],
                text: ConsoleReport.label(statistic))
        }
        return svg.text
    }
}
