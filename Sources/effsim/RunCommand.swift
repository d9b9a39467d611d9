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

    @Argument(help: "The scenario file (JSON).")
    var scenario: String

    @OptionGroup var overrides: ScenarioOverrides
    @OptionGroup var output: OutputOptions
    @OptionGroup var histogram: BinOptions
    @OptionGroup var workers: ThreadOptions
    @OptionGroup var draws: DrawOptions

    @Option(help: "Run only shard K of N (K/N with 1 <= K <= N, e.g. 2/4) and write its state with --state; combine with 'effsim merge'.")
    var shard: Shard?

    @Option(help: "With --shard: the file to write this shard's mergeable state to.")
    var state: String?

    @Flag(help: "Also write report.html and the charts (see 'effsim report').")
    var report = false

    func validate() throws {
        if (shard == nil) != (state == nil) { throw ValidationError("--shard and --state go together") }
        if report && shard != nil { throw ValidationError("--report needs the whole run: use 'effsim report' after 'effsim merge'") }
    }

    func run() throws {
        let s = overrides.apply(to: try loadScenario(scenario))
        var options = RunOptions(threads: workers.threads, generator: draws.rng, sampler: draws.sampler, shard: shard ?? .whole)
        do { try Engine.check(s, options) } catch { throw CommandFailure.badInput("\(scenario): \(error)") }
        do {
            if let state { try OutputTarget.checkStateFile(state) } else { try OutputTarget.checkFolder(output.out ?? RunOutputs.defaultDirectory(s)) }
        } catch { throw CommandFailure.badInput("\(error)") }

        // Before a long run, on a terminal: how long it will take, so a slip of --trials shows at once.
        let estimate = Engine.estimatedSeconds(s, options: options)
        if !output.quiet, isatty(2) != 0, estimate > 60 {
            let figure = estimate < 3600 ? String(format: "%.0f minutes", estimate / 60)
                : estimate < 172_800 ? String(format: "%.1f hours", estimate / 3600) : String(format: "%.0f days", estimate / 86_400)
            FileHandle.standardError.write(Data("effsim: \(s.trials) trials will take about \(figure) on \(min(workers.threads, ProcessInfo.processInfo.activeProcessorCount)) thread(s) (estimate); Ctrl-C stops the run\n".utf8))
        }
        let bar = output.quiet ? nil : ProgressBar()
        if let bar {
            options.progress = { @Sendable done, total in bar.update(done, total) }
        }
        let result: RunState
        do { result = try Engine.run(s, options: options) } catch { throw CommandFailure.failed("\(error)") }
        bar?.finish()

        if let state {
            let folder = (state as NSString).deletingLastPathComponent
            var files = OutputFiles(directory: folder.isEmpty ? "." : folder)
            do {
                try files.stage((state as NSString).lastPathComponent, StateFile(result).encoded())
                try files.commit()
            } catch { throw CommandFailure.failed("\(error)") }
            if !output.quiet { print("shard \(options.shard.index)/\(options.shard.count) of \(s.name): state written to \(state)") }
            return
        }
        try writeRun(result, output: output, bins: histogram.bins, report: report, file: scenario)
    }
}

/// Writes a finished run's folder, prints its table unless quiet, and its report when asked
/// (shared by `run` and `merge`).
func writeRun(_ result: RunState, output: OutputOptions, bins: Int, report: Bool, file: String? = nil) throws {
    let directory = output.out ?? RunOutputs.defaultDirectory(result.scenario)
    let tables: RunTables
    do { tables = try RunOutputs.write(result, to: directory, binsPerDecade: bins) } catch { throw CommandFailure.writing(error, file: file) }
    if !output.quiet {
        print(ConsoleReport.render(result, tables: tables), terminator: "")
        print("\nwrote summary.csv, precision.csv, histogram.csv and run.json in \(directory)")
    }
    if report { try writeReport(directory, quiet: output.quiet) }
}
