import EffSimCore
import Foundation

/// baseline / output, e.g. training hours = 355.2 h / hardware reduction.
public struct Derived: Sendable, Equatable {
    /// The derived metric's id.
    public var id: String
    /// A readable name (the id when none is given).
    public var label: String
    /// The unit of the result, as free text (empty when none).
    public var unit: String
    /// The numerator, within `Scenario.baselineRange`.
    public var baseline: Double
    /// Index into `Scenario.outputs`.
    public var outputIndex: Int
}
