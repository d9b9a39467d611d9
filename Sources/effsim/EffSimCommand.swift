import ArgumentParser
import EffSim
import Foundation

@main
struct EffSimCommand: ParsableCommand {
    static let version = EffSimVersion.string

    static let configuration = CommandConfiguration(
        commandName: "effsim",
        abstract: "Monte Carlo estimates of efficiency gains in AI training.",
        discussion: """
        A scenario (JSON) lists uncertain multiplicative factors. effsim samples each, raises draws \
        below the floor to the floor, multiplies them into outputs and reports percentiles, \
        threshold probabilities and histograms. See README.md for the scenario format and output files.
        """,
        version: version,
        subcommands: [RunCommand.self, ValidateCommand.self, MergeCommand.self, SweepCommand.self, SensitivityCommand.self, ReportCommand.self, CompareCommand.self]
    )
}

/// Prints an error the way every subcommand does and exits non-zero.
func fail(_ message: String, code: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data(("effsim: " + message.replacingOccurrences(of: "\n", with: "\neffsim: ") + "\n").utf8))
    exit(code)
}

/// Loads a scenario or exits with every problem listed.
func loadScenario(_ path: String) -> Scenario {
    do {
        return try ScenarioReader.load(path: path)
    } catch let error as ScenarioError {
        fail(error.description, code: 2)
    } catch {
        fail("\(path): \(error)", code: 2)
    }
}
