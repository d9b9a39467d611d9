import Foundation

/// The files a finished run writes into its output folder, all or nothing:
/// summary.csv, precision.csv, histogram.csv and run.json.
public enum RunOutputs {
    public static func write(_ state: RunState, to directory: String, binsPerDecade: Int = HistogramCSV.defaultBinsPerDecade) throws -> [SummaryRow] {
        let rows = MetricLayout(state.scenario).rows(state.metrics)
        let precision = Precision.rows(state, summary: rows)
        try FiniteOutput.check(rows, precision)
        var files = OutputFiles(directory: directory)
        try files.stage("summary.csv", SummaryCSV.render(rows, scenario: state.scenario))
        try files.stage("precision.csv", PrecisionCSV.render(precision))
        try files.stage("histogram.csv", HistogramCSV.render(state, binsPerDecade: binsPerDecade))
        try files.stage("run.json", RunRecord(state, binsPerDecade: binsPerDecade).encoded())
        try files.commit()
        return rows
    }

    /// The default output folder of a scenario: results/<name>.
    public static func defaultDirectory(_ scenario: Scenario) -> String { "results/\(scenario.name)" }
}
