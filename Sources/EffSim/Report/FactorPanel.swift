import Foundation

/// `factors.svg`: small multiples of each factor's distribution after clamping, on one shared
/// log10 x axis. Draws raised to the floor are taken out of their bin and drawn as a dark spike
/// at the floor, its height their share of trials; the median is a solid line. Each cell is
/// scaled to its own tallest bar (the shares are written out, so no y axis).
public enum FactorPanel {
    /// The panel width in pixels.
    public static let width = 900
    static let columns = 3
    static let cellWidth = 300.0
    static let cellHeight = 190.0
    static let top = 36.0

    /// The panel height in pixels for `n` factors (rows of cells).
    public static func height(factors n: Int) -> Int {
        Int(top + cellHeight * Double((n + columns - 1) / columns))
    }

    /// The SVG document for the folder's factors.
    public static func render(_ folder: ResultsFolder) -> String {
        let s = folder.scenario
        var svg = SVGDocument(width: width, height: height(factors: s.factors.count), title: "Factors after clamping")
        svg.heading("Each factor after clamping (dark spike: draws raised to the floor)")
        let span = ValueAxis(covering: s.factors.flatMap { folder.centralSpan($0.id) + ($0.floor.map { [$0] } ?? []) },
                             signed: s.factors.contains { folder.isSigned($0.id) }, start: 0, end: 1)
        for (i, factor) in s.factors.enumerated() {
            let left = cellWidth * Double(i % columns), cellTop = top + cellHeight * Double(i / columns)
            let area = PlotArea(left: left + 24, top: cellTop + 56, right: left + cellWidth - 24, bottom: cellTop + cellHeight - 36)
            svg.group(["class": "factor", "data-factor": factor.id])
            cell(&svg, folder, factor, area: area, x: span.placed(start: area.left, end: area.right))
            svg.close()
        }
        return svg.text
    }

    static func cell(_ svg: inout SVGDocument, _ folder: ResultsFolder, _ factor: Factor, area: PlotArea, x: ValueAxis) {
        let trials = Double(folder.record.trials)
        let row = folder.row(factor.id)
        let floorShare = factor.floor == nil ? 0 : row?.floorShare ?? 0
        let floorCount = Int((floorShare * trials).rounded())
        // Floor draws sit exactly at the floor, so in the bin holding it.
        var bins = folder.chartBins(factor.id)
        if let floor = factor.floor, let k = bins.firstIndex(where: { $0.lower <= floor && floor < $0.upper }) {
            bins[k].count = max(0, bins[k].count - floorCount)
        }
        bins = bins.filter(x.holds)
        let tallest = max(bins.map { Double($0.count) / trials }.max() ?? 0, floorShare)
        let y = LinearAxis(upTo: tallest, start: area.bottom, end: area.top)

        svg.add("text", ["class": "factor-title", "x": area.left, "y": area.top - 36, "font-weight": "bold"], text: factor.id)
        var subtitle = factor.group
        if let median = row.flatMap({ r in folder.scenario.percentiles.firstIndex(of: 50).map { r.percentiles[$0] } }) {
            subtitle += " · median \(SVG.times(median))"
        }
        if factor.floor != nil { subtitle += " · \(SVG.percent(floorShare)) at floor" }
        if !factor.distribution.givenQuantiles.isEmpty { subtitle += " · dots: given quantiles" }
        svg.add("text", ["class": "factor-subtitle", "x": area.left, "y": area.top - 18, "font-size": 12], text: subtitle)

        svg.valueXAxis(x, in: area)
        svg.group(["class": "bars", "fill": "#9ecae1"])
        for b in bins where b.count > 0 {
            let top = y.position(Double(b.count) / trials)
            let left = b.lower == b.upper ? x.position(0) - 1.5 : x.position(b.lower)
            svg.add("rect", ["class": "bar", "x": left, "y": top,
                             "width": b.lower == b.upper ? 3 : x.position(b.upper) - x.position(b.lower), "height": area.bottom - top])
        }
        svg.close()
        if let floor = factor.floor, floorCount > 0 {
            let top = y.position(floorShare)
            svg.add("rect", ["class": "floor", "x": x.position(floor), "y": top, "width": 4, "height": area.bottom - top, "fill": "#08306b"])
        }
        givenQuantiles(&svg, folder, factor, area: area, x: x)
        if let row, let i = folder.scenario.percentiles.firstIndex(of: 50) {
            let px = x.position(row.percentiles[i])
            svg.add("line", ["class": "percentile", "data-percentile": "p50", "x1": px, "y1": area.top, "x2": px, "y2": area.bottom,
                             "stroke": "#111", "stroke-width": 2])
        }
    }

    /// For a law fitted to quantiles: the sampled CDF as a line over the bars (0 at the cell's
    /// bottom, 1 at its top) and each given quantile (x, p) as a dot, which the line passes
    /// through when the fit is exact and the floor leaves it alone.
    static func givenQuantiles(_ svg: inout SVGDocument, _ folder: ResultsFolder, _ factor: Factor, area: PlotArea, x: ValueAxis) {
        let given = factor.distribution.givenQuantiles
        guard !given.isEmpty else { return }
        let y = LinearAxis(upTo: 1, start: area.bottom, end: area.top)
        let style = SeriesStyle(colour: "#d95f02", dash: "none", marker: .circle)
        let cdf = ExceedanceChart.curve(folder.chartBins(factor.id), trials: folder.record.trials).filter { x.holds($0.x) }
        svg.group(["class": "given-quantiles"])
        svg.add("polyline", ["class": "cdf", "fill": "none", "stroke": style.colour, "stroke-width": 1.5, "stroke-linejoin": "round",
                             "points": cdf.map { "\(SVG.number(x.position($0.x))),\(SVG.number(y.position(1 - $0.p)))" }.joined(separator: " ")])
        for point in given where x.holds(point.value) {
            svg.marker(style, x: x.position(point.value), y: y.position(point.probability), classes: "given-quantile")
        }
        svg.close()
    }
}
