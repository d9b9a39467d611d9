import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// The files a finished run writes into its output folder, all or nothing:
/// summary.csv, precision.csv, histogram.csv and run.json, and with `report` the report files.
public enum RunFiles {
    /// Locks and checks the output folder of a run of `scenario` (before sampling, so a refused
    /// folder costs nothing).
    /// `file` is the scenario file run (nil for a merge), recorded in run.json.
    public static func begin(_ scenario: Scenario, directory: String, file: String? = nil, force: Bool = false) throws
        -> FolderUpdate
    {
        try FolderUpdate(
            target: directory, scenario: (scenario.name, Fingerprint.scenario(scenario.document)), file: file,
            force: force)
    }

    /// Writes the run (and its report) as one new folder (see `FolderUpdate`). Returns the
    /// tables written and the report's notes (parts left out of it).
    @discardableResult
    public static func write(
        _ state: RunState, to directory: String, binsPerDecade: Int? = nil,
        report: Bool = false, file: String? = nil, force: Bool = false
    ) throws -> (tables: SummaryTables, notes: [String]) {
        try write(
            state, into: begin(state.scenario, directory: directory, file: file, force: force),
            binsPerDecade: binsPerDecade, report: report)
    }

    /// Writes the run (and its report) into an update already begun (`begin`); returns the tables
    /// written and the report's notes.
    @discardableResult
    public static func write(
        _ state: RunState, into update: FolderUpdate, binsPerDecade: Int? = nil,
        report: Bool = false
    ) throws -> (tables: SummaryTables, notes: [String]) {
        let tables = SummaryTables(state)
        let binsPerDecade = binsPerDecade ?? HistogramResolution.binsPerDecade(state)
        var record = RunRecord(state, binsPerDecade: binsPerDecade, summary: tables.summary)
        record.scenarioFile = update.scenarioFile.map { ScenarioFile.recorded($0, folder: update.target) }
        // Nothing is written when a number would not be finite, or a row needs positive values it lacks.
        do {
            try NonPositiveOutputError.check(state)
            try FiniteOutput.check(tables.summary, tables.precision)
            let sources = MetricLayout(state.scenario).rowSources
            try FiniteOutput.checkUnderflow(tables.summary) { state.metrics[sources[$0].metric].isPositive }
        } catch {
            update.discard()
            throw error
        }
        try update.stage("summary.csv", SummaryCSV.render(tables.summary, scenario: state.scenario))
        try update.stage("precision.csv", PrecisionCSV.render(tables.precision))
        try update.stage("histogram.csv", HistogramCSV.render(state, binsPerDecade: binsPerDecade))
        try update.stage("run.json", record.encoded())
        try update.carryOver(for: .run(drawsFingerprint: record.drawsFingerprint))
        var notes: [String] = []
        if report {
            do { notes = try RunReport.stage(into: update) } catch {
                update.discard()
                throw error
            }
        }
        try update.commit()
        return (tables, notes)
    }

    /// The default output folder of a scenario file: results/<file name without .json>, so a
    /// copied and edited scenario never lands in the original's folder.
    public static func defaultDirectory(scenarioFile: String) -> String {
        let base = (scenarioFile as NSString).lastPathComponent
        let stem = base.hasSuffix(".json") ? String(base.dropLast(5)) : base
        return "results/\(stem)"
    }

    /// Where merge writes by default (there is no scenario file): results/<scenario name>.
    public static func defaultDirectory(_ scenario: Scenario) -> String { "results/\(scenario.name)" }
}
