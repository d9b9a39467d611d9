import EffSimCore
import EffSimModel
import EffSimSampling

/// A small SVG writer for the report's charts: elements appended as text in order, attributes
/// escaped, coordinates written with a fixed rule, so the same data gives byte-identical files.
///
/// Charts use classes, never ids, so several can be inlined in one HTML page.
public struct SVGDocument {
    /// The width in pixels (also the viewBox width).
    public let width: Int
    /// The height in pixels.
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
    public mutating func add(
        _ name: String, _ attributes: KeyValuePairs<String, any SVGAttributeValue>, text: String? = nil
    ) {
        let open = "<" + name + SVG.attributes(attributes)
        let indent = String(repeating: "  ", count: depth)
        body.append(indent + (text.map { open + ">" + SVG.escape($0) + "</\(name)>" } ?? open + "/>"))
    }

    /// Opens a `<g>` that the following elements go into, until `close()`.
    public mutating func group(_ attributes: KeyValuePairs<String, any SVGAttributeValue>) {
        body.append(String(repeating: "  ", count: depth) + "<g" + SVG.attributes(attributes) + ">")
        depth += 1
    }

    /// Closes the innermost open `<g>`.
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
