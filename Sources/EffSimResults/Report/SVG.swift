import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// Formatting rules shared by the charts and the HTML page.
public enum SVG {
    /// A coordinate: at most two decimals, no trailing zeros, no "-0" (e.g. 70, 412.5, 3.27).
    public static func number(_ x: Double) -> String {
        // C's printf, as String(format:) gives it, without Foundation's formatter: a chart
        // writes thousands of coordinates, and String(format:) was a tenth of a served answer.
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 400) { buffer in
            let written = withVaList([x]) { vsnprintf(buffer.baseAddress!, buffer.count, "%.2f", $0) }
            var end = Int(max(0, min(written, Int32(buffer.count - 1))))
            while end > 0 && buffer[end - 1] == 0x30 { end -= 1 }  // trailing "0"s
            if end > 0 && buffer[end - 1] == 0x2E { end -= 1 }  // then a trailing "."
            let bytes = UnsafeRawBufferPointer(start: buffer.baseAddress, count: end)
            if end == 2 && bytes[0] == 0x2D && bytes[1] == 0x30 { return "0" }  // "-0"
            return String(decoding: bytes, as: UTF8.self)
        }
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

    static func attributes(_ attributes: KeyValuePairs<String, any SVGAttributeValue>) -> String {
        var out = ""
        for (key, value) in attributes {
            out += " "
            out += key
            out += "=\""
            out += value.svgText
            out += "\""
        }
        return out
    }

    /// A factor as a tick or marker label: 1x, 10x, 100x, 1000x, 10⁴x, ..., 0.1x, 0.01x, 10⁻³x
    /// for powers of ten; other values with four significant digits (2.5x, 419.7x, 2440x).
    /// `suffix` replaces the "x" (empty for a quantity with a unit, which the axis title names).
    public static func times(_ v: Double, suffix: String = "x") -> String {
        let k = log10(v)
        if k == k.rounded() && abs(k) < 400 {
            let e = Int(k)
            switch e {
            case 0...3: return "1" + String(repeating: "0", count: e) + suffix
            case -2 ... -1: return "0." + String(repeating: "0", count: -e - 1) + "1" + suffix
            default: return "10" + superscript(e) + suffix
            }
        }
        return ConsoleReport.number(v) + suffix
    }

    /// A linear axis tick or a bar width: four significant digits, plain exponent (2.25e25, 0.34).
    public static func tick(_ v: Double) -> String { ConsoleReport.compact(v, digits: 4) }

    /// A value with its unit, as chart labels show it: `2.5x` for a dimensionless multiplier
    /// (see `times`), `2.18e25 FLOP` for a quantity with a unit.
    public static func quantity(_ v: Double, _ unit: UnitOfMeasure?) -> String {
        guard let unit, !unit.isDimensionless else { return times(v) }
        return "\(tick(v)) \(unit)"
    }

    /// The estimated width in pixels of chart text at 13px (0.6 em a character).
    static func textWidth(_ s: String) -> Double { 7.8 * Double(s.count) }

    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (n < 0 ? "⁻" : "") + String(abs(n)).map { digits[Int(String($0))!] }
    }

    /// A probability as a percentage with one decimal (26.3%).
    public static func percent(_ p: Double) -> String { ConsoleReport.percent(p) }
}

/// A value an SVG attribute takes: a coordinate or size (`Double`, written by `SVG.number`), a
/// count (`Int`) or text (`String`, escaped). A protocol rather than `any Sendable` and casts:
/// the casts were a tenth of a served answer.
public protocol SVGAttributeValue: Sendable {
    /// The value as the attribute's text.
    var svgText: String { get }
}

extension Double: SVGAttributeValue {
    /// `SVG.number`: at most two decimals.
    public var svgText: String { SVG.number(self) }
}

extension Int: SVGAttributeValue {
    /// The whole number.
    public var svgText: String { String(self) }
}

extension String: SVGAttributeValue {
    /// The text, escaped for an attribute.
    public var svgText: String { SVG.escape(self) }
}
