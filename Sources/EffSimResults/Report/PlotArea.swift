import EffSimCore
import EffSimModel
import EffSimSampling

/// The rectangle a chart draws its data in.
public struct PlotArea: Equatable, Sendable {
    /// The x of the left edge, in pixels.
    public var left: Double
    /// The y of the top edge (y grows downwards).
    public var top: Double
    /// The x of the right edge.
    public var right: Double
    /// The y of the bottom edge.
    public var bottom: Double
}
