import EffSimCore
import EffSimModel
import EffSimSampling

/// How one output is drawn wherever several share a chart: a colour, a dash pattern and a
/// marker, so series stay apart in greyscale too. The colours differ in lightness.
public struct SeriesStyle: Sendable {
    /// Stroke and fill colour, as CSS hex.
    public var colour: String
    /// The line's `stroke-dasharray` (`none` for solid).
    public var dash: String
    /// The point marker's shape.
    public var marker: Marker

    /// A marker shape, about 10 px across.
    public enum Marker: String, Sendable {
        /// The four shapes, in the order `SeriesStyle.all` gives them; the raw value is the name.
        case circle, square, triangle, diamond
    }

    /// The styles in the order series take them.
    public static let all: [SeriesStyle] = [
        SeriesStyle(colour: "#08306b", dash: "none", marker: .circle),
        SeriesStyle(colour: "#d95f02", dash: "9 4", marker: .square),
        SeriesStyle(colour: "#e6ab02", dash: "2 3", marker: .triangle),
        SeriesStyle(colour: "#6a51a3", dash: "12 3 2 3", marker: .diamond),
    ]

    /// The style of series `index` (0-based), cycling through `all`.
    public static func of(_ index: Int) -> SeriesStyle { all[index % all.count] }
}
