import Foundation

/// A small SVG writer for the report's charts: elements appended as text in order, attributes
/// escaped, coordinates written with a fixed rule, so the same data gives byte-identical files.
///
/// Charts use classes, never ids, so several can be inlined in one HTML page.
public struct SVGDocument {
    public let width: Int
    public let height: Int
    private var body: [String] = []
    private var depth = 1

    /// Text is 13px sans-serif unless an element says otherwise (never below 12px).
    public init(width: Int, height: Int, title: String) {
        self.width = width
        self.height = height
        body.append("  <title>\(SVG.escape(title))</title>")
        add("rect", ["class": "background", "x": 0, "y": 0, "width": width, "height": height, "fill": "white"])
    }

    /// Appends `<name attributes>text</name>` (or `<name attributes/>` without text).
    public mutating func add(_ name: String, _ attributes: KeyValuePairs<String, any Sendable>, text: String? = nil) {
        let open = "<" + name + SVG.attributes(attributes)
        let indent = String(repeating: "  ", count: depth)
        body.append(indent + (text.map { open + ">" + SVG.escape($0) + "</\(name)>" } ?? open + "/>"))
    }

    /// Opens a `<g>` that the following elements go into, until `close()`.
    public mutating func group(_ attributes: KeyValuePairs<String, any Sendable>) {
        body.append(String(repeating: "  ", count: depth) + "<g" + SVG.attributes(attributes) + ">")
        depth += 1
    }

    public mutating func close() {
        depth -= 1
        body.append(String(repeating: "  ", count: depth) + "</g>")
    }

    /// The standalone document; inline it in HTML as it is.
    public var text: String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\""
            + " font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"13\" fill=\"#222\">\n"
            + body.joined(separator: "\n") + "\n</svg>\n"
    }
}

/// Formatting rules shared by the charts and the HTML page.
public enum SVG {
    /// A coordinate: at most two decimals, no trailing zeros, no "-0" (e.g. 70, 412.5, 3.27).
    public static func number(_ x: Double) -> String {
        var s = String(format: "%.2f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    /// User text between the Unicode isolates FSI (U+2068) and PDI (U+2069): its direction,
    /// and any override inside it, cannot reorder the chart text around it.
    public static func isolated(_ s: String) -> String { "\u{2068}\(s)\u{2069}" }

    /// Text safe inside an element or a double-quoted attribute of SVG, XML or HTML.
    public static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func attributes(_ attributes: KeyValuePairs<String, any Sendable>) -> String {
        attributes.map { key, value in
            let text: String
            switch value {
            case let d as Double: text = number(d)
            case let i as Int: text = String(i)
            default: text = escape("\(value)")
            }
            return " \(key)=\"\(text)\""
        }.joined()
    }

    /// A factor as a tick or marker label: 1x, 10x, 100x, 1000x, 10⁴x, ..., 0.1x, 0.01x, 10⁻³x
    /// for powers of ten; other values with four significant digits (2.5x, 419.7x, 2440x).
    public static func times(_ v: Double) -> String {
        let k = log10(v)
        if k == k.rounded() && abs(k) < 400 {
            let e = Int(k)
            switch e {
            case 0...3: return "1" + String(repeating: "0", count: e) + "x"
            case -2 ... -1: return "0." + String(repeating: "0", count: -e - 1) + "1x"
            default: return "10" + superscript(e) + "x"
            }
        }
        return ConsoleReport.number(v) + "x"
    }

    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (n < 0 ? "⁻" : "") + String(abs(n)).map { digits[Int(String($0))!] }
    }

    /// A probability as a percentage with one decimal (26.3%).
    public static func percent(_ p: Double) -> String { ConsoleReport.percent(p) }
}

/// A log10 axis over whole decades: value v sits at start + (log10 v - lo) / (hi - lo) * (end - start).
public struct LogAxis: Equatable, Sendable {
    /// The axis runs from 10^lo to 10^hi.
    public var lo: Int
    public var hi: Int
    /// Pixel positions of 10^lo and 10^hi.
    public var start: Double
    public var end: Double

    public init(lo: Int, hi: Int, start: Double, end: Double) {
        self.lo = lo
        self.hi = max(hi, lo + 1)
        self.start = start
        self.end = end
    }

    /// The smallest whole-decade axis holding every positive value given (1x to 10x when none is).
    public init(covering values: [Double], start: Double, end: Double) {
        let logs = values.filter { $0 > 0 && $0.isFinite }.map(log10)
        // A hair of slack so a value a rounding error above a power of ten does not add a decade.
        let lo = Int((logs.min() ?? 0).rounded(.down))
        let hi = Int(((logs.max() ?? 1) - 1e-9).rounded(.up))
        self.init(lo: lo, hi: hi, start: start, end: end)
    }

    public func position(_ v: Double) -> Double {
        start + (log10(v) - Double(lo)) / Double(hi - lo) * (end - start)
    }

    /// Whether a value lies on the axis (ends included, to a rounding error).
    public func holds(_ v: Double) -> Bool {
        let k = log10(v)
        return k >= Double(lo) - 1e-9 && k <= Double(hi) + 1e-9
    }

    /// Whether a bin lies wholly on the axis.
    public func holds(_ b: HistogramBin) -> Bool { holds(b.lower) && holds(b.upper) }

    /// The inverse of `position`.
    public func value(at x: Double) -> Double {
        pow(10, Double(lo) + (x - start) / (end - start) * Double(hi - lo))
    }

    /// Powers of ten to label; every other one, or sparser, when there are more than ten decades.
    public var majorTicks: [Double] {
        let step = (hi - lo + 9) / 10
        return stride(from: lo, through: hi, by: step).map { HistogramCSV.edge($0, 1) }
    }

