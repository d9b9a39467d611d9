import Dispatch
import EffSim
import Foundation

/// On SIGINT or SIGTERM, removes the staging folders and locks of results being written (the
/// old folder stays as it was) and exits with 128 + the signal, as the shell would report.
/// Dispatch sources run the handler on a queue of their own, so it fires while the sampler runs.
enum SignalCleanup {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    /// What a signal does; `serve` replaces it (a server has no results to abandon).
    nonisolated(unsafe) private static var action: @Sendable (Int32) -> Void = {
        FolderUpdate.abandonAllAndExit(128 + $0)
    }

    /// Makes SIGINT and SIGTERM run `action` instead of abandoning results and exiting.
    static func onSignal(_ action: @escaping @Sendable (Int32) -> Void) {
        install()
        self.action = action
    }

    static func install() {
        guard sources.isEmpty else { return }
        // An exit from anywhere must not leave a staging folder or a lock.
        atexit { FolderUpdate.abandonAll() }
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { action(sig) }
            source.resume()
            sources.append(source)
        }
    }
}

/// Prints notes about parts of a report that were left out (never silent, even with --quiet).
func printNotes(_ notes: [String]) {
    for note in notes {
        FileHandle.standardError.write(Data("effsim: note: \(note)\n".utf8))
    }
}
