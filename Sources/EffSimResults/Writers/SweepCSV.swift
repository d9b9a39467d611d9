import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// `sweep.csv`: one column per varied parameter (named by its path as written in the sweep
/// file), then `metric` and the statistics columns of summary.csv; a row per grid point and output.
public enum SweepCSV {
    /// The columns: the parameters' paths, `metric`, then summary.csv's statistics columns.
    public static func header(_ sweep: Sweep, scenario: Scenario) -> [String] {
        sweep.parameters.map(\.path.description) + ["metric"] + SummaryColumns(scenario).names
    }

    /// The file's text, a line per grid point and output.
    public static func render(_ rows: [SweepRow], sweep: Sweep, scenario: Scenario) -> String {
        let columns = SummaryColumns(scenario)
        var table = CSVTable(header: header(sweep, scenario: scenario))
        for r in rows {
            table.append(r.values.map(Sweep.text) + [r.summary.metric] + SummaryCSV.statisticFields(r.summary, columns))
        }
        return table.text
    }

    /// The readable table `effsim sweep` prints: each point's parameter values and every output's
    /// median, or the summary columns `shown` (`--show`).
    public static func report(_ rows: [SweepRow], sweep: Sweep, points: [Sweep.Point], shown: [String] = ["p50"])
        -> String
    {
        let first = points[0].scenario
        let out =
            "\(Quoted.bare(sweep.name)): \(points.count) points of \(Quoted.path(sweep.basePath)), \(first.trials) trials each, seed \(first.seed)\n\n"
        let outputs = first.outputs.map(\.id)
        let header =
            sweep.parameters.map(\.path.description)
            + outputs.flatMap { id in shown.map { "\(id) \(ConsoleReport.label($0))" } }
        let lines = points.map { point in
            point.values.map(Sweep.text)
                + outputs.flatMap { id in
                    let row = rows.first { $0.values == point.values && $0.summary.metric == id }
                    return shown.map { column in
                        row.map { ConsoleReport.statistic($0.summary, column, in: point.scenario) } ?? "-"
                    }
                }
        }
        return out + ConsoleReport.table(header, lines)
    }
}
