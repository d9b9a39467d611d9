import ArgumentParser
import EffSim
import Foundation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Sample a scenario and write summary.csv, histogram.csv and run.json.",
        discussion: """
            The scenario is validated in full before any sampling; an invalid file is refused even when \
            a flag would override the invalid value. Files are written to a temporary name and moved \
            into place only when all are complete.
            """
    )

    @Argument(
        help:
            "The scenario file (JSON), or a results folder's run.json to run that run again (into its folder by default)."
    )
    var scenario: String

    @OptionGroup var overrides: ScenarioOverrides
    @OptionGroup var output: OutputOptions
    @OptionGroup var histogram: BinOptions
    @OptionGroup var workers: ThreadOptions
    @OptionGroup var draws: DrawOptions
    @OptionGroup var folder: ForceOption
    @OptionGroup var table: ShowOption

    @OptionGroup var sharding: ShardOptions

    @Flag(help: "Also write report.html and the charts (see 'effsim report').")
    var report = false

    func validate() throws {
        if report && sharding.shard != nil {
            throw ValidationError("--report needs the whole run: use 'effsim report' after 'effsim merge'")
        }
    }

    /// results/<scenario file name>; for a run.json, the folder that holds it.
    func defaultDirectory(isRecord: Bool) -> String {
        guard isRecord else { return RunFiles.defaultDirectory(scenarioFile: scenario) }
        let folder = ParentFolder.of(scenario)
        return folder.isEmpty ? "." : folder
    }

    func run() throws {
        // A run.json runs again its own scenario with its settings (a flag other than the default overrides).
        let record: RunRecord?
        do { record = try RunRecord.recordIfAny(path: scenario) } catch { throw CommandFailure.badInput("\(error)") }
        let s = overrides.apply(to: try loadScenario(scenario))
        let shown = try table.columns(for: s)
        let rng = record.map { draws.rng == .taus2 ? $0.rng : draws.rng } ?? draws.rng
        let sampler = record.map { draws.sampler == .pseudo ? $0.sampler : draws.sampler } ?? draws.sampler
        let shard = try sharding.resolved()
        var options = RunOptions(threads: workers.threads, generator: rng, sampler: sampler, shard: shard ?? .whole)
        do { try Engine.check(s, options) } catch { throw CommandFailure.badInput("\(scenario): \(error)") }
        let directory = output.out ?? defaultDirectory(isRecord: record != nil)
        let state = try shard.map { try sharding.statePath(for: $0) }
        if state == nil {
            do { try Destination.checkFolder(directory) } catch { throw CommandFailure.badInput("\(error)") }
        }
        // The output folder is locked and checked before sampling.
        // The folder remembers the scenario file (a run.json's own, when one is run again).
        let file =
            record.map { r in
                r.scenarioFile.map {
                    ScenarioFile.resolve($0, folder: (scenario as NSString).deletingLastPathComponent)
                }
            } ?? scenario
        let update = state == nil ? try beginFolder(s, directory, file: file, force: folder.force) : nil

        // Before a long run, on a terminal: how long it will take, so a slip of --trials shows at once.
        let estimate = Engine.estimatedSeconds(s, options: options)
        if !output.quiet, isatty(2) != 0, estimate > 60 {
            let figure =
                estimate < 3600
                ? String(format: "%.0f minutes", estimate / 60)
                : estimate < 172_800
                    ? String(format: "%.1f hours", estimate / 3600) : String(format: "%.0f days", estimate / 86_400)
            FileHandle.standardError.write(
                Data(
                    "effsim: \(s.trials) trials will take about \(figure) on \(min(workers.threads, ProcessInfo.processInfo.activeProcessorCount)) thread(s) (estimate); Ctrl-C stops the run\n"
                        .utf8))
        }
        // A shard prints nothing but errors: a job array's logs stay empty unless something failed.
        let bar = output.quiet || shard != nil ? nil : ProgressBar()
        if let bar {
            options.progress = { @Sendable done, total in bar.update(done, total) }
        }
        let result: RunState
        do { result = try Engine.run(s, options: options) } catch {
            bar?.finish()
            throw CommandFailure.sampling(error, file: scenario)
        }
        bar?.finish()

        if let state {
            let data: Data
            var stateFile = StateFile(result)
            stateFile.scenarioFile = file.map(ScenarioFile.absolute)
            do { data = try stateFile.encoded() } catch { throw CommandFailure.failed("\(error)") }
            try sharding.write(data, to: state)
            return
        }
        let bins = histogram.bins ?? record?.binsPerDecade
        if let update {
            try writeRun(
                result, into: update, bins: bins, report: report, quiet: output.quiet, shown: shown, file: scenario)
        }
    }
}

/// Locks and checks a run's output folder before sampling (exit 2 for another scenario's folder).
func beginFolder(_ scenario: Scenario, _ directory: String, file: String? = nil, force: Bool) throws -> FolderUpdate {
    do { return try RunFiles.begin(scenario, directory: directory, file: file, force: force) } catch {
        throw CommandFailure.writing(error)
    }
}

/// Writes a finished run's folder (and its report) as one unit, prints its table unless quiet
/// (shared by `run` and `merge`).
func writeRun(
    _ state: RunState, into update: FolderUpdate, bins: Int?, report: Bool, quiet: Bool, shown: [String]? = nil,
    file: String? = nil
) throws {
    let written: (tables: SummaryTables, notes: [String])
    do { written = try RunFiles.write(state, into: update, binsPerDecade: bins, report: report) } catch {
        throw CommandFailure.writing(error, file: file)
    }
    printNotes(written.notes)
    for warning in FloorWarning.list(state.scenario, summary: written.tables.summary) {
        FileHandle.standardError.write(Data("effsim: warning: \(warning.message)\n".utf8))
    }
    if !quiet {
        print(ConsoleReport.render(state, tables: written.tables, shown: shown), terminator: "")
        print(
            "\nwrote summary.csv, precision.csv, histogram.csv and run.json\(report ? ", report.html and its charts" : "") in \(Quoted.path(update.target))"
        )
    }
}
