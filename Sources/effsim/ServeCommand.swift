import ArgumentParser
import Dispatch
import EffSim
import EffSimServe
import Foundation

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Edit a scenario in the browser and see every number move as you type.",
        discussion: """
            Serves a page and a JSON API for the one scenario file on 127.0.0.1. The first line of \
            stdout is the page's URL with its token (random per start); every request needs the token. \
            Ctrl-C or SIGTERM stops the server. See Guides/Serve.md.
            """
    )

    @Argument(help: "The scenario file the page edits and saves.")
    var scenario: String

    @Option(help: "Port to listen on (0: a free port).")
    var port: Int = 0

    @Option(
        help:
            "Address to listen on. Anything but a loopback address lets other machines reach the page (with the token)."
    )
    var host: String = "127.0.0.1"

    @Option(help: "Trials of a run that does not ask for a number (the page's default), 1 to 10^7.")
    var trials: Int = 100_000

    @Option(help: "Worker threads per computation (default: every core). Results do not depend on it.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Do not open the page in the system browser.")
    var noBrowser = false

    func validate() throws {
        if !(0...65_535).contains(port) { throw ValidationError("--port must be from 0 to 65535") }
        if !(1...RequestRules.maximumTrials).contains(trials) {
            throw ValidationError("--trials must be from 1 to \(RequestRules.maximumTrials)")
        }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let file: EditedScenarioFile
        do { file = try EditedScenarioFile(path: scenario) } catch let error as ScenarioError { throw error }
        if !RequestRules.isLoopback(host) {
            FileHandle.standardError.write(
                Data(
                    "effsim: warning: --host \(host) is not a loopback address: anyone who can reach this port and has the token can read and write \(scenario)\n"
                        .utf8))
        }
        let started = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        let (host, port, trials, threads, browser) = (host, UInt16(port), trials, threads, !noBrowser && isatty(1) != 0)
        Task {
            do {
                let served = try await ServeServer.start(
                    file: file, host: host, port: port, trials: trials, threads: threads)
                // Scripts read the URL from the first line at once, also through a pipe.
                print(served.url)
                print("serving \(file.path); Ctrl-C stops")
                fflush(nil)
                if browser { openBrowser(served.url) }
            } catch {
                outcome.error = error
                started.signal()
            }
        }
        // Ctrl-C and SIGTERM end the server: nothing is half-written (a save is a rename).
        SignalCleanup.onSignal { _ in
            FileHandle.standardError.write(Data("effsim: serve stopped\n".utf8))
            Foundation.exit(0)
        }
        started.wait()
        if let error = outcome.error { throw CommandFailure.failed("cannot serve on \(host):\(port): \(error)") }
    }

    /// The system's browser, when one is found (`xdg-open`, or `open` on macOS).
    func openBrowser(_ url: String) {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        for name in ["xdg-open", "open"] {
            guard let dir = paths.first(where: { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }) else {
                continue
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "\(dir)/\(name)")
            process.arguments = [url]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try? process.run()
            return
        }
    }

    /// The server's start error, handed from its task to the command.
    final class Outcome: @unchecked Sendable {
        var error: Error?
    }
}
