import Dispatch
import Foundation
import Synchronization

/// At most one computation per page at a time: a new one cancels the page's older one (its
/// request answers 409 "superseded"), so the answer to the newest edit is never held up by, or
/// drawn over by, a stale one. Pages name themselves with the `X-Effsim-Page` header; requests
/// without it share one slot. The sampling runs on a Dispatch thread, off the server's own.
public final class Computations: Sendable {
    /// Per page: the running computation's number and its progress (chunks done, chunks).
    private struct Slot {
        var number: Int
        var done = 0
        var total = 0
    }

    private let slots = Mutex<[String: Slot]>([:])
    private let counter = Atomic<Int>(0)

    public init() {}

    /// Thrown to a computation that a newer one of the same page replaced.
    public struct Superseded: Error {}

    /// Runs `work` as `page`'s computation, cancelling the page's older one. `work` gets the
    /// run's cancellation test and progress callback (see `RunOptions`).
    public func run<T: Sendable>(page: String,
                                 _ work: @escaping @Sendable (_ isCancelled: @escaping @Sendable () -> Bool,
                                                              _ progress: @escaping @Sendable (Int, Int) -> Void) throws -> T) async throws -> T {
        let number = counter.wrappingAdd(1, ordering: .relaxed).newValue
        slots.withLock { $0[page] = Slot(number: number) }
        let isCancelled: @Sendable () -> Bool = { self.slots.withLock { $0[page]?.number != number } }
        let progress: @Sendable (Int, Int) -> Void = { done, total in
            self.slots.withLock { if $0[page]?.number == number { $0[page]!.done = done; $0[page]!.total = total } }
        }
        defer { slots.withLock { if $0[page]?.number == number { $0[page] = nil } } }
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
        slots.withLock { $0[page].map { ($0.done, $0.total) } }
    }
}
