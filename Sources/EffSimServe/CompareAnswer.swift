import EffSim
import Foundation

/// The answer to `POST /api/compare`: compare.csv's rows (its columns, its digits) with each
/// row's mark (the interval of b - a excludes 0), compare.html's overlaid histograms and
/// exceedance curves per output both have, and the files' text.
enum CompareAnswer {
    static func json(_ sampled: (comparison: Comparison, a: RunState, b: RunState)) -> String {
        let c = sampled.comparison
        let csv = c.csv()
        let records = CSVTable.records(csv), header = records[0]
        let rows: [JSONText] = zip(records.dropFirst(), c.rows).map { fields, row in
            .object(zip(header, fields).map { column, field in
                (column, ["metric", "statistic"].contains(column) ? .string(field) : field.isEmpty ? .null : .number(field))
            } + [("significant", .bool(row.isSignificant))])
        }
        let a = ResultsFolder(sampled.a), b = ResultsFolder(sampled.b)
        let shared = a.scenario.outputs.map(\.id).filter { id in b.scenario.outputs.contains { $0.id == id } }
        let charts: [JSONText] = shared.map { id in
            .object([("output", .string(id)),
                     ("histograms", .string(ComparisonReport.histograms(a: a, b: b, output: id))),
                     ("exceedance", .string(ComparisonReport.overlay(a: a, b: b, output: id)))])
        }
        return JSONText.object([
            ("trials", .number(sampled.a.scenario.trials)),
            ("seed", .number(String(sampled.a.scenario.seed))),
            ("rows", .array(rows)),
            ("only_in_a", .array(c.onlyInA.map(JSONText.string))),
            ("only_in_b", .array(c.onlyInB.map(JSONText.string))),
            ("charts", .array(charts)),
            ("files", .object([("compare.csv", .string(csv)), ("only-in-one.csv", .string(c.onlyInOneCSV()))])),
        ]).text
    }
}
