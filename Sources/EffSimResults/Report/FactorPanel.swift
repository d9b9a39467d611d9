import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// `factors.svg`: small multiples of each factor's distribution after clamping, each on its own x
/// axis in the factor's unit (whole decades for a positive factor spanning a decade or more, else
/// linear), with ticks spaced so that no two labels touch. Draws raised to the floor are taken out
/// of their bin and drawn as a dark spike at the floor, its height their share of trials; the
/// median is a solid line. A Bernoulli factor shows its two values, 0 and 1, and P(1). Each cell
/// is scaled to its own tallest bar (the shares are written out, so no y axis).
public enum FactorPanel {
    /// The panel width in pixels.
    public static let width = 900
    static let columns = 3
    static let cellWidth = 300.0
    static let cellHeight = 200.0
    static let top = 36.0

    /// The panel height in pixels for `n` factors (rows of cells).
    public static func height(factors n: Int) -> Int {
        Int(top + cellHeight * Double((n + columns - 1) / columns))
    }

    /// The SVG document for the folder's factors.
    public static func render(_ folder: ResultsFolder) -> String {
        let s = folder.scenario
        var svg = SVGDocument(width: width, height: height(factors: s.factors.count), title: "Factors after clamping")
        svg.heading(
            s.factors.contains { $0.floor != nil }
                ? "Each factor after clamping (dark spike: draws raised to the floor)" : "Each factor's draws")
        for (i, factor) in s.factors.enumerated() {
            let left = cellWidth * Double(i % columns)
            let cellTop = top + cellHeight * Double(i / columns)
            // 36px each side: a tick label at a cell's edge (up to 7 characters) stays clear of the next cell's.
            let area = PlotArea(
                left: left + 36, top: cellTop + 56, right: left + cellWidth - 36, bottom: cellTop + cellHeight - 46)
            svg.group(["class": "factor", "data-factor": factor.id])
            if case let .bernoulli(d) = factor.distribution {
                bernoulli(&svg, folder, factor, p: d.p, area: area)
            } else {
                cell(&svg, folder, factor, area: area)
            }
            svg.close()
        }
        return svg.text
    }

    static func title(_ svg: inout SVGDocument, _ factor: Factor, _ subtitle: String, area: PlotArea) {
        svg.add(
            "text", ["class": "factor-title", "x": area.left, "y": area.top - 36, "font-weight": "bold"],
            text: factor.id)
        svg.add(
            "text", ["class": "factor-subtitle", "x": area.left, "y": area.top - 18, "font-size": 12], text: subtitle)
    }

    /// The axis title under a cell: the unit, and the scale.
    static func axisTitle(_ factor: Factor, _ x: ValueAxis) -> String {
        (factor.unit.map { $0.isDimensionless ? "" : "[\($0)] " } ?? "") + "(\(x.scaleName))"
    }

    static func cell(_ svg: inout SVGDocument, _ folder: ResultsFolder, _ factor: Factor, area: PlotArea) {
        let trials = Double(folder.record.trials)
        let row = folder.row(factor.id)
        let floorShare = factor.floor == nil ? 0 : row?.floorShare ?? 0
        let floorCount = Int((floorShare * trials).rounded())
        let x = folder.axis(factor.id, extra: factor.floor.map { [$0] } ?? [], start: area.left, end: area.right)
        // Floor draws sit exactly at the floor, so in the bin holding it.
        let bars = folder.bars(factor.id, on: x, removing: floorCount, at: factor.floor).filter {
            x.holds($0.lower) && x.holds($0.upper)
        }
        let y = LinearAxis(upTo: max(bars.map(\.share).max() ?? 0, floorShare), start: area.bottom, end: area.top)

        var subtitle = factor.group
        if let median = row.flatMap({ r in folder.scenario.percentiles.firstIndex(of: 50).map { r.percentiles[$0] } }) {
            subtitle += (subtitle.isEmpty ? "" : " · ") + "median \(SVG.quantity(median, factor.unit))"
        }
        if factor.floor != nil { subtitle += " · \(SVG.percent(floorShare)) at floor" }
        if !factor.distribution.givenQuantiles.isEmpty { subtitle += " · dots: given quantiles" }
        title(&svg, factor, subtitle, area: area)

        svg.valueXAxis(
            x, in: area, title: axisTitle(factor, x), suffix: factor.unit.map { $0.isDimensionless ? "x" : "" } ?? "x")
        HistogramChart.drawBars(&svg, bars, x: x, y: y, area: area)
        if let floor = factor.floor, floorCount > 0, x.holds(floor) {
            let top = y.position(floorShare)
            svg.add(
                "rect",
                [
                    "class": "floor", "x": x.position(floor), "y": top, "width": 4, "height": area.bottom - top,
                    "fill": "#08306b",
                ])
        }
        givenQuantiles(&svg, folder, factor, area: area, x: x)
        if let row, let i = folder.scenario.percentiles.firstIndex(of: 50), x.holds(row.percentiles[i]) {
            let px = x.position(row.percentiles[i])
            svg.add(
                "line",
                [
                    "class": "percentile", "data-percentile": "p50", "x1": px, "y1": area.top, "x2": px,
                    "y2": area.bottom,
                    "stroke": "#111", "stroke-width": 2,
                ])
        }
    }

