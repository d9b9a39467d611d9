import Foundation

/// A validated scenario: what to sample, how often, and what to report.
///
/// Read by `ScenarioReader`, which refuses a document that breaks any rule. A scenario built or
/// edited in Swift is checked by the same rules (`validate()`) before `Engine` samples it, so
/// code downstream (sampler, statistics, writers) trusts every value here.
public struct Scenario: Sendable, Equatable {
    public var name: String
    public var description: String
    public var trials: Int
    public var seed: UInt64
    /// When set, each output also gets a `<output>_per_year` row: its values raised to 1/years.
    public var years: Double?
    /// Percentiles to report, in (0..100), in the order given.
    public var percentiles: [Double]
    /// Thresholds t for P(metric > t), in the order given.
    public var thresholds: [Double]
    public var factors: [Factor]
    public var outputs: [Output]
    public var derived: [Derived]
    public var correlations: [Correlation]
    public var published: [PublishedFigure]
    /// The `$schema` the file pointed its editor at, kept in the record of a run.
    public var schema: String?

    public static let defaultPercentiles: [Double] = [1, 5, 10, 25, 50, 75, 90, 95, 99]
    public static let defaultThresholds: [Double] = [10, 100, 1000]
    public static let defaultTrials = 1_000_000
    public static let defaultSeed: UInt64 = 1
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
    public var id: String
    public var label: String
    public var group: String
    public var source: String
    /// Draws below the floor are raised to it; nil means no clamp.
    public var floor: Double?
    public var distribution: Distribution

    /// Whether the factor can take a value <= 0: it has no floor, and its law reaches below 0 or
    /// holds an atom at 0 (a Bernoulli). Its draws are kept as values, not logs.
    public var canBeNonPositive: Bool {
        floor == nil && (distribution.lowerSupport < 0 || distribution.containsBernoulli)
    }
}

/// A product of the clamped factors of some groups, e.g. compute = algorithmic x data.
public struct Output: Sendable, Equatable {
    public var id: String
    public var label: String
    public var groups: [String]
    /// Indices into `Scenario.factors`, in scenario order.
    public var factorIndices: [Int]
}

/// baseline / output, e.g. training hours = 355.2 h / hardware reduction.
public struct Derived: Sendable, Equatable {
    public var id: String
    public var label: String
    public var unit: String
    public var baseline: Double
    /// Index into `Scenario.outputs`.
    public var outputIndex: Int
}

/// A figure from the literature that the run is compared with, e.g. hardware p50 = 413.
public struct PublishedFigure: Sendable, Equatable {
    public var metric: String
    public var statistic: String
    public var value: Double
    public var note: String
}

extension Scenario {
    /// Names of the per-year rows, in output order (empty when `years` is nil).
    public var perYearNames: [String] {
        years == nil ? [] : outputs.map { "\($0.id)_per_year" }
    }

    /// Every name a summary row can carry, in row order.
    public var metricNames: [String] {
        outputs.map(\.id) + factors.map(\.id) + perYearNames + derived.map(\.id)
    }

    /// The statistics columns of `summary.csv` after `metric,kind,trials` (see `SummaryColumns`).
    public var statisticColumns: [String] { SummaryColumns(self).names }
}

/// A number as a person would write it in JSON: integers without a decimal point,
/// anything else in Swift's shortest round-tripping form (2.5, 99.9, 1e-05).
public func formatNumber(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 {
        return String(Int64(x))
    }
    return "\(x)"
}
