import EffSimCore
import Foundation

/// A figure from the literature that the run is compared with, e.g. hardware p50 = 413.
public struct PublishedFigure: Sendable, Equatable {
    /// The metric compared (a summary row's name).
    public var metric: String
    /// The summary column compared: `mean`, `p50`, `p_gt_1000`, ...
    public var statistic: String
    /// The published value.
    public var value: Double
    /// Free text about the figure (empty when none).
    public var note: String
}