    /// For a law fitted to quantiles: the sampled CDF as a line over the bars (0 at the cell's
    /// bottom, 1 at its top) and each given quantile (x, p) as a dot, which the line passes
    /// through when the fit is exact and the floor leaves it alone.
    static func givenQuantiles(
        _ svg: inout SVGDocument, _ folder: ResultsFolder, _ factor: Factor, area: PlotArea, x: ValueAxis
    ) {
        let given = factor.distribution.givenQuantiles
        guard !given.isEmpty else { return }
        let y = LinearAxis(upTo: 1, start: area.bottom, end: area.top)
        let style = SeriesStyle(colour: "#d95f02", dash: "none", marker: .circle)
        let cdf = ExceedanceChart.curve(folder.chartBins(factor.id), trials: folder.record.trials).filter {
            x.holds($0.x)
        }
        svg.group(["class": "given-quantiles"])
        svg.add(
            "polyline",
            [
                "class": "cdf", "fill": "none", "stroke": style.colour, "stroke-width": 1.5, "stroke-linejoin": "round",
                "points": cdf.map { "\(SVG.number(x.position($0.x))),\(SVG.number(y.position(1 - $0.p)))" }.joined(
                    separator: " "),
            ])
        for point in given where x.holds(point.value) {
            svg.marker(style, x: x.position(point.value), y: y.position(point.probability), classes: "given-quantile")
        }
        svg.close()
    }

    /// A Bernoulli factor: a bar at 0 and a bar at 1, each its share of the draws, and P(1).
    static func bernoulli(
        _ svg: inout SVGDocument, _ folder: ResultsFolder, _ factor: Factor, p: Double, area: PlotArea
    ) {
        let trials = Double(folder.record.trials)
        let bins = folder.histograms[factor.id] ?? []
        let zeros = Double(bins.filter { $0.lower == 0 && $0.upper == 0 }.reduce(0) { $0 + $1.count }) / trials
        let ones = Double(bins.filter { $0.lower <= 1 && 1 < $0.upper }.reduce(0) { $0 + $1.count }) / trials
        var axis = LinearValueAxis(covering: [0, 1], start: area.left + 40, end: area.right - 40)
        axis.step = 1
        let x = ValueAxis.linear(axis)
        let y = LinearAxis(upTo: max(zeros, ones), start: area.bottom, end: area.top)
        title(
            &svg, factor,
            (factor.group.isEmpty ? "" : factor.group + " · ") + "P(1) \(SVG.percent(ones)) (p = \(formatNumber(p)))",
            area: area)
        svg.valueXAxis(x, in: area, title: "bernoulli: 0 or 1")
        svg.group(["class": "bars", "fill": "#9ecae1"])
        for (value, share) in [(0.0, zeros), (1.0, ones)] where share > 0 {
            let top = y.position(share)
            svg.add(
                "rect",
                [
                    "class": "bar", "data-value": formatNumber(value), "x": x.position(value) - 12, "y": top,
                    "width": 24, "height": area.bottom - top,
                ])
        }
        svg.close()
    }
}
