import EffSimCore
import EffSimModel

/// Reading and building `SummaryRow`s by the columns' order; the names live with the scenario
/// (`SummaryColumns`), which the reader needs to check a published figure's statistic.
extension SummaryColumns {
    /// A row's statistics in column order; nil where the row has none (floor_share off factors,
    /// a threshold the row does not report).
    /// A crossing time's mean and percentiles that fall among the trials that never cross are nil.
    public func values(_ row: SummaryRow) -> [Double?] {
        let located = ([row.mean] + row.percentiles).map { row.pNever != nil && $0.isNaN ? nil : $0 }
        return located + row.exceedance + [row.floorShare] + (pNever ? [row.pNever] : [])
    }

    /// One statistic of a row by its column name.
    public func value(_ column: String, of row: SummaryRow) -> Double? {
        guard let i = names.firstIndex(of: column) else { return nil }
        return values(row)[i]
    }

    /// A row from its statistics in column order (the inverse of `values`); nil when the mean
    /// or a percentile is missing (other than a crossing time's, which has `p_never`) or the
    /// count is wrong.
    public func row(metric: String, kind: MetricKind, trials: Int, values: [Double?]) -> SummaryRow? {
        let p = percentiles.count
        let t = thresholds.count
        guard values.count == names.count else { return nil }
        let never = pNever ? values.last! : nil
        let located = values[0...p].compactMap { $0 ?? (never == nil ? nil : .nan) }
        guard located.count == p + 1 else { return nil }
        return SummaryRow(
            metric: metric, kind: kind, trials: trials, mean: located[0],
            percentiles: Array(located[1...p]), exceedance: Array(values[(p + 1)..<(p + 1 + t)]),
            floorShare: values[p + 1 + t], pNever: never)
    }
}
