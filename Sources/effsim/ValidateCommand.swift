import ArgumentParser
import EffSim
import Foundation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check scenario files without sampling.",
        discussion: "Prints 'ok' per valid file and every problem of each invalid one; exits 2 if any file is invalid."
    )

    @Argument(help: "Scenario files to check.")
    var scenarios: [String]

    func run() throws {
        var problems: [String] = []
        for path in scenarios {
            do {
                let s = try loadScenario(path)
                print(
                    "ok: \(Quoted.path(path)) (\(Quoted.bare(s.name)): \(s.factors.count) factors, \(s.outputs.count) outputs)"
                )
            } catch let error as ScenarioError {
                problems.append(error.description)
            } catch let failure as CommandFailure {
                problems.append(failure.message)
            }
        }
        if !problems.isEmpty { throw CommandFailure.badInput(problems.joined(separator: "\n")) }
    }
}
