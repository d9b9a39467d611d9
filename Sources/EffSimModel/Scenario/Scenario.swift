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
