import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// `summary.csv`: one row per output, factor, per-year row and derived value.
/// Header: metric,kind,trials,mean,p<q>...,p_gt_<t>...,floor_share (see README "Output files"),
/// and a last column `unit` when the scenario uses units.
public enum SummaryCSV {
    /// The header row for a scenario: its percentile and threshold columns, and `unit` when it uses units.
    public static func header(_ scenario: Scenario) -> [String] {
        ["metric", "kind", "trials"] + SummaryColumns(scenario).names + (scenario.usesUnits ? ["unit"] : [])
    }

    /// A row's statistics fields in column order (empty where a row has none).
    public static func statisticFields(_ r: SummaryRow, _ columns: SummaryColumns) -> [String] {
        columns.values(r).map { $0.map(CSVTable.number) ?? "" }
    }

    /// The file's text, a line per row.
    public static func render(_ rows: [SummaryRow], scenario: Scenario) -> String {
        let columns = SummaryColumns(scenario)
        var table = CSVTable(header: header(scenario))
        let units = scenario.usesUnits
        for r in rows {
            table.append(
                [r.metric, r.kind.rawValue, String(r.trials)] + statisticFields(r, columns)
                    + (units ? [scenario.unit(ofMetric: r.metric)] : []))
        }
        return table.text
    }
}
