import EffSim
import Foundation

/// The answer to `POST /api/run`: per metric, summary.csv's statistics under its column names
/// and with its digits, precision.csv's intervals, the report's charts, both files' text (the
/// page's downloads) and warnings. Built from the files' own renderers, so it cannot drift
/// from what `effsim run` writes.
enum RunAnswer {
    /// The answer's JSON text. Throws, as `effsim run` refuses to write, when a statistic would
    /// not be finite or a row needs positive values its output lacks.
    static func json(_ state: RunState) throws -> String {
        let tables = SummaryTables(state)
        try NonPositiveOutputError.check(state)
        try FiniteOutput.check(tables.summary, tables.precision)
        let s = state.scenario
        let summary = SummaryCSV.render(tables.summary, scenario: s)
        let precision = PrecisionCSV.render(tables.precision)
        let folder = ResultsFolder(state, summary: tables.summary)
        // The report's charts: a histogram per output, a fan per series, a curve per crossing time.
        let charts = RunReport.charts(folder).map { ($0.name, JSONText.string($0.text)) }
        let metrics = metricsJSON(summary: summary, precision: precision)
        return JSONText.object([
            ("name", .string(s.name)),
            ("trials", .number(s.trials)),
            ("seed", .number(String(s.seed))),
            ("columns", .array(SummaryColumns(s).names.map(JSONText.string))),
            ("order", .array(tables.summary.map { .string($0.metric) })),
            ("metrics", metrics),
            ("charts", .object(charts)),
            ("files", .object([("summary.csv", .string(summary)), ("precision.csv", .string(precision))])),
            ("warnings", .array(warnings(tables.precision, scenario: s).map(JSONText.string))),
        ]).text
    }

    /// Per metric id: its kind, unit (when the scenario has units), statistics (summary.csv's
    /// columns and fields) and intervals (precision.csv's statistic -> estimate, lo95, hi95).
    static func metricsJSON(summary: String, precision: String) -> JSONText {
        let rows = CSVTable.records(summary)
        let header = rows[0]
        var intervals: [String: [(String, JSONText)]] = [:]
        let precisionRows = CSVTable.records(precision)
        for f in precisionRows.dropFirst() {
            // metric,statistic,estimate,lo95,hi95
            intervals[f[0], default: []].append(
                (f[1], .object([("estimate", .number(f[2])), ("lo95", .number(f[3])), ("hi95", .number(f[4]))])))
        }
        return .object(
            rows.dropFirst().map { f in
                var statistics: [(String, JSONText)] = []
                var about: [(String, JSONText)] = []
                for (column, field) in zip(header, f).dropFirst() {
                    switch column {
                    case "kind", "unit": about.append((column, .string(field)))
                    case "trials": about.append((column, .number(field)))
                    default: statistics.append((column, field.isEmpty ? .null : .number(field)))
                    }
                }
                return (
                    f[0],
                    .object(
                        about + [("statistics", .object(statistics)), ("intervals", .object(intervals[f[0]] ?? []))])
                )
            })
    }

    /// The relative half-width of a p50's 95% interval above which the page says to run more trials.
    static let wideMedian = 0.02

    /// Medians known only loosely at this trial count (the "precise" action narrows them).
    /// A series warns once, at its loosest index value, not once per value.
    static func warnings(_ precision: [PrecisionRow], scenario: Scenario) -> [String] {
        let outputs = Set(scenario.outputs.map(\.id))
        var series: [String: String] = [:]  // a series point's metric -> its series
        for o in scenario.outputs { if let point = o.series { series[o.id] = point.series } }
        let loose: [(row: PrecisionRow, half: Double)] =
            precision.filter { outputs.contains($0.metric) && $0.statistic == "p50" && $0.estimate != 0 }.compactMap {
                r in
                let half = max(r.hi95 - r.estimate, r.estimate - r.lo95) / abs(r.estimate)
                return half > wideMedian ? (r, half) : nil
            }
        var loosest: [String: Double] = [:]
        for (r, half) in loose { if let id = series[r.metric] { loosest[id] = max(loosest[id] ?? 0, half) } }
        return loose.compactMap { r, half in
            if let id = series[r.metric], half < loosest[id]! { return nil }
            loosest[series[r.metric] ?? ""] = .infinity  // one warning per series, even on a tie
            return
                "\(r.metric) p50 is known to ±\(String(format: "%.1f", half * 100))% at \(scenario.trials) trials (95% interval \(String(format: "%.4g", r.lo95)) to \(String(format: "%.4g", r.hi95))); run more trials to narrow it"
        }
    }
}
