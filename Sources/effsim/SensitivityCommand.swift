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

    @Option(help: "Output folder (default: results/<scenario name>).")
    var out: String?

    @OptionGroup var draws: DrawOptions

    @Option(help: "The most memory, in MB, the analysis may hold (default \(Sensitivity.defaultMemoryLimit >> 20)); checked before sampling.")
    var memoryLimit: Int = Sensitivity.defaultMemoryLimit >> 20

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if let trials, !(2...Sensitivity.maximumTrials).contains(trials) { throw ValidationError("--trials must be from 2 to \(Sensitivity.maximumTrials) (every draw is kept in memory)") }
        if let seed, seed > Scenario.maximumSeed { throw ValidationError("--seed must be from 0 to \(Scenario.maximumSeed)") }
    }

    func run() throws {
        var s = loadScenario(scenario)
        s.trials = trials ?? min(s.trials, Sensitivity.defaultTrials)
        if let seed { s.seed = seed }
        do { try OutputTarget.checkFolder(out ?? RunOutputs.defaultDirectory(s)) } catch { fail("\(error)", code: 2) }
        let need = Sensitivity.memoryEstimate(s)
        if need / (1 << 20) > memoryLimit {
            fail("\(scenario): sensitivity would hold about \(need / (1 << 20)) MB (\(s.trials) trials × \(MetricLayout(s).metricCount + 4) columns × 8 bytes), more than the limit of \(memoryLimit) MB; lower --trials or raise --memory-limit", code: 2)
        }
        let rows: [SensitivityRow]
        do { rows = try Sensitivity.analyse(s, generator: draws.rng, sampler: draws.sampler) } catch { fail("\(scenario): \(error)", code: 2) }
        let directory = out ?? RunOutputs.defaultDirectory(s)
        var files = OutputFiles(directory: directory)
        do {
            try FiniteOutput.check(rows.flatMap { [$0.varianceShare, $0.medianAtP10, $0.medianAtP90] }, what: "a sensitivity figure")
            try files.stage("sensitivity.csv", SensitivityCSV.render(rows))
            try files.commit()
        } catch { failWriting(error, file: scenario) }
        if !quiet {
            print(SensitivityCSV.report(rows, scenario: s), terminator: "")
            print("\nwrote sensitivity.csv in \(directory)")
        }
    }
}
