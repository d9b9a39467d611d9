import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// `exceedance.svg`: P(output > x) for every output on one log10 x axis (linear when an output
/// takes values <= 0). Each curve joins the
/// histogram's bin edges, where the share above is exact for the binned data; markers at the
/// thresholds show summary.csv's P(> t), and the legend lists them.
public enum ExceedanceChart {
    /// The chart width in pixels (its height grows with the legend).
    public static let width = 900

    /// The plot sits below the legend, which has a line per output.
    static func plotArea(outputs n: Int) -> PlotArea {
        PlotArea(left: 80, top: 52 + 20 * Double(n), right: 876, bottom: 360 + 20 * Double(n))
    }

    /// The SVG document for the folder's outputs.
    public static func render(_ folder: ResultsFolder) -> String {
        let s = folder.scenario
        let area = plotArea(outputs: s.outputs.count)
        let x = HistogramChart.axis(folder, in: area)
        let y = LinearAxis(upTo: 1, ticks: 5, start: area.bottom, end: area.top)
        var svg = SVGDocument(width: width, height: Int(area.bottom) + 58, title: "P(output > x)")
        svg.heading("Chance that each output exceeds x")
        svg.linearYAxis(y, in: area, title: "P(output > x)", label: HistogramChart.percentTick)
        svg.valueXAxis(x, in: area, title: "x (\(x.scaleName))")

        for (o, output) in s.outputs.enumerated() {
            let style = SeriesStyle.of(o)
            let points = curve(folder.chartBins(output.id), trials: folder.record.trials)
            svg.group(["class": "series", "data-output": output.id])
            svg.add("polyline", ["class": "curve", "fill": "none", "stroke": style.colour, "stroke-width": 2.5,
                                 "stroke-dasharray": style.dash, "stroke-linejoin": "round",
                                 "points": points.filter { x.holds($0.x) }.map { "\(SVG.number(x.position($0.x))),\(SVG.number(y.position($0.p)))" }.joined(separator: " ")])
            if let row = folder.row(output.id) {
                for (i, t) in s.thresholds.enumerated() where x.holds(t) {
                    svg.marker(style, x: x.position(t), y: y.position(row.exceedance[i]), classes: "threshold-marker")
                }
            }
            svg.close()
        }
        legend(&svg, folder, area: area)
        return svg.text
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

    /// A line and marker per output with its P(> t) for each threshold, above the plot.
    static func legend(_ svg: inout SVGDocument, _ folder: ResultsFolder, area: PlotArea) {
        let left = area.left + 4
        svg.group(["class": "legend"])
        for (o, output) in folder.scenario.outputs.enumerated() {
            let style = SeriesStyle.of(o), yy = 44 + 20 * Double(o)
            svg.add("line", ["x1": left, "y1": yy, "x2": left + 36, "y2": yy, "stroke": style.colour, "stroke-width": 2.5, "stroke-dasharray": style.dash])
            svg.marker(style, x: left + 18, y: yy, classes: "legend-marker")
            let shares = folder.row(output.id).map { row in
                zip(folder.scenario.thresholds, row.exceedance).map { "P(>\(SVG.times($0))) \(SVG.percent($1))" }.joined(separator: "  ")
            } ?? ""
            svg.add("text", ["class": "legend-label", "x": left + 44, "y": yy + 4.5], text: "\(output.id)  \(shares)")
        }
        svg.close()
    }
}
