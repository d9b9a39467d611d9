import Foundation
import Synchronization

/// A one-line progress bar on stderr, shown only when stderr is a terminal and the run has
/// lasted `delay` seconds (1 s; the environment variable EFFSIM_PROGRESS_DELAY sets another,
/// so tests can show the bar on a short run); it never reaches redirected output or files.
final class ProgressBar: Sendable {
    private struct State {
        var lastDraw = 0.0
        var drawn = false
    }

    private let start = Date()
    private let state = Mutex(State())
    private let enabled = isatty(2) != 0
    private let delay = ProcessInfo.processInfo.environment["EFFSIM_PROGRESS_DELAY"].flatMap(Double.init) ?? 1

    func update(_ done: Int, _ total: Int) {
        guard enabled else { return }
        let now = Date().timeIntervalSince(start)
        guard now >= delay else { return }
        state.withLock { s in
            guard now - s.lastDraw >= 0.1 || done == total else { return }
            s.lastDraw = now
            s.drawn = true
            let width = 30
            let filled = width * done / max(total, 1)
            let eta = done > 0 ? now * Double(total - done) / Double(done) : 0
            let line = String(
                format: "\r[%@%@] %3d%%  %.0fs left ", String(repeating: "#", count: filled),
                String(repeating: ".", count: width - filled), 100 * done / max(total, 1), eta)
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    func finish() {
        state.withLock { s in
            if s.drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        }
    }
}
