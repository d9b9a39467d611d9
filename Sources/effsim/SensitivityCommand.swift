import ArgumentParser
import EffSim
import Foundation

struct SensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "Rank the factors by the share of each output's log-variance they explain; write sensitivity.csv.",
        discussion: """
            Samples \(Sensitivity.defaultTrials) trials unless the scenario asks for fewer or --trials says otherwise, \
            in one streaming pass over --threads workers (the draws are not kept: memory does not grow with --trials; \
            the result does not depend on --threads). Also reports each output's median with the factor pinned at its \
            p10 and at its p90 (a tornado swing).
            """
    )

    @Argument(help: "The scenario file (JSON).")
    var scenario: String

    @OptionGroup var overrides: ScenarioOverrides
    @OptionGroup var output: OutputOptions
    @OptionGroup var draws: DrawOptions
    @OptionGroup var folder: ForceOption
    @OptionGroup var workers: ThreadOptions
    @OptionGroup var sharding: ShardOptions

    @Option(
        help:
            "The most memory, in MB, the analysis may hold (default \(Sensitivity.defaultMemoryLimit >> 20)); checked before sampling against a rough estimate (a fine histogram per metric and per tornado median, per thread) that does not depend on --trials."
    )
    var memoryLimit: Int = Sensitivity.defaultMemoryLimit >> 20

    func validate() throws {
        if let trials = overrides.trials, !(2...Sensitivity.maximumTrials).contains(trials) {
            throw ValidationError("--trials must be from 2 to \(Sensitivity.maximumTrials)")
        }
    }

    func run() throws {
        var s = overrides.apply(to: try loadScenario(scenario))
        if overrides.trials == nil { s.trials = min(s.trials, Sensitivity.defaultTrials) }
        let shard = try sharding.resolved()
        let directory = output.out ?? RunFiles.defaultDirectory(scenarioFile: scenario)
        if shard == nil {
            do { try Destination.checkFolder(directory) } catch { throw CommandFailure.badInput("\(error)") }
        }
        let threads = min(workers.threads, Engine.chunkCount(trials: s.trials))
        let need = Sensitivity.memoryEstimate(s, threads: threads)
        if need / (1 << 20) > memoryLimit {
            throw CommandFailure.badInput(
                "\(scenario): sensitivity would hold about \(need / (1 << 20)) MB (\(threads) thread(s) × \(Sensitivity.histogramCount(s)) histograms × \(Sensitivity.histogramBytes >> 10) KB), more than the limit of \(memoryLimit) MB; lower --threads or raise --memory-limit"
            )
        }
        if let shard {
            let options = RunOptions(
                threads: workers.threads, generator: draws.rng, sampler: draws.sampler, shard: shard)
            do { try Engine.check(s, options) } catch { throw CommandFailure.badInput("\(scenario): \(error)") }
            let path = try sharding.statePath(for: shard)
            let data: Data
            do {
                var stateFile = try SensitivityState(analysing: s, options: options)
                stateFile.scenarioFile = ScenarioFile.absolute(scenario)
                data = try stateFile.encoded()
            } catch { throw CommandFailure.badInput("\(scenario): \(error)") }
            try sharding.write(data, to: path)
            return
        }
        var record = SensitivityRecord(s, rng: draws.rng, sampler: draws.sampler)
        record.scenarioFile = ScenarioFile.recorded(scenario, folder: directory)
        // The output folder is locked and checked before sampling; it remembers the scenario file.
        let update = try beginSensitivityFolder(
            s, record: record, directory: directory, file: scenario, force: folder.force)
        let rows: [SensitivityRow]
        do {
            rows = try Sensitivity.analyse(s, generator: draws.rng, sampler: draws.sampler, threads: workers.threads)
        } catch { throw CommandFailure.badInput("\(scenario): \(error)") }
        try writeSensitivity(rows, of: s, record: record, into: update, quiet: output.quiet, file: scenario)
    }
}

/// Locks and checks a sensitivity analysis's output folder (exit 2 for another scenario's, or
/// another scenario file's when `file` is given).
func beginSensitivityFolder(
    _ s: Scenario, record: SensitivityRecord, directory: String, file: String? = nil, force: Bool
) throws -> FolderUpdate {
    do { return try SensitivityFiles.begin(s, record: record, directory: directory, file: file, force: force) } catch {
        throw CommandFailure.writing(error)
    }
}

/// Writes the analysis's folder and prints the ranking unless quiet (shared by `sensitivity` and `merge`).
func writeSensitivity(
    _ rows: [SensitivityRow], of s: Scenario, record: SensitivityRecord, into update: FolderUpdate, quiet: Bool,
    file: String
) throws {
    do { try SensitivityFiles.write(rows, record: record, into: update) } catch {
        throw CommandFailure.writing(error, file: file)
    }
    if !quiet {
        print(SensitivityCSV.report(rows, scenario: s), terminator: "")
        print("\nwrote sensitivity.csv and sensitivity.json in \(Quoted.path(update.target))")
    }
}
