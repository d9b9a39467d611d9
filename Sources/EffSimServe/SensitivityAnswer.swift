import EffSim
import Foundation

/// The answer to `POST /api/sensitivity` (the page's tornado panel, on demand): sensitivity.csv's
/// text and the report's tornado chart of it, over a run of the same scenario for the medians.
enum SensitivityAnswer {
    static func json(rows: [SensitivityRow], run: RunState) -> String {
        let drawn = rows.filter { $0.medianAtP10 > 0 && $0.medianAtP90 > 0 }
        return JSONText.object([
            ("trials", .number(run.scenario.trials)),
            ("chart", drawn.isEmpty ? .null : .string(TornadoChart.render(ResultsFolder(run), drawn))),
            ("files", .object([("sensitivity.csv", .string(SensitivityCSV.render(rows)))])),
        ]).text
    }
}
