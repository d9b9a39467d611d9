import ArgumentParser
import EffSim
import Foundation

struct SensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "Rank the factors by the share of each output's log-variance they explain; write sensitivity.csv.",
        discussion: """
        Holds every draw in memory, so it samples \(Sensitivity.defaultTrials) trials unless the scenario asks \
        for fewer or --trials says otherwise. Also reports each output's median with the factor pinned at its \
        p10 and at its p90 (a tornado swing).
        """
    )

    @Argument(help: "The scenario file (JSON).")
    var scenario: String

    @Option(help: "Number of trials (default: the scenario's, at most \(Sensitivity.defaultTrials)).")
    var trials: Int?

    @Option(help: "Random seed, 0 to 2^53 (overrides the scenario's \"seed\").")
    var seed: UInt64?

    @Option(help: "Output folder (default: results/<scenario file name without .json>).")
    var out: String?

    @Flag(help: "Replace an output folder that holds another scenario's results.")
    var force = false

    @OptionGroup var draws: DrawOptions

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if let trials, !(2...Sensitivity.maximumTrials).contains(trials) { throw ValidationError("--trials must be from 2 to \(Sensitivity.maximumTrials) (every draw is kept in memory)") }
        if let seed, seed > Scenario.maximumSeed { throw ValidationError("--seed must be from 0 to \(Scenario.maximumSeed)") }
    }

    func run() throws {
        SignalCleanup.install()
        var s = loadScenario(scenario)
        s.trials = trials ?? min(s.trials, Sensitivity.defaultTrials)
        if let seed { s.seed = seed }
        let directory = out ?? RunOutputs.defaultDirectory(scenarioFile: scenario)
        let record = SensitivityRecord(s, rng: draws.rng, sampler: draws.sampler)
        // The output folder is locked and checked before sampling.
        let update: FolderUpdate
        do { update = try FolderUpdate(target: directory, scenario: (s.name, record.scenarioFingerprint), force: force) } catch { failWriting(error) }
        let rows: [SensitivityRow]
        do { rows = try Sensitivity.analyse(s, generator: draws.rng, sampler: draws.sampler) } catch { fail("\(scenario): \(error)", code: 2) }
        do {
            try update.stage("sensitivity.csv", SensitivityCSV.render(rows))
            try update.stage(SensitivityRecord.fileName, record.encoded())
            try update.carryOver(for: .sensitivity(scenarioFingerprint: record.scenarioFingerprint))
            try update.commit()
        } catch { failWriting(error) }
        if !quiet {
            print(SensitivityCSV.report(rows, scenario: s), terminator: "")
            print("\nwrote sensitivity.csv and sensitivity.json in \(directory)")
        }
    }
}
