import EffSimCore
import Foundation

/// One uncertain multiplicative efficiency gain.
public struct Factor: Sendable, Equatable {
    /// The factor's id, as expressions and tables name it.
    public var id: String
    /// A readable name (the id when none is given).
    public var label: String
    /// The group the factor belongs to; `groups` outputs multiply groups. Empty when none is
    /// given (allowed when no output multiplies groups).
    public var group: String
    /// Where the estimate comes from, as free text (empty when none).
    public var source: String
    /// Draws below the floor are raised to it; nil means no clamp.
    public var floor: Double?
    /// The factor's law, before clamping at `floor`.
    public var distribution: Distribution
    /// The factor's unit (`FLOP/s`); nil when none is given (dimensionless).
    public var unit: UnitOfMeasure? = nil

    /// Whether the factor can take a value <= 0: it has no floor, and its law reaches 0 or below
    /// (`Distribution.reachesNonPositive`: a uniform on [0, 1e-310], a beta, a Bernoulli or a
    /// fixed 0, whose zeros and subnormals logs would move to the smallest normal double). Its
    /// draws are kept as values, not logs.
    public var canBeNonPositive: Bool {
        floor == nil && (distribution.reachesNonPositive || distribution.hasAtomAtZero)
    }

    /// A fixed factor's value after its floor, exactly (3600, not exp(log 3600)); nil for a
    /// factor that varies.
    public var constantValue: Double? {
        guard case let .fixed(d) = distribution else { return nil }
        return Swift.max(d.value, floor ?? -.infinity)
    }
}
