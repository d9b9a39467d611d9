import EffSimCore
import Foundation

/// A validated scenario: what to sample, how often, and what to report.
///
/// Read by `ScenarioReader`, which refuses a document that breaks any rule. A scenario built or
/// edited in Swift is checked by the same rules (`validate()`) before `Engine` samples it, so
/// code downstream (sampler, statistics, writers) trusts every value here.
public struct Scenario: Sendable, Equatable {
    /// Names the run in tables and reports.
    public var name: String
    /// Free text describing the scenario (empty when none).
    public var description: String
    /// Trials to sample, 1 to `maximumTrials`.
    public var trials: Int
    /// The run's seed, 0 to `maximumSeed`.
    public var seed: UInt64
    /// When set, each output also gets a `<output>_per_year` row: its values raised to 1/years.
    public var years: Double?
    /// Percentiles to report, in (0..100), in the order given.
    public var percentiles: [Double]
    /// Thresholds t for P(metric > t), in the order given.
    public var thresholds: [Double]
    /// The uncertain factors, in scenario order.
    public var factors: [Factor]
    /// The outputs reported, in scenario order.
    public var outputs: [Output]
    /// Metrics computed as a baseline divided by an output.
    public var derived: [Derived]
    /// Requested rank correlations between factors.
    public var correlations: [Correlation]
    /// Figures from the literature to compare the run with.
    public var published: [PublishedFigure]
    /// The `$schema` the file pointed its editor at, kept in the record of a run.
    public var schema: String?
    /// The scenarios this one imports. Their factors, correlations and the outputs this one uses
    /// are flattened into `factors`, `correlations` and `outputs` (`importedParts` says how
    /// many), with ids `alias.id`.
    public var imports: [ScenarioImport] = []
    /// How many of `factors`, `correlations` (the first ones) and `outputs` (the last ones) come
    /// from `imports`.
    public var importedParts = ImportedParts()

    /// Percentiles reported when the scenario lists none.
    public static let defaultPercentiles: [Double] = [1, 5, 10, 25, 50, 75, 90, 95, 99]
    /// Thresholds reported when the scenario lists none.
    public static let defaultThresholds: [Double] = [10, 100, 1000]
    /// Trials when the scenario gives none.
    public static let defaultTrials = 1_000_000
    /// Seed when the scenario gives none.
    public static let defaultSeed: UInt64 = 1
    /// The most trials a scenario may ask for (10^12).
    public static let maximumTrials = 1_000_000_000_000
    /// Seeds are JSON numbers, exact only up to 2^53.
    public static let maximumSeed: UInt64 = 1 << 53
    /// Ids and names become CSV rows and folder names (255 bytes at most on most file systems).
    public static let maximumIdentifierLength = 128
    /// The shortest `years`: x^(1/years) stays below 10^100 for x up to 10^40.
    public static let minimumYears = 0.4
    /// Derived baselines: baseline / x stays within 10^±100 for x within 10^±40.
    public static let baselineRange: ClosedRange<Double> = 1e-60...1e60
}

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

extension Scenario {
    /// The span of output o's per-year row, nil when it has none: its own `years`, else the
    /// scenario's for a `groups` output.
    public func years(ofOutput o: Int) -> Double? {
        outputs[o].perYearSpan(scenarioYears: years)
    }

    /// Indices of the outputs that have a per-year row, in output order.
    public var perYearOutputs: [Int] { outputs.indices.filter { years(ofOutput: $0) != nil } }

    /// Names of the per-year rows, in output order.
    public var perYearNames: [String] {
        perYearOutputs.map { "\(outputs[$0].id)_per_year" }
    }

    /// Whether any factor or output gives a unit, or an expression a number with one: then
    /// names without a unit are dimensionless and `summary.csv` gets a `unit` column.
    public var usesUnits: Bool {
        factors.contains { $0.unit != nil }
            || outputs.contains { $0.declaresUnit || ($0.expression?.compiled.containsUnitLiteral ?? false) }
    }

    /// The unit of a summary row, in normal form (empty for dimensionless): an output's inferred
    /// unit, a factor's unit, a derived value's `unit` as written; per-year rows are dimensionless.
    public func unit(ofMetric name: String) -> String {
        if let o = outputs.first(where: { $0.id == name }) { return o.unit.normalForm }
        if let f = factors.first(where: { $0.id == name }) { return f.unit?.normalForm ?? "" }
        if let d = derived.first(where: { $0.id == name }) { return d.unit }
        return ""
    }

    /// The order in which outputs are computed: every output after the outputs it uses.
    public var outputOrder: [Int] {
        let uses = outputs.map { (id: $0.id, uses: $0.referencedNames(in: outputs)) }
        guard case let .success(order) = ExpressionOrder.dependencyOrder(uses) else { return Array(outputs.indices) }
        return order
    }

    /// Every name a summary row can carry, in row order.
    public var metricNames: [String] {
        outputs.map(\.id) + factors.map(\.id) + perYearNames + derived.map(\.id)
    }

    /// Every threshold with a `p_gt_` column: the scenario's, then the outputs' own ones not
    /// already listed, in output order.
    public var thresholdColumns: [Double] {
        outputs.reduce(into: thresholds) { all, o in
            for t in o.thresholds ?? [] where !all.contains(t) { all.append(t) }
        }
    }

    /// The thresholds a summary row reports: an output's own when it lists them, else the
    /// scenario's (factors, per-year and derived rows always have the scenario's).
    public func thresholds(ofRow name: String, kind: MetricKind) -> [Double] {
        guard kind == .output, let own = outputs.first(where: { $0.id == name })?.thresholds else { return thresholds }
        return own
    }

    /// The statistics columns of `summary.csv` after `metric,kind,trials` (see `SummaryColumns`).
    public var statisticColumns: [String] { SummaryColumns(self).names }
}
