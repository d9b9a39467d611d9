import Foundation

/// A finished run's tables: summary.csv's rows and precision.csv's, computed once for the files
/// and the console.
public struct RunTables: Sendable, Equatable {
    public var summary: [SummaryRow]
    public var precision: [PrecisionRow]

    public init(_ state: RunState) {
        summary = MetricLayout(state.scenario).rows(state.metrics)
        precision = Precision.rows(state, summary: summary)
    }
}

/// The files a finished run writes into its output folder, all or nothing:
/// summary.csv, precision.csv, histogram.csv and run.json.
public enum RunOutputs {
    public static func write(_ state: RunState, to directory: String, binsPerDecade: Int = HistogramCSV.defaultBinsPerDecade) throws -> RunTables {
        let tables = RunTables(state)
        try FiniteOutput.check(tables.summary, tables.precision)
        var files = OutputFiles(directory: directory)
        try files.stage("summary.csv", SummaryCSV.render(tables.summary, scenario: state.scenario))
        try files.stage("precision.csv", PrecisionCSV.render(tables.precision))
        try files.stage("histogram.csv", HistogramCSV.render(state, binsPerDecade: binsPerDecade))
        try files.stage("run.json", RunRecord(state, binsPerDecade: binsPerDecade).encoded())
        try files.commit()
        return tables
    }

    /// The default output folder of a scenario: results/<name>.
    public static func defaultDirectory(_ scenario: Scenario) -> String { "results/\(scenario.name)" }
}
