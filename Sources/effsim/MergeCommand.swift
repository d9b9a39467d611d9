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

    @Flag(help: "Also write report.html and the charts (see 'effsim report').")
    var report = false

    func run() throws {
        let state: RunState
        do { state = try StateFile.merge(paths: states) } catch { throw CommandFailure.badInput("\(error)") }
        do { try OutputTarget.checkFolder(output.out ?? RunOutputs.defaultDirectory(state.scenario)) } catch { throw CommandFailure.badInput("\(error)") }
        try writeRun(state, output: output, bins: histogram.bins, report: report)
    }
}
