import Foundation

/// What kind of quantity a summary row describes (the `kind` column).
public enum MetricKind: String, Sendable {
    case output, factor, perYear = "per_year", derived
}

/// One row of `summary.csv`.
public struct SummaryRow: Sendable, Equatable {
    public var metric: String
    public var kind: MetricKind
    public var trials: Int
    public var mean: Double
    /// In the order of `Scenario.percentiles`.
    public var percentiles: [Double]
    /// P(value > t) in the order of `Scenario.thresholds`.
    public var exceedance: [Double]
    /// Fraction of draws raised to the floor; factors only.
    public var floorShare: Double?

    /// A statistic by its summary column name (`mean`, `p50`, `p_gt_1000`, `floor_share`).
    public func value(of column: String, in scenario: Scenario) -> Double? {
        SummaryColumns(scenario).value(column, of: self)
    }
}
