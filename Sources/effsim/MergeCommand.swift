import ArgumentParser
import EffSim
import Foundation

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the state files of all shards of a run into summary.csv, histogram.csv and run.json.",
        discussion: "The result is byte-identical to running the whole scenario in one process with the same seed."
    )

    @Argument(help: "State files written by 'effsim run --shard K/N --state FILE'.")
    var states: [String]

    @OptionGroup var output: OutputOptions
    @OptionGroup var histogram: BinOptions
    @OptionGroup var folder: ForceOption

    @Flag(help: "Also write report.html and the charts (see 'effsim report').")
    var report = false

    func run() throws {
        let state: RunState
        do { state = try StateFile.merge(paths: states) } catch { throw CommandFailure.badInput("\(error)") }
        let directory = output.out ?? RunOutputs.defaultDirectory(state.scenario)
        do { try OutputTarget.checkFolder(directory) } catch { throw CommandFailure.badInput("\(error)") }
        try writeRun(state, into: try beginFolder(state.scenario, directory, force: folder.force), bins: histogram.bins, report: report, quiet: output.quiet)
    }
}
