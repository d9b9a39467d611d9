import Foundation

/// `summary.csv`: one row per output, factor, per-year row and derived value.
/// Header: metric,kind,trials,mean,p<q>...,p_gt_<t>...,floor_share (see README "Output files").
public enum SummaryCSV {
    public static func header(_ scenario: Scenario) -> [String] {
        ["metric", "kind", "trials"] + scenario.statisticColumns
    }

    public static func fields(_ r: SummaryRow) -> [String] {
        [r.metric, r.kind.rawValue, String(r.trials), CSVTable.number(r.mean)]
            + r.percentiles.map(CSVTable.number)
            + r.exceedance.map(CSVTable.number)
            + [r.floorShare.map(CSVTable.number) ?? ""]
    }

    public static func render(_ rows: [SummaryRow], scenario: Scenario) -> String {
        var table = CSVTable(header: header(scenario))
        for r in rows { table.append(fields(r)) }
        return table.text
    }
}
