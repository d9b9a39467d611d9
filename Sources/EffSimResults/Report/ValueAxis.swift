import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// The x axis of a chart of a metric's values: log10 over whole decades when every value drawn
/// is positive, linear when some metric on the chart takes values <= 0 (a difference, a
/// Bernoulli event), which a log axis cannot place.
public enum ValueAxis: Equatable, Sendable {
    /// A log10 axis over whole decades, for positive values.
    case log(LogAxis)
    /// A linear axis, for values that can be <= 0.
    case linear(LinearValueAxis)

    /// The axis holding `values`: linear when `signed`, else whole decades.
    public init(covering values: [Double], signed: Bool, start: Double, end: Double) {
        self =
            signed
            ? .linear(LinearValueAxis(covering: values, start: start, end: end))
            : .log(LogAxis(covering: values, start: start, end: end))
    }

    /// The same axis drawn between other pixel positions.
    public func placed(start: Double, end: Double) -> ValueAxis {
        switch self {
        case let .log(a): return .log(LogAxis(lo: a.lo, hi: a.hi, start: start, end: end))
        case var .linear(a):
            a.start = start
            a.end = end
            return .linear(a)
        }
    }

    /// The pixel position of value v.
    public func position(_ v: Double) -> Double {
        switch self {
        case let .log(a): return a.position(v)
        case let .linear(a): return a.position(v)
        }
    }

    /// Whether a value lies on the axis (ends included, to a rounding error).
    public func holds(_ v: Double) -> Bool {
        switch self {
        case let .log(a): return a.holds(v)
        case let .linear(a): return a.holds(v)
        }
    }

    /// Whether a bin lies wholly on the axis.
    public func holds(_ b: HistogramBin) -> Bool { holds(b.lower) && holds(b.upper) }

    /// "log scale" or "linear scale", for axis titles.
    public var scaleName: String {
        if case .log = self { return "log scale" }
        return "linear scale"
    }
}

/// A linear x axis from `lo` to `hi`, both multiples of `step` (1, 2 or 5 times a power of ten).
public struct LinearValueAxis: Equatable, Sendable {
    /// The axis's smallest value.
    public var lo: Double
    /// The axis's largest value.
    public var hi: Double
    /// The distance between ticks.
    public var step: Double
    /// Pixel positions of `lo` and `hi`.
    public var start: Double
    /// Pixel position of `hi`.
    public var end: Double

    /// The smallest such axis holding every finite value given, with at most about eight steps
    /// and ticks far enough apart for their labels not to touch between `start` and `end`
    /// (-1 to 1 when no value is given).
    public init(covering values: [Double], start: Double, end: Double) {
        let finite = values.filter(\.isFinite)
        let low = finite.min() ?? -1
        let high = finite.max() ?? 1
        let width = high > low ? high - low : Swift.max(abs(low), 1)
        let raw = width / 8
        var magnitude = pow(10, log10(raw).rounded(.down))
        self.start = start
        self.end = end
        (lo, hi, step) = (0, 1, 1)
        // Coarser steps until the labels fit: at least the widest label and 12px between ticks.
        search: while true {
            for m in [1.0, 2, 5] where m * magnitude >= raw * (1 - 1e-12) {
                step = m * magnitude
                lo = (low / step + 1e-9).rounded(.down) * step
                hi = Swift.max((high / step - 1e-9).rounded(.up) * step, lo + step)
                let spacing = abs(end - start) / ((hi - lo) / step)
                if abs(end - start) == 1 || spacing >= (ticks.map { SVG.textWidth(label($0)) }.max() ?? 0) + 12 {
                    break search
                }
            }
            magnitude *= 10
        }
    }

    /// A tick's label: 0 exactly at zero, else `SVG.tick`.
    public func label(_ v: Double) -> String { SVG.tick(abs(v) < step * 1e-9 ? 0 : v) }

    /// The pixel position of value v.
    public func position(_ v: Double) -> Double { start + (v - lo) / (hi - lo) * (end - start) }

    /// Whether a value lies on the axis (ends included, to a rounding error).
    public func holds(_ v: Double) -> Bool {
        let slack = 1e-9 * (hi - lo)
        return v >= lo - slack && v <= hi + slack
    }

    /// The multiples of `step` from `lo` to `hi`.
    public var ticks: [Double] {
        let n = Int(((hi - lo) / step).rounded())
        return (0...n).map { lo + Double($0) * step }
    }
}

extension SVGDocument {
    /// A value x axis along the bottom of `area`: `logXAxis` for a log axis; for a linear one,
    /// ticks labelled with the values (-2, 0, 2.5, 1e+45), grid lines and a darker line at 0.
    mutating func valueXAxis(_ axis: ValueAxis, in area: PlotArea, title: String? = nil, suffix: String = "x") {
        guard case let .linear(a) = axis else {
            if case let .log(l) = axis { logXAxis(l, in: area, title: title, suffix: suffix) }
            return
        }
        group(["class": "x-axis"])
        for v in a.ticks {
            let x = a.position(v)
            add(
                "line",
                [
                    "class": "grid", "x1": x, "y1": area.top, "x2": x, "y2": area.bottom,
                    "stroke": v == 0 ? "#999" : "#e3e3e3",
                ])
            add(
                "line", ["class": "tick", "x1": x, "y1": area.bottom, "x2": x, "y2": area.bottom + 7, "stroke": "#222"])
            add(
                "text", ["class": "tick-label", "x": x, "y": area.bottom + 22, "text-anchor": "middle"],
                text: a.label(v))
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

    /// A value y axis along the left of `area` (its start at the bottom): decades labelled 1e25
    /// on a log axis, the values on a linear one, with horizontal grid lines.
    mutating func valueYAxis(_ axis: ValueAxis, in area: PlotArea, title: String) {
        let ticks: [(Double, String)]
        switch axis {
        case let .log(l): ticks = l.majorTicks.map { ($0, SVG.tick($0)) }
        case let .linear(a): ticks = a.ticks.map { ($0, a.label($0)) }
        }
        group(["class": "y-axis"])
        for (v, text) in ticks {
            let y = axis.position(v)
            add("line", ["class": "grid", "x1": area.left, "y1": y, "x2": area.right, "y2": y, "stroke": "#e3e3e3"])
            add("line", ["class": "tick", "x1": area.left - 6, "y1": y, "x2": area.left, "y2": y, "stroke": "#222"])
            add("text", ["class": "tick-label", "x": area.left - 9, "y": y + 4.5, "text-anchor": "end"], text: text)
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
}
