import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// `exceedance.svg`: P(output > x), one panel per unit (outputs of one unit share an axis; FLOP
/// and tokens, or GPU-hours and dollars, never do), each with its own x axis in that unit: whole
/// decades when every output on it is positive and they span a decade or more, else linear. Each
/// curve joins the histogram's bin edges, where the share above is exact for the binned data;
/// markers at an output's thresholds show summary.csv's P(> t), and each panel's legend lists them.
public enum ExceedanceChart {
    /// The chart width in pixels (its height grows with the panels and their legends).
    public static let width = 900
    static let plotHeight = 308.0

    /// The outputs grouped by unit, in the order their units first appear; series (drawn as
    /// fans) and crossing times (drawn as P(crossed by x)) have charts of their own.
    public static func panels(_ scenario: Scenario) -> [(unit: UnitOfMeasure, outputs: [Int])] {
        var result: [(unit: UnitOfMeasure, outputs: [Int])] = []
        for (o, output) in scenario.outputs.enumerated() where output.series == nil && output.crossing == nil {
            if let i = result.firstIndex(where: { $0.unit == output.unit }) {
                result[i].outputs.append(o)
            } else {
                result.append((output.unit, [o]))
            }
        }
        return result
    }

    /// The SVG document for the folder's outputs.
    public static func render(_ folder: ResultsFolder) -> String {
        let groups = panels(folder.scenario)
        let heights = groups.map { 52 + 20 * Double($0.outputs.count) + plotHeight + 58 }
        var svg = SVGDocument(width: width, height: Int(heights.reduce(0, +)), title: "P(output > x)")
        var top = 0.0
        for ((unit, outputs), height) in zip(groups, heights) {
            let plotTop = top + 52 + 20 * Double(outputs.count)
            svg.group(["class": "panel", "data-unit": unit.isDimensionless ? "1" : unit.description])
            panel(
                &svg, folder, unit: unit, outputs: outputs,
                area: PlotArea(left: 80, top: plotTop, right: 876, bottom: plotTop + plotHeight), top: top)
            svg.close()
            top += height
        }
        return svg.text
    }

    static func panel(
        _ svg: inout SVGDocument, _ folder: ResultsFolder, unit: UnitOfMeasure, outputs: [Int], area: PlotArea,
        top: Double
    ) {
        let s = folder.scenario
        let ids = outputs.map { s.outputs[$0].id }
        let x = ResultsFolder.axis(
            covering: ids.flatMap { folder.span($0, tail: 0.0005) },
            signed: ids.contains(where: folder.isSigned) || ids.allSatisfy(folder.needsLinearAxis), start: area.left,
            end: area.right)
        let y = LinearAxis(upTo: 1, ticks: 5, start: area.bottom, end: area.top)
        let named = unit.isDimensionless ? "" : " [\(unit)]"
        svg.heading(
            "Chance that each output exceeds x" + (unit.isDimensionless ? "" : ", outputs in \(unit)"), y: top + 22)
        svg.linearYAxis(y, in: area, title: "P(output > x)", label: HistogramChart.percentTick)
        svg.valueXAxis(x, in: area, title: "x\(named) (\(x.scaleName))", suffix: unit.isDimensionless ? "x" : "")
        for o in outputs {
            let output = s.outputs[o]
            let style = SeriesStyle.of(o)
            let points = folder.exceedanceCurve(output.id)
            svg.group(["class": "series", "data-output": output.id])
            svg.probabilityCurve(points, x: x, y: y, style: style)
            for (t, p) in shares(folder, output) where x.holds(t) {
                svg.marker(style, x: x.position(t), y: y.position(p), classes: "threshold-marker")
            }
            svg.close()
        }
        // A line and marker per output with its P(> t) for each of its thresholds, above the plot.
        let left = area.left + 4
        svg.group(["class": "legend"])
        for (i, o) in outputs.enumerated() {
            let output = s.outputs[o]
            let style = SeriesStyle.of(o)
            let yy = top + 44 + 20 * Double(i)
            svg.add(
                "line",
                [
                    "x1": left, "y1": yy, "x2": left + 36, "y2": yy, "stroke": style.colour, "stroke-width": 2.5,
                    "stroke-dasharray": style.dash,
                ])
            svg.marker(style, x: left + 18, y: yy, classes: "legend-marker")
            let text = shares(folder, output).map { "P(>\(SVG.quantity($0.t, unit))) \(SVG.percent($0.p))" }.joined(
                separator: "  ")
            svg.add("text", ["class": "legend-label", "x": left + 44, "y": yy + 4.5], text: "\(output.id)  \(text)")
        }
        svg.close()
    }

    /// An output's own thresholds with summary.csv's P(> t).
    static func shares(_ folder: ResultsFolder, _ output: Output) -> [(t: Double, p: Double)] {
        let s = folder.scenario
        let columns = s.thresholdColumns
        guard let row = folder.row(output.id) else { return [] }
        return s.thresholds(ofRow: output.id, kind: .output).compactMap { t in
            columns.firstIndex(of: t).flatMap { row.exceedance[$0] }.map { (t, $0) }
        }
    }

    /// (x, P(value > x)) at the lower edge of the first bin (where it is 1) and at every upper edge.
    public static func curve(_ bins: [HistogramBin], trials: Int) -> [(x: Double, p: Double)] {
        guard let first = bins.first else { return [] }
        var above = bins.reduce(0) { $0 + $1.count }
        var points = [(x: first.lower, p: Double(above) / Double(trials))]
        for b in bins {
            above -= b.count
            points.append((b.upper, Double(above) / Double(trials)))
        }
        return points
    }
}
