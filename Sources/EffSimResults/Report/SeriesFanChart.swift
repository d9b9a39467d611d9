import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// `series-<id>.svg`: an output over an index as a fan: at each index value the median (a line
/// with a marker), the 50% band (p25 to p75) and the 80% band (p10 to p90), read from
/// summary.csv, in the series' unit; the y axis is logarithmic in whole decades when every
/// value drawn is positive and they span a decade or more, else linear. A band whose
/// percentiles the scenario does not report is left out (and the legend says which are drawn).
public enum SeriesFanChart {
    /// The chart's size in pixels.
    public static let width = 900, height = 460

    /// The band pairs and the median, by percentile.
    static let bands: [(lo: Double, hi: Double, label: String, fill: String)] = [
        (10, 90, "80% (p10 to p90)", "#c6dbef"), (25, 75, "50% (p25 to p75)", "#6baed6"),
    ]

    /// The file name of series `id`'s chart.
    public static func fileName(_ id: String) -> String { "series-\(id).svg" }

    /// Series `id`'s outputs, one per index value, in index order.
    static func points(_ folder: ResultsFolder, series id: String) -> [Output] {
        folder.scenario.outputs.filter { $0.series?.series == id }
    }

    /// Percentile `q` (10 for p10) of each of `points` from summary.csv (NaN where a row lacks
    /// it), or nil when the scenario does not report that percentile.
    static func column(_ folder: ResultsFolder, _ points: [Output], percentile q: Double) -> [Double]? {
        guard let i = folder.scenario.percentiles.firstIndex(of: q) else { return nil }
        return points.map { folder.row($0.id)?.percentiles[i] ?? .nan }
    }

    /// The chart of series `id` (the series' id as the scenario names it).
    public static func render(_ folder: ResultsFolder, series id: String) -> String {
        let points = Self.points(folder, series: id)
        let index = points.first?.series?.index
        let unit = points.first?.unit ?? .dimensionless
        func column(_ q: Double) -> [Double]? { Self.column(folder, points, percentile: q) }
        let xs = points.map { $0.series!.value }
        let drawn = bands.compactMap { b in column(b.lo).flatMap { lo in column(b.hi).map { (b, lo, $0) } } }
        let median = column(50)
        let values = (drawn.flatMap { $0.1 + $0.2 } + (median ?? [])).filter(\.isFinite)
        let area = PlotArea(left: 96, top: 78, right: 876, bottom: Double(height) - 70)
        let x = ValueAxis.linear(LinearValueAxis(covering: xs, start: area.left, end: area.right))
        let y = ResultsFolder.axis(
            covering: values, signed: values.contains { $0 <= 0 }, start: area.bottom, end: area.top)
        let label = points.first?.label ?? id
        var svg = SVGDocument(width: width, height: height, title: "\(label) over \(index?.id ?? "its index")")
        svg.heading("\(label)" + (unit.isDimensionless ? "" : " [\(unit)]") + " by \(index?.id ?? "index")")
        svg.valueYAxis(y, in: area, title: unit.isDimensionless ? id : "\(id) [\(unit)] (\(y.scaleName))")
        svg.valueXAxis(x, in: area, title: (index?.id ?? "") + (index?.unit.map { " [\($0)]" } ?? ""), suffix: "")
        func path(_ v: [Double]) -> [String] {
            zip(xs, v).filter { $0.1.isFinite && y.holds($0.1) }.map {
                "\(SVG.number(x.position($0.0))),\(SVG.number(y.position($0.1)))"
            }
        }
        for (band, lo, hi) in drawn {
            svg.add(
                "polygon",
                [
                    "class": "band", "data-band": band.label, "fill": band.fill, "stroke": "none",
                    "points": (path(hi) + path(lo).reversed()).joined(separator: " "),
                ])
        }
        let style = SeriesStyle.of(0)
        if let median {
            svg.group(["class": "median", "data-series": id])
            svg.add(
                "polyline",
                [
                    "class": "curve", "fill": "none", "stroke": style.colour, "stroke-width": 2.5,
                    "points": path(median).joined(separator: " "),
                ])
            for (xv, m) in zip(xs, median) where m.isFinite && y.holds(m) {
                svg.marker(style, x: x.position(xv), y: y.position(m), classes: "median-marker")
            }
            svg.close()
        }
        // The legend above the plot: what each band is.
        svg.group(["class": "legend"])
        var left = area.left + 4
        for (band, _, _) in drawn {
            svg.add("rect", ["x": left, "y": 44, "width": 28, "height": 12, "fill": band.fill])
            svg.add("text", ["class": "legend-label", "x": left + 34, "y": 54], text: band.label)
            left += 34 + SVG.textWidth(band.label) + 24
        }
        if median != nil {
            svg.add(
                "line", ["x1": left, "y1": 50, "x2": left + 28, "y2": 50, "stroke": style.colour, "stroke-width": 2.5])
            svg.add("text", ["class": "legend-label", "x": left + 34, "y": 54], text: "median")
        }
        svg.close()
        return svg.text
    }
}
