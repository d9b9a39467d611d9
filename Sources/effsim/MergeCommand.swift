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

    @Option(help: "Output folder (default: results/<scenario name>, as there is no scenario file).")
    var out: String?

    @Option(help: "histogram.csv bins per decade of log10, 1 to 1024; exact counts when it divides 20480 (10, 20, 40, 80, ...).")
    var bins: Int = HistogramCSV.defaultBinsPerDecade

    @Flag(help: "Replace an output folder that holds another scenario's results.")
    var force = false

    @Flag(help: "Also write report.html and the charts (see 'effsim report').")
    var report = false

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if !HistogramCSV.isValid(binsPerDecade: bins) { throw ValidationError("--bins must be from 1 to \(HistogramCSV.maximumBinsPerDecade)") }
    }

    func run() throws {
        SignalCleanup.install()
        let state: RunState
        do { state = try StateFile.merge(paths: states) } catch { fail("\(error)", code: 2) }
        let directory = out ?? RunOutputs.defaultDirectory(state.scenario)
        writeRun(state, into: beginFolder(state.scenario, directory, force: force), bins: bins, report: report, quiet: quiet)
    }
}
