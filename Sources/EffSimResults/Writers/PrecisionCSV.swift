import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// `precision.csv`: metric,statistic,estimate,lo95,hi95 (see `Precision`).
public enum PrecisionCSV {
    /// The file's text, a line per row.
    public static func render(_ rows: [PrecisionRow]) -> String {
        var table = CSVTable(header: Precision.header)
        for r in rows {
            table.append([
                r.metric, r.statistic, CSVTable.number(r.estimate), CSVTable.number(r.lo95), CSVTable.number(r.hi95),
            ])
        }
        return table.text
    }
}