    /// 2...9 times each power of ten, unlabelled, while decades are wide enough to show them.
    public var minorTicks: [Double] {
        guard abs(end - start) / Double(hi - lo) >= 60 else { return [] }
        return (lo..<hi).flatMap { k in (2...9).map { Double($0) * HistogramCSV.edge(k, 1) } }
    }
}

/// A linear axis from 0 to a round maximum with 1, 2 or 5 times a power of ten between ticks.
public struct LinearAxis: Equatable, Sendable {
    public var maximum: Double
    public var step: Double
    /// Pixel positions of 0 and `maximum` (for a y axis, start is the bottom).
    public var start: Double
    public var end: Double

    /// An axis whose maximum is at least `top`, with at most `ticks` steps.
    public init(upTo top: Double, ticks: Int = 5, start: Double, end: Double) {
        let raw = max(top, 1e-12) / Double(ticks)
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw * (1 - 1e-12) }!
        self.step = step
        maximum = (top / step - 1e-9).rounded(.up) * step
        if maximum <= 0 { maximum = step }
        self.start = start
        self.end = end
    }

    public func position(_ v: Double) -> Double { start + v / maximum * (end - start) }

    public var ticks: [Double] {
        let n = Int((maximum / step).rounded())
        return (0...n).map { Double($0) * step }
    }
}

/// The rectangle a chart draws its data in.
public struct PlotArea: Equatable, Sendable {
    public var left: Double
    public var top: Double
    public var right: Double
    public var bottom: Double
}

/// How one output is drawn wherever several share a chart: a colour, a dash pattern and a
/// marker, so series stay apart in greyscale too. The colours differ in lightness.
public struct SeriesStyle: Sendable {
    public var colour: String
    public var dash: String
    public var marker: Marker

    public enum Marker: String, Sendable { case circle, square, triangle, diamond }

    public static let all: [SeriesStyle] = [
        SeriesStyle(colour: "#08306b", dash: "none", marker: .circle),
        SeriesStyle(colour: "#d95f02", dash: "9 4", marker: .square),
        SeriesStyle(colour: "#e6ab02", dash: "2 3", marker: .triangle),
        SeriesStyle(colour: "#6a51a3", dash: "12 3 2 3", marker: .diamond),
    ]

    public static func of(_ index: Int) -> SeriesStyle { all[index % all.count] }
}

extension SVGDocument {
    /// A log x axis along the bottom of `area`: axis line, ticks, labels (1x, 10x, ...) and light
    /// vertical grid lines at the labelled decades. Labels carry class "tick-label".
    mutating func logXAxis(_ axis: LogAxis, in area: PlotArea, title: String? = nil) {
        group(["class": "x-axis"])
        for v in axis.minorTicks {
            let x = axis.position(v)
            add("line", ["class": "minor-tick", "x1": x, "y1": area.bottom, "x2": x, "y2": area.bottom + 4, "stroke": "#666"])
        }
        for v in axis.majorTicks {
            let x = axis.position(v)
            add("line", ["class": "grid", "x1": x, "y1": area.top, "x2": x, "y2": area.bottom, "stroke": "#e3e3e3"])
            add("line", ["class": "tick", "x1": x, "y1": area.bottom, "x2": x, "y2": area.bottom + 7, "stroke": "#222"])
            add("text", ["class": "tick-label", "x": x, "y": area.bottom + 22, "text-anchor": "middle"], text: SVG.times(v))
        }
        add("line", ["class": "axis-line", "x1": area.left, "y1": area.bottom, "x2": area.right, "y2": area.bottom, "stroke": "#222"])
        if let title {
            add("text", ["class": "axis-title", "x": (area.left + area.right) / 2, "y": area.bottom + 42, "text-anchor": "middle"], text: title)
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
            add("text", ["class": "tick-label", "x": area.left - 9, "y": y + 4.5, "text-anchor": "end"], text: label(v))
        }
        add("line", ["class": "axis-line", "x1": area.left, "y1": area.top, "x2": area.left, "y2": area.bottom, "stroke": "#222"])
        let middle = (area.top + area.bottom) / 2
        add("text", ["class": "axis-title", "x": 16, "y": middle, "text-anchor": "middle",
                     "transform": "rotate(-90 16 \(SVG.number(middle)))"], text: title)
        close()
    }

    /// A title line at the top left of the chart.
    mutating func heading(_ text: String, x: Double = 12, y: Double = 22) {
        add("text", ["class": "chart-title", "x": x, "y": y, "font-size": 15, "font-weight": "bold"], text: text)
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
        add("path", ["class": classes, "d": path, "transform": "translate(\(SVG.number(x)) \(SVG.number(y)))",
                     "fill": style.colour, "stroke": "white", "stroke-width": 1])
    }

    /// Where a label goes relative to the line it names.
    enum Side { case left, right, centre }

    /// Text with a white halo (readable over bars and lines) beside a vertical line at `line`,
    /// on the preferred side, or on the other when it would run off the chart. The width is
    /// estimated at 0.6 em a character.
    mutating func label(_ text: String, beside line: Double, y: Double, side: Side, classes: String) {
        let w = 7.8 * Double(text.count), gap = 4.0
        var side = side
        if side == .centre && line - w / 2 < 2 { side = .right }
        if side == .centre && line + w / 2 > Double(width) - 2 { side = .left }
        if side == .right && line + gap + w > Double(width) - 2 { side = .left }
        if side == .left && line - gap - w < 2 { side = .right }
        let (x, anchor) = side == .centre ? (line, "middle") : side == .left ? (line - gap, "end") : (line + gap, "start")
        add("text", ["class": classes, "x": x, "y": y, "text-anchor": anchor, "stroke": "white", "stroke-width": 3,
                     "stroke-linejoin": "round", "paint-order": "stroke"], text: text)
    }
}
