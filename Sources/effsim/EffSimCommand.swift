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
            A scenario (JSON) lists uncertain factors. effsim samples each (raising draws below a \
            factor's floor, when it has one, to the floor), computes the outputs from them and reports \
            percentiles, threshold probabilities and histograms. The scenario format and the output \
            files: share/doc/effsim/README.md and share/doc/effsim/Guides/ under the prefix effsim was \
            installed in ('make install': /usr/local by default), or README.md in the source; the \
            JSON Schema: share/effsim/scenario.schema.json.

            Exit status: 0 on success; 2 for an invalid scenario, option or state file; 1 for any other failure.
            """,
        version: version,
        subcommands: [
            RunCommand.self, ValidateCommand.self, MergeCommand.self, SweepCommand.self, SensitivityCommand.self,
            ReportCommand.self, CompareCommand.self, ServeCommand.self,
        ]
    )

    /// Parses, runs, and maps every error to the documented exit status in one place.
    static func main() {
        SignalCleanup.install()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(for: error)
        }
    }

    /// Prints the error as `effsim: ...` on stderr and exits: 2 for bad input (scenario, option,
    /// state file), 1 for other failures, 0 for --help and --version.
    static func exit(for error: Error) -> Never {
        let status: Int32
        let text: String
        switch error {
        case let failure as CommandFailure:
            (status, text) = (failure.status, failure.message)
        case let invalid as ScenarioError:
            (status, text) = (2, invalid.description)
        case let code as ExitCode:
            Foundation.exit(code.rawValue)
        default:
            let code = exitCode(for: error)
            // --help, --version and completion scripts: argument parser prints them to stdout.
            if code == .success { exit(withError: error) }
            // An unknown, missing or invalid option or argument: a usage error, like a bad scenario.
            status = code == .validationFailure ? 2 : code.rawValue
            var message = fullMessage(for: error)
            if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
            let lines = message.split(separator: "\n", omittingEmptySubsequences: false)
            FileHandle.standardError.write(
                Data(("effsim: " + lines[0] + "\n" + lines.dropFirst().joined(separator: "\n") + "\n").utf8))
            Foundation.exit(status)
        }
        let prefixed = text.split(separator: "\n", omittingEmptySubsequences: false).map { "effsim: " + $0 }
        FileHandle.standardError.write(Data((prefixed.joined(separator: "\n") + "\n").utf8))
        Foundation.exit(status)
    }
}

/// A command that could not do its work: the message (one or more lines) and the exit status.
struct CommandFailure: Error {
    var message: String
    var status: Int32

    /// Bad input: an invalid scenario, option value or state file (exit status 2).
    static func badInput(_ message: String) -> CommandFailure { CommandFailure(message: message, status: 2) }

    /// Anything else, e.g. a folder that cannot be written (exit status 1).
    static func failed(_ message: String) -> CommandFailure { CommandFailure(message: message, status: 1) }

    /// A run that stopped: exit status 2 when an output took a value it cannot have (the
    /// scenario's fault: ln of a negative, 0/0, an overflow), 1 otherwise. `file` prefixes it.
    static func sampling(_ error: Error, file: String? = nil) -> CommandFailure {
        let message = file.map { "\($0): \(error)" } ?? "\(error)"
        return CommandFailure(message: message, status: error is OutputValueError ? 2 : 1)
    }

    /// A refused write: exit status 2 when the results would hold non-finite numbers (the
    /// input's fault, nothing written) or a results folder read back is damaged, 1 for a file system error. `file` prefixes the message.
    /// A refused folder (another scenario's, a live lock) has its own status.
    static func writing(_ error: Error, file: String? = nil) -> CommandFailure {
        if let folder = error as? FolderError {
            return CommandFailure(message: folder.description, status: folder.exitStatus)
        }
        let message = file.map { "\($0): \(error)" } ?? "\(error)"
        return CommandFailure(
            message: message,
            status: error is NonFiniteOutputError || error is NonPositiveOutputError || error is DamagedFolderError
                ? 2 : 1)
    }
}

/// Loads a scenario file, or the scenario of a `run.json` with its trials and seed (what `run`
/// accepts), or throws with every problem listed (exit status 2).
func loadScenario(_ path: String) throws -> Scenario {
    let record: RunRecord?
    do { record = try RunRecord.recordIfAny(path: path) } catch { throw CommandFailure.badInput("\(error)") }
    do {
        if let record { return try record.settings.validatedScenario(file: path) }
        return try ScenarioReader.load(path: path)
    } catch let error as ScenarioError {
        throw error
    } catch {
        throw CommandFailure.badInput("\(path): \(error)")
    }
}
