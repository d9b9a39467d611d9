import EffSimCore
import EffSimModel
import Foundation

/// One row of `summary.csv`.
public struct SummaryRow: Sendable, Equatable {
    /// The row's metric name.
    public var metric: String
    /// What kind of quantity the row describes.
    public var kind: MetricKind
    /// The number of trials (values) summarised.
    public var trials: Int
    /// The mean of the values.
    public var mean: Double
    /// In the order of `Scenario.percentiles`.
    public var percentiles: [Double]
    /// P(value > t) in the order of `Scenario.thresholdColumns`; nil for a threshold the row
    /// does not report (another output's own threshold).
    public var exceedance: [Double?]
    /// Fraction of draws raised to the floor; factors only.
    public var floorShare: Double?
    /// Fraction of trials that never cross; crossing times only. Their mean (when > 0) and the
    /// percentiles that fall among those trials are NaN, written as empty cells.
    public var pNever: Double?

    /// A row from its fields.
    package init(
        metric: String, kind: MetricKind, trials: Int, mean: Double, percentiles: [Double],
        exceedance: [Double?], floorShare: Double?, pNever: Double? = nil
    ) {
        (self.metric, self.kind, self.trials, self.mean) = (metric, kind, trials, mean)
        (self.percentiles, self.exceedance, self.floorShare, self.pNever) = (
            percentiles, exceedance, floorShare, pNever
        )
    }

    /// A statistic by its summary column name (`mean`, `p50`, `p_gt_1000`, `floor_share`).
    public func value(of column: String, in scenario: Scenario) -> Double? {
        SummaryColumns(scenario).value(column, of: self)
    }
}
