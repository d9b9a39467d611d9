import EffSimCore
import Foundation

/// The statistics columns of `summary.csv`, `sweep.csv` and the statistic names of
/// `precision.csv`: `mean`, `p<q>` for each percentile, `p_gt_<t>` for each threshold, and
/// `floor_share`, in that order, then `p_never` when the scenario has a crossing time. The one place that names, orders, writes and reads them.
public struct SummaryColumns: Sendable, Equatable {
    /// The percentiles reported, in column order.
    public let percentiles: [Double]
    /// The thresholds t of the P(value > t) columns, in column order.
    public let thresholds: [Double]
    /// Whether there is a `p_never` column (the scenario has a crossing time).
    public let pNever: Bool

    /// The columns of these percentiles and thresholds, and `p_never` when asked.
    public init(percentiles: [Double], thresholds: [Double], pNever: Bool = false) {
        self.percentiles = percentiles
        self.thresholds = thresholds
        self.pNever = pNever
    }

    /// The columns of the scenario's percentiles and thresholds (its own and its outputs').
    public init(_ scenario: Scenario) {
        self.init(
            percentiles: scenario.percentiles, thresholds: scenario.thresholdColumns,
            pNever: scenario.outputs.contains { $0.crossing != nil })
    }

    /// `p50`, `p99.9`: a percentile's column.
    public static func percentileName(_ q: Double) -> String { "p" + formatNumber(q) }

    /// `p_gt_1000`: a threshold's column.
    public static func thresholdName(_ t: Double) -> String { "p_gt_" + formatNumber(t) }

    /// The percentile columns' names, `p50` etc.
    public var percentileNames: [String] { percentiles.map(Self.percentileName) }
    /// The threshold columns' names, `p_gt_1000` etc.
    public var thresholdNames: [String] { thresholds.map(Self.thresholdName) }

    /// Every statistics column, in file order.
    public var names: [String] {
        ["mean"] + percentileNames + thresholdNames + ["floor_share"] + (pNever ? ["p_never"] : [])
    }

    /// The statistics a published figure can be compared with: all but `floor_share`.
    public var comparableNames: [String] { ["mean"] + percentileNames + thresholdNames + (pNever ? ["p_never"] : []) }
}
