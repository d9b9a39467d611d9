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
        var bad = 0
        for path in scenarios {
            do {
                let s = try ScenarioReader.load(path: path)
                print("ok: \(path) (\(s.name): \(s.factors.count) factors, \(s.outputs.count) outputs)")
            } catch let error as ScenarioError {
                bad += 1
                FileHandle.standardError.write(Data((error.description + "\n").utf8))
            }
        }
        if bad > 0 { throw ExitCode(2) }
    }
}
