import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// `sensitivity.csv`: factor,output,variance_share,median_at_p10,median_at_p90,scale (see `Sensitivity`).
public enum SensitivityCSV {
    /// The header row; `scale` (`log` or `value`) says whose variance the share divides.
    public static let header = ["factor", "output", "variance_share", "median_at_p10", "median_at_p90", "scale"]

    /// The file's text, a line per factor and output.
    public static func render(_ rows: [SensitivityRow]) -> String {
        var table = CSVTable(header: header)
        for r in rows {
            table.append([
                r.factor, r.output, CSVTable.number(r.varianceShare), CSVTable.number(r.medianAtP10),
                CSVTable.number(r.medianAtP90), r.scale.rawValue,
            ])
        }
        return table.text
    }

    /// The readable ranking `effsim sensitivity` prints: per output, factors by variance share.
    public static func report(_ rows: [SensitivityRow], scenario: Scenario) -> String {
        var out = "\(Quoted.bare(scenario.name)): sensitivity from \(scenario.trials) trials, seed \(scenario.seed)\n"
        for output in scenario.outputs {
            let ranked = rows.filter { $0.output == output.id }.sorted { $0.varianceShare > $1.varianceShare }
            let lines = ranked.enumerated().map { k, r in
                [
                    "\(k + 1). \(r.factor)", ConsoleReport.percent(r.varianceShare),
                    ConsoleReport.number(r.medianAtP10), ConsoleReport.number(r.medianAtP90),
                ]
            }
            out +=
                "\n\(Quoted.bare(output.id)): share of Var(log \(Quoted.bare(output.id))) and median with the factor at its p10 / p90\n"
            out += ConsoleReport.table(["factor", "share", "at p10", "at p90"], lines)
        }
        return out
    }
}
