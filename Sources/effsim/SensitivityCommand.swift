import ArgumentParser
import EffSim
import Foundation

struct SensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "Rank the factors by the share of each output's log-variance they explain; write sensitivity.csv.",
        discussion: """
        Holds every draw in memory, so it samples \(Sensitivity.defaultTrials) trials unless the scenario asks \
        for fewer or --trials says otherwise (at most \(Sensitivity.maximumTrials)). Also reports each output's \
        median with the factor pinned at its p10 and at its p90 (a tornado swing).
        """
    )

    @Argument(help: "The scenario file (JSON).")
    var scenario: String

    @OptionGroup var overrides: ScenarioOverrides
    @OptionGroup var output: OutputOptions
    @OptionGroup var draws: DrawOptions

    @Option(help: "The most memory, in MB, the analysis may hold (default \(Sensitivity.defaultMemoryLimit >> 20)); checked before sampling.")
    var memoryLimit: Int = Sensitivity.defaultMemoryLimit >> 20

    func validate() throws {
        if let trials = overrides.trials, !(2...Sensitivity.maximumTrials).contains(trials) {
            throw ValidationError("--trials must be from 2 to \(Sensitivity.maximumTrials) (every draw is kept in memory)")
        }
    }

    func run() throws {
        var s = overrides.apply(to: try loadScenario(scenario))
        if overrides.trials == nil { s.trials = min(s.trials, Sensitivity.defaultTrials) }
        do { try OutputTarget.checkFolder(output.out ?? RunOutputs.defaultDirectory(s)) } catch { throw CommandFailure.badInput("\(error)") }
        let need = Sensitivity.memoryEstimate(s)
        if need / (1 << 20) > memoryLimit {
            throw CommandFailure.badInput("\(scenario): sensitivity would hold about \(need / (1 << 20)) MB (\(s.trials) trials × \(MetricLayout(s).metricCount + 4) columns × 8 bytes), more than the limit of \(memoryLimit) MB; lower --trials or raise --memory-limit")
        }
        let rows: [SensitivityRow]
        do { rows = try Sensitivity.analyse(s, generator: draws.rng, sampler: draws.sampler) } catch { throw CommandFailure.badInput("\(scenario): \(error)") }
        let directory = output.out ?? RunOutputs.defaultDirectory(s)
        var files = OutputFiles(directory: directory)
        do {
            try FiniteOutput.check(rows.flatMap { [$0.varianceShare, $0.medianAtP10, $0.medianAtP90] }, what: "a sensitivity figure")
            try files.stage("sensitivity.csv", SensitivityCSV.render(rows))
            try files.commit()
        } catch { throw CommandFailure.writing(error, file: scenario) }
        if !output.quiet {
            print(SensitivityCSV.report(rows, scenario: s), terminator: "")
            print("\nwrote sensitivity.csv in \(directory)")
        }
    }
}
