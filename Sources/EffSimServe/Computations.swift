import Dispatch
import Foundation
import Synchronization

/// At most one computation per page at a time: a new one cancels the page's older one (its
/// request answers 409 "superseded"), so the answer to the newest edit is never held up by, or
/// drawn over by, a stale one. Pages name themselves with the `X-Effsim-Page` header; requests
/// without it share one slot. The sampling runs on a Dispatch thread, off the server's own.
///
/// "Newer" is the page's own order when it numbers its requests (`X-Effsim-Sequence`), not the
/// order they arrive in: a browser sends quick edits on several connections, and the request
/// for an older edit can reach the server last. It must not cancel the newest one; it is
/// superseded before it starts. Requests without a number are ordered by arrival.
public final class Computations: Sendable {
    /// Per page: the running computation's number and its progress (chunks done, chunks).
    private struct Slot {
        var number: Int
        var done = 0
        var total = 0
    }

    /// The running computations, and per page the highest request number seen (for pages that
    /// number their requests), under one lock so that admitting a request and taking the
    /// page's slot are one step.
    private struct Table {
        var slots: [String: Slot] = [:]
        var newest: [String: Int] = [:]

        /// Whether a request numbered `sequence` is not older than one the page already sent;
        /// records it when so.
        mutating func admits(page: String, sequence: Int?) -> Bool {
            guard let sequence else { return true }
            if let seen = newest[page], sequence < seen { return false }
            if newest[page] == nil, newest.count >= Computations.pagesKept { newest.removeAll() }
            newest[page] = sequence
            return true
        }
    }

    private let table = Mutex(Table())
    private let counter = Atomic<Int>(0)
    /// Pages whose newest request number is kept; beyond it the table starts again (a page is
    /// a browser tab, so this is only reached by a client making up page names).
    static let pagesKept = 1024

    public init() {}

    /// Thrown to a computation that a newer one of the same page replaced.
    public struct Superseded: Error {}

    /// Whether a request numbered `sequence` is still the page's newest (or unnumbered), noting
    /// it when so: an answer from the recent answers asks this before it is given.
    public func admits(page: String, sequence: Int?) -> Bool {
        table.withLock { $0.admits(page: page, sequence: sequence) }
    }

    /// Runs `work` as `page`'s computation, cancelling the page's older one. `work` gets the
    /// run's cancellation test and progress callback (see `RunOptions`). `sequence` is the
    /// page's number for the request: one below a number the page already sent is superseded
    /// before it starts (an equal one replaces the running computation, as a compare follows
    /// its run).
    public func run<T: Sendable>(
        page: String, sequence: Int? = nil,
        _ work:
            @escaping @Sendable (
                _ isCancelled: @escaping @Sendable () -> Bool,
                _ progress: @escaping @Sendable (Int, Int) -> Void
            ) throws -> T
    ) async throws -> T {
        let number = counter.wrappingAdd(1, ordering: .relaxed).newValue
        let admitted = table.withLock { t in
            guard t.admits(page: page, sequence: sequence) else { return false }
            t.slots[page] = Slot(number: number)
            return true
        }
        guard admitted else { throw Superseded() }
        let isCancelled: @Sendable () -> Bool = { self.table.withLock { $0.slots[page]?.number != number } }
        let progress: @Sendable (Int, Int) -> Void = { done, total in
            self.table.withLock {
                if $0.slots[page]?.number == number {
                    $0.slots[page]!.done = done
                    $0.slots[page]!.total = total
                }
            }
        }
        defer { table.withLock { if $0.slots[page]?.number == number { $0.slots[page] = nil } } }
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { try work(isCancelled, progress) })
            }
        }
        if isCancelled() { throw Superseded() }
        return try result.get()
    }

    /// The page's running computation: (chunks done, chunks), nil when none runs.
    public func progress(page: String) -> (done: Int, total: Int)? {
        table.withLock { $0.slots[page].map { ($0.done, $0.total) } }
    }
}
