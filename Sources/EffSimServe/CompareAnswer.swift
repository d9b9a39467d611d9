import EffSim
import Foundation

/// The answer to `POST /api/compare`: compare.csv's rows (its columns, its digits) with each
/// row's mark (the interval of b - a excludes 0), compare.html's figures per output both have
/// (`ComparisonReport.figures`), and the files' text.
enum CompareAnswer {
    static func json(_ sampled: (comparison: Comparison, a: RunState, b: RunState)) -> String {
        let c = sampled.comparison
        let csv = c.csv()
        let records = CSVTable.records(csv)
        let header = records[0]
        let rows: [JSONText] = zip(records.dropFirst(), c.rows).map { fields, row in
            .object(
                zip(header, fields).map { column, field in
                    (
                        column,
                        ["metric", "statistic", "unit"].contains(column)
                            ? .string(field) : field.isEmpty ? .null : .number(field)
                    )
                } + [("significant", .bool(row.isSignificant))])
        }
        let a = ResultsFolder(sampled.a)
        let b = ResultsFolder(sampled.b)
        let shared = a.scenario.outputs.filter { o in b.scenario.outputs.contains { $0.id == o.id } }
        let charts: [JSONText] = shared.compactMap { output in
            let figures = ComparisonReport.figures(a: a, b: b, output: output)
            return figures.isEmpty
                ? nil
                : .object([
                    ("output", .string(output.series?.series ?? output.id)),
                    ("figures", .array(figures.map(JSONText.string))),
                ])
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
