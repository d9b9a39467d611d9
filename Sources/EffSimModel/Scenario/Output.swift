import EffSimCore
import Foundation

/// A quantity the run reports: either the product of the clamped factors of some groups
/// (compute = algorithmic x data), or an `expression` over factors and other outputs
/// (`6[FLOP/(param*token)] * params * tokens`).
public struct Output: Sendable, Equatable {
    /// The output's id, as expressions and tables name it.
    public var id: String
    /// A readable name (the id when none is given).
    public var label: String
    /// The groups multiplied; empty for an expression output.
    public var groups: [String]
    /// Indices into `Scenario.factors`, in scenario order: the factors of the groups, or every
    /// factor an expression output depends on, directly or through other outputs.
    public var factorIndices: [Int]
    /// The output's formula when it is not a product of groups.
    public var expression: OutputExpression? = nil
    /// The output's unit: inferred from its factors' units or its expression (dimensionless
    /// when the scenario uses no units).
    public var unit: UnitOfMeasure = .dimensionless
    /// Whether the scenario file declared `unit` (it then equals the inferred one).
    public var declaresUnit = false
    /// Whether the output gets a `<id>_per_year` row.
    public var years: OutputYears = .scenario
    /// Thresholds t for P(output > t), in the output's unit, instead of the scenario's; nil
    /// when the output uses the scenario's.
    public var thresholds: [Double]? = nil
    /// Where the output sits in a series (an output `over` an index, one output per index
    /// value); nil for an output that is not one.
    public var series: SeriesPoint? = nil
    /// The crossing time of a `first` output; nil for other outputs.
    public var crossing: CrossingTime? = nil
}

extension Output {
    /// The position of each output's entry in the scenario file's `outputs`: a series' points
    /// share their series' entry.
    public static func fileIndices(_ outputs: [Output]) -> [Int] {
        var result: [Int] = []
        var next = 0
        for o in outputs {
            if (o.series?.position ?? 0) == 0 { next += 1 }
            result.append(next - 1)
        }
        return result
    }

    /// The names the output is computed from: its expression's, or a crossing time's series points.
    public func referencedNames(in outputs: [Output]) -> [String] {
        if let crossing { return crossing.points.map { outputs[$0].id } }
        return expression?.compiled.referencedNames ?? []
    }

    /// The span of the output's per-year row given the scenario's `years`; nil when it has none.
    public func perYearSpan(scenarioYears: Double?) -> Double? {
        switch years {
        case .none: return nil
        case let .years(y): return y
        case .scenario: return expression == nil && crossing == nil ? scenarioYears : nil
        }
    }
}

/// An output's expression: its text and its compiled form (checked once, at load time).
public struct OutputExpression: Sendable, Equatable {
    /// The expression checked and compiled.
    public var compiled: CompiledExpression
    /// The expression as written.
    public var text: String { compiled.text }

    /// Wraps a compiled expression.
    public init(_ compiled: CompiledExpression) { self.compiled = compiled }

    /// Equal when the text and the compiled unit are equal.
    public static func == (a: OutputExpression, b: OutputExpression) -> Bool {
        a.text == b.text && a.compiled.unit == b.compiled.unit
    }
}

/// Per-year rows of one output: the scenario's `years` (what a `groups` output does without its
/// own `years`), none (`"years": null`, and what an expression output does without one), or
/// the output's own span.
public enum OutputYears: Sendable, Equatable {
    /// Follow the scenario's `years` (for a `groups` output; an expression output gets none).
    case scenario
    /// No per-year row.
    case none
    /// A per-year row over this span in years.
    case years(Double)
}
