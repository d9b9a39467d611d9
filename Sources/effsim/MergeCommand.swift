import ArgumentParser
import EffSim
import Foundation

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the state files of all shards of a run, a sweep or a sensitivity analysis into its results.",
        discussion: """
            A run's shards give summary.csv, histogram.csv and run.json; a sweep's sweep.csv; a \
            sensitivity analysis's sensitivity.csv and sensitivity.json. The \
            result is byte-identical to running the whole work in one process with the same seed. A \
            folder stands for every .json state file in it (as --state FOLDER/ writes them).
            """
    )

    @Argument(
        help: "State files written by 'effsim run|sweep|sensitivity --shard K/N --state ...', or folders of them.")
    var states: [String]

    @OptionGroup var output: OutputOptions
    @OptionGroup var histogram: BinOptions
    @OptionGroup var folder: ForceOption

    @Flag(help: "Also write report.html (and a run's charts; see 'effsim report').")
    var report = false

    func run() throws {
        let paths: [String]
        do { paths = try StateFolder.expand(states) } catch { throw CommandFailure.badInput("\(error)") }
        // The first file's format says what the shards are of; a file of another kind is refused by name.
        switch paths.first.flatMap(StateFolder.format(ofFile:)) {
        case SweepState.format?: return try mergeSweep(paths)
        case SensitivityState.format?: return try mergeSensitivity(paths)
        default: break
        }
        let merged: (state: RunState, scenarioFile: String?)
        do { merged = try StateFile.mergeRecordingFile(paths: paths) } catch {
            throw CommandFailure.badInput("\(error)")
        }
        let state = merged.state
        let directory = output.out ?? RunFiles.defaultDirectory(state.scenario)
        do { try Destination.checkFolder(directory) } catch { throw CommandFailure.badInput("\(error)") }
        // The folder records the scenario file the shards ran, as one process's would.
        let update = try beginFolder(state.scenario, directory, file: merged.scenarioFile, force: folder.force)
        try writeRun(state, into: update, bins: histogram.bins, report: report, quiet: output.quiet)
    }

    private func mergeSensitivity(_ paths: [String]) throws {
        let merged: (scenario: Scenario, record: SensitivityRecord, rows: [SensitivityRow])
        do { merged = try SensitivityState.merge(paths: paths) } catch { throw CommandFailure.badInput("\(error)") }
        let directory = output.out ?? RunFiles.defaultDirectory(merged.scenario)
        do { try Destination.checkFolder(directory) } catch { throw CommandFailure.badInput("\(error)") }
        var record = merged.record
        record.scenarioFile = merged.record.scenarioFile.map { ScenarioFile.recorded($0, folder: directory) }
        let update = try beginSensitivityFolder(
            merged.scenario, record: record, directory: directory, file: merged.record.scenarioFile, force: folder.force
        )
        try writeSensitivity(
            merged.rows, of: merged.scenario, record: record, into: update, quiet: output.quiet, file: paths[0])
    }

    private func mergeSweep(_ paths: [String]) throws {
        let merged: (sweep: Sweep, points: [Sweep.Point], rows: [SweepRow])
        do { merged = try SweepState.merge(paths: paths) } catch { throw CommandFailure.badInput("\(error)") }
        let directory = output.out ?? SweepFiles.defaultDirectory(merged.sweep)
        do { try Destination.checkFolder(directory) } catch { throw CommandFailure.badInput("\(error)") }
        let update = try beginSweepFolder(directory, sweepFile: merged.sweep.file, force: folder.force)
        try writeSweep(
            merged.rows, merged.sweep, merged.points, into: update, report: report, quiet: output.quiet, shown: ["p50"])
    }
}
