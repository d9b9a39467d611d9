import EffSimCore
import EffSimModel
import EffSimSampling

extension SVGDocument {
    /// A log x axis along the bottom of `area`: axis line, ticks, labels (1x, 10x, ...) and light
    /// vertical grid lines at the labelled decades. Labels carry class "tick-label".
    mutating func logXAxis(_ axis: LogAxis, in area: PlotArea, title: String? = nil, suffix: String = "x") {
        group(["class": "x-axis"])
        for v in axis.minorTicks {
            let x = axis.position(v)
            add(
                "line",
                ["class": "minor-tick", "x1": x, "y1": area.bottom, "x2": x, "y2": area.bottom + 4, "stroke": "#666"])
        }
        for v in axis.majorTicks {
            let x = axis.position(v)
            add("line", ["class": "grid", "x1": x, "y1": area.top, "x2": x, "y2": area.bottom, "stroke": "#e3e3e3"])
            add(
                "line", ["class": "tick", "x1": x, "y1": area.bottom, "x2": x, "y2": area.bottom + 7, "stroke": "#222"])
            add(
                "text", ["class": "tick-label", "x": x, "y": area.bottom + 22, "text-anchor": "middle"],
                text: SVG.times(v, suffix: suffix))
        }
        add(
            "line",
            [
                "class": "axis-line", "x1": area.left, "y1": area.bottom, "x2": area.right, "y2": area.bottom,
                "stroke": "#222",
            ])
        if let title {
            add(
                "text",
                [
                    "class": "axis-title", "x": (area.left + area.right) / 2, "y": area.bottom + 42,
                    "text-anchor": "middle",
                ], text: title)
        }
        close()
    }

    /// A linear y axis along the left of `area` with labels made by `label` and horizontal grid lines.
    mutating func linearYAxis(_ axis: LinearAxis, in area: PlotArea, title: String, label: (Double) -> String) {
        group(["class": "y-axis"])
        for v in axis.ticks {
            let y = axis.position(v)
            add("line", ["class": "grid", "x1": area.left, "y1": y, "x2": area.right, "y2": y, "stroke": "#e3e3e3"])
            add("line", ["class": "tick", "x1": area.left - 6, "y1": y, "x2": area.left, "y2": y, "stroke": "#222"])
            add(
                "text", ["class": "tick-label", "x": area.left - 9, "y": y + 4.5, "text-anchor": "end"], text: label(v))
        }
        add(
            "line",
            [
                "class": "axis-line", "x1": area.left, "y1": area.top, "x2": area.left, "y2": area.bottom,
                "stroke": "#222",
            ])
        let middle = (area.top + area.bottom) / 2
        add(
            "text",
            [
                "class": "axis-title", "x": 16, "y": middle, "text-anchor": "middle",
                "transform": "rotate(-90 16 \(SVG.number(middle)))",
            ], text: title)
        close()
    }

    /// A title line at the top left of the chart.
    mutating func heading(_ text: String, x: Double = 12, y: Double = 22) {
        add("text", ["class": "chart-title", "x": x, "y": y, "font-size": 15, "font-weight": "bold"], text: text)
    }

    /// A probability curve in `style`: the points (x, p) that lie on the x axis, as one
    /// polyline (the exceedance curves, and compare's exceedance and crossing overlays).
    mutating func probabilityCurve(_ points: [(x: Double, p: Double)], x: ValueAxis, y: LinearAxis, style: SeriesStyle)
    {
        add(
            "polyline",
            [
                "class": "curve", "fill": "none", "stroke": style.colour, "stroke-width": 2.5,
                "stroke-dasharray": style.dash, "stroke-linejoin": "round",
                "points": points.filter { x.holds($0.x) }.map {
                    "\(SVG.number(x.position($0.x))),\(SVG.number(y.position($0.p)))"
                }.joined(separator: " "),
            ])
    }

    /// A marker shape centred on (x, y), about 10px across.
    mutating func marker(_ style: SeriesStyle, x: Double, y: Double, classes: String) {
        let path: String
        switch style.marker {
        case .circle: path = "M-4.5,0 a4.5,4.5 0 1,0 9,0 a4.5,4.5 0 1,0 -9,0 z"
        case .square: path = "M-4,-4 h8 v8 h-8 z"
        case .triangle: path = "M0,-5.5 L5,3.5 L-5,3.5 z"
        case .diamond: path = "M0,-5.5 L5,0 L0,5.5 L-5,0 z"
        }
        add(
            "path",
            [
                "class": classes, "d": path, "transform": "translate(\(SVG.number(x)) \(SVG.number(y)))",
                "fill": style.colour, "stroke": "white", "stroke-width": 1,
            ])
    }

    /// Where a label goes relative to the line it names.
    enum Side { case left, right, centre }

    /// Text with a white halo (readable over bars and lines) beside a vertical line at `line`,
    /// on the preferred side, or on the other when it would run off the chart. The width is
    /// estimated at 0.6 em a character.
    mutating func label(_ text: String, beside line: Double, y: Double, side: Side, classes: String) {
        let w = 7.8 * Double(text.count)
        let gap = 4.0
        var side = side
        if side == .centre && line - w / 2 < 2 { side = .right }
        if side == .centre && line + w / 2 > Double(width) - 2 { side = .left }
        if side == .right && line + gap + w > Double(width) - 2 { side = .left }
        if side == .left && line - gap - w < 2 { side = .right }
        let (x, anchor) =
            side == .centre ? (line, "middle") : side == .left ? (line - gap, "end") : (line + gap, "start")
        add(
            "text",
            [
                "class": classes, "x": x, "y": y, "text-anchor": anchor, "stroke": "white", "stroke-width": 3,
                "stroke-linejoin": "round", "paint-order": "stroke",
            ], text: text)
    }
}
