import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// `tornado.svg`, drawn when the folder has a sensitivity.csv: for each output, a bar per
/// factor from the output's median with that factor held at its p10 (light) to the median with
/// it at its p90 (dark), split at the output's p50 (solid line), widest swing on top, with the
/// factor's share of the output's variance at the right. One log10 x axis for all panels.
public enum TornadoChart {
    /// The chart width in pixels.
    public static let width = 900
    static let left = 210.0, right = 760.0
    static let rowHeight = 26.0
    static let panelTop = 62.0
    /// Space under a panel's rows for its axis.
    static let axisSpace = 62.0

    /// The SVG document for `rows` (sensitivity.csv) over the folder's outputs.
    public static func render(_ folder: ResultsFolder, _ rows: [SensitivityRow]) -> String {
        let panels =
            folder.scenario.outputs.map(\.id).filter { o in rows.contains { $0.output == o } }
            + Set(rows.map(\.output)).subtracting(folder.scenario.outputs.map(\.id)).sorted()
        let height = panelTop + panels.reduce(0) { h, o in h + panelHeight(rows.filter { $0.output == o }.count) }
        var svg = SVGDocument(width: width, height: Int(height), title: "Sensitivity of each output to each factor")
        svg.heading("Output median with one factor held at its p10 or p90")
        swatch(&svg, x: left, text: "factor at its p10", fill: light)
        swatch(&svg, x: left + 190, text: "factor at its p90", fill: dark)
        svg.add("text", ["x": right + 10, "y": panelTop - 8, "font-weight": "bold"], text: "variance share")

        let centres = panels.map { centre(folder, $0, rows) }
        var top = panelTop
        for (output, mid) in zip(panels, centres) {
            let mine = rows.filter { $0.output == output }.sorted {
                let a = abs(log($0.medianAtP90 / $0.medianAtP10))
                let b = abs(log($1.medianAtP90 / $1.medianAtP10))
                return a != b ? a > b : $0.factor < $1.factor
            }
            let area = PlotArea(
                left: left, top: top + 24, right: right, bottom: top + 24 + rowHeight * Double(mine.count))
            svg.group(["class": "panel", "data-output": output])
            // Each output its own axis, in its own unit.
            let x = LogAxis(
                covering: mine.flatMap { [$0.medianAtP10, $0.medianAtP90] } + [mid], start: left, end: right)
            let unit = folder.scenario.outputs.first { $0.id == output }?.unit
            let dimensionless = unit?.isDimensionless ?? true
            svg.add(
                "text", ["class": "panel-title", "x": 12, "y": top + 16, "font-weight": "bold"],
                text: "\(output) (p50 \(SVG.quantity(mid, unit)))")
            svg.logXAxis(
                x, in: area, title: "\(output): median\(dimensionless ? "" : " [\(unit!)]") (log scale)",
                suffix: dimensionless ? "x" : "")
            for (r, row) in mine.enumerated() {
                let yy = area.top + rowHeight * Double(r)
                svg.group(["class": "factor", "data-factor": row.factor])
                svg.add(
                    "text", ["class": "factor-label", "x": left - 10, "y": yy + 17.5, "text-anchor": "end"],
                    text: row.factor)
                for (value, fill, name) in [(row.medianAtP10, light, "at-p10"), (row.medianAtP90, dark, "at-p90")] {
                    let a = x.position(min(value, mid))
                    let b = x.position(max(value, mid))
                    svg.add(
                        "rect",
                        ["class": name, "x": a, "y": yy + 4, "width": b - a, "height": rowHeight - 8, "fill": fill])
                }
                svg.add(
                    "text", ["class": "variance-share", "x": right + 10, "y": yy + 17.5],
                    text: SVG.percent(row.varianceShare))
                svg.close()
            }
            svg.add(
                "line",
                [
                    "class": "median", "x1": x.position(mid), "y1": area.top - 4, "x2": x.position(mid),
                    "y2": area.bottom,
                    "stroke": "#111", "stroke-width": 2,
                ])
            svg.close()
            top += panelHeight(mine.count)
        }
        return svg.text
    }

    static let light = "#9ecae1"
    static let dark = "#08519c"

    static func panelHeight(_ rows: Int) -> Double { 24 + rowHeight * Double(rows) + axisSpace }

    /// Where an output's bars split: its p50 from summary.csv, or the geometric middle of its
    /// bars when the run did not report p50.
    static func centre(_ folder: ResultsFolder, _ output: String, _ rows: [SensitivityRow]) -> Double {
        if let row = folder.row(output), let i = folder.scenario.percentiles.firstIndex(of: 50) {
            return row.percentiles[i]
        }
        let mine = rows.filter { $0.output == output }
        let logs = mine.flatMap { [log($0.medianAtP10), log($0.medianAtP90)] }
        return exp(logs.reduce(0, +) / Double(max(logs.count, 1)))
    }

    static func swatch(_ svg: inout SVGDocument, x: Double, text: String, fill: String) {
        svg.add("rect", ["x": x, "y": 34, "width": 22, "height": 14, "fill": fill])
        svg.add("text", ["x": x + 28, "y": 45.5], text: text)
    }
}
