import ArgumentParser
import EffSim
import Foundation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Sample a scenario and write summary.csv, histogram.csv and run.json.",
        discussion: """
        The scenario is validated in full before any sampling; an invalid file is refused even when \
        a flag would override the invalid value. Everything is written into a new folder beside the \
        output folder and swapped into place in one step; a folder holding another scenario's \
        results is refused unless --force.
        """
    )

    @Argument(help: "The scenario file (JSON), or a run.json to run again (its scenario, trials, seed, rng and sampler).")
    var scenario: String

    @Option(help: "Number of trials (overrides the scenario's \"trials\").")
    var trials: Int?

    @Option(help: "Random seed, 0 to 2^53 (overrides the scenario's \"seed\").")
    var seed: UInt64?

    @Option(help: "Output folder (default: results/<scenario file name without .json>).")
    var out: String?

    @Flag(help: "Replace an output folder that holds another scenario's results.")
    var force = false

    @Option(help: "histogram.csv bins per decade of log10, 1 to 1024; exact counts when it divides 20480 (10, 20, 40, 80, ...).")
    var bins: Int = HistogramCSV.defaultBinsPerDecade

    @Option(help: "Worker threads (default: every core). Results do not depend on it.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var draws: DrawOptions

    @Option(help: "Run only shard K of N (e.g. 2/4) and write its state with --state; combine with 'effsim merge'.")
    var shard: String?

    @Option(help: "With --shard: the file to write this shard's mergeable state to.")
    var state: String?

    @Option(help: "Statistics the console table shows, e.g. p10,p50,p90,p_gt_1000 (summary.csv columns).")
    var show: String?

    @Flag(help: "Also write report.html and the charts (see 'effsim report').")
    var report = false

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if let trials, !(1...Scenario.maximumTrials).contains(trials) {
            throw ValidationError("--trials must be from 1 to \(Scenario.maximumTrials)")
        }
        if let seed, seed > Scenario.maximumSeed { throw ValidationError("--seed must be from 0 to \(Scenario.maximumSeed)") }
        if !HistogramCSV.isValid(binsPerDecade: bins) {
            throw ValidationError("--bins must be from 1 to \(HistogramCSV.maximumBinsPerDecade)")
        }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if shard != nil, parsedShard == nil { throw ValidationError("--shard must be K/N with 1 <= K <= N, e.g. 2/4") }
        if (shard == nil) != (state == nil) { throw ValidationError("--shard and --state go together") }
        if report && shard != nil { throw ValidationError("--report needs the whole run: use 'effsim report' after 'effsim merge'") }
    }

    /// results/<scenario file name>; for a run.json, the folder that holds it.
    func defaultDirectory(isRecord: Bool) -> String {
        guard isRecord else { return RunOutputs.defaultDirectory(scenarioFile: scenario) }
        let folder = (scenario as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    var parsedShard: Shard? {
        guard let shard else { return nil }
        let parts = shard.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else { return nil }
        return Shard(index: k, count: n)
    }

    func run() throws {
        SignalCleanup.install()
        // A run.json runs again its own scenario with its settings (a flag other than the default overrides).
        let record: RunRecord?
        do { record = try RunRecord.recordIfAny(path: scenario) } catch { fail("\(error)", code: 2) }
        var s: Scenario
        if let record {
            do { s = try record.scenario(file: scenario) } catch { fail("\(error)", code: 2) }
        } else {
            s = loadScenario(scenario)
        }
        if let trials { s.trials = trials }
        if let seed { s.seed = seed }
        let shown = parsedShow(show, scenario: s)
        let rng = record.map { draws.rng == .taus2 ? $0.rng : draws.rng } ?? draws.rng
        let sampler = record.map { draws.sampler == .pseudo ? $0.sampler : draws.sampler } ?? draws.sampler
        var options = RunOptions(threads: threads, generator: rng, sampler: sampler, shard: parsedShard ?? .whole)
        do { try Engine.check(s, options) } catch { fail("\(scenario): \(error)", code: 2) }

        // The output folder is locked and checked before sampling.
        let update = state == nil ? beginFolder(s, out ?? defaultDirectory(isRecord: record != nil), force: force) : nil
        let bar = quiet ? nil : ProgressBar()
        if let bar {
            options.progress = { @Sendable done, total in bar.update(done, total) }
        }
        let result: RunState
        do { result = try Engine.run(s, options: options) } catch { fail("\(error)") }
        bar?.finish()

        if let state {
            var files = OutputFiles(directory: (state as NSString).deletingLastPathComponent.isEmpty ? "." : (state as NSString).deletingLastPathComponent)
            do {
                try files.stage((state as NSString).lastPathComponent, StateFile(result).encoded())
                try files.commit()
            } catch { fail("\(error)") }
            if !quiet { print("shard \(options.shard.index)/\(options.shard.count) of \(s.name): state written to \(state)") }
            return
        }
        let binsPerDecade = record.map { bins == HistogramCSV.defaultBinsPerDecade ? $0.binsPerDecade : bins } ?? bins
        if let update { writeRun(result, into: update, bins: binsPerDecade, report: report, quiet: quiet, shown: shown) }
    }
}
