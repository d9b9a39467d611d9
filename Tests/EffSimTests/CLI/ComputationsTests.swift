import EffSimServe
import Foundation
import Synchronization
import Testing

/// `Computations`, the serve page's one-computation-per-page rule, without a server or a clock:
/// a computation that waits for a gate stands for a long run, so the order of events is the
/// test's, not the machine's speed.
@Suite struct ComputationsTests {
    /// A gate a computation waits at until the test opens it (or the computation is cancelled).
    final class Gate: Sendable {
        private let opened = Mutex(false)
        func open() { opened.withLock { $0 = true } }
        var isOpen: Bool { opened.withLock { $0 } }
    }

    /// Starts page `page`'s computation number `sequence` that waits at `gate`, and returns once
    /// it holds the page's slot; it answers "done" or, when superseded while waiting, "cancelled".
    static func waiting(_ c: Computations, page: String, sequence: Int?, gate: Gate) async -> Task<String, any Error> {
        let task = Task {
            try await c.run(page: page, sequence: sequence) { isCancelled, _ in
                while !gate.isOpen && !isCancelled() { usleep(1000) }
                return isCancelled() ? "cancelled" : "done"
            }
        }
        while c.progress(page: page) == nil { try? await Task.sleep(nanoseconds: 1_000_000) }
        return task
    }

    /// The browser sends quick edits on several connections: edit 6's request can arrive while
    /// edit 7's runs. It is superseded before it starts and edit 7 runs to its answer; by
    /// arrival order it would have cancelled edit 7, whose answer then never came.
    @Test func anOlderNumberIsSupersededAndTheNewestRunsOn() async throws {
        let c = Computations(), gate = Gate()
        let newest = await Self.waiting(c, page: "p", sequence: 7, gate: gate)
        await #expect(throws: Computations.Superseded.self) { try await c.run(page: "p", sequence: 6) { _, _ in "older" } }
        #expect(c.progress(page: "p") != nil, "edit 7 still runs")
        gate.open()
        #expect(try await newest.value == "done")
        // Its compare carries the same number and runs; an older number stays refused.
        #expect(try await c.run(page: "p", sequence: 7) { _, _ in "compare" } == "compare")
        #expect(!c.admits(page: "p", sequence: 3))
        // Pages have their own numbers.
        #expect(try await c.run(page: "q", sequence: 1) { _, _ in "q" } == "q")
    }

    /// A newer number (or, without numbers, a later arrival) cancels the running one: it sees
    /// the cancellation, stops, and its caller gets Superseded.
    @Test(arguments: [(7, 8), nil] as [(Int, Int)?])
    func aNewerComputationCancelsTheRunningOne(numbers: (Int, Int)?) async throws {
        let c = Computations(), gate = Gate()
        let older = await Self.waiting(c, page: "p", sequence: numbers?.0, gate: gate)
        #expect(try await c.run(page: "p", sequence: numbers?.1) { _, _ in "newer" } == "newer")
        await #expect(throws: Computations.Superseded.self) { try await older.value }
        #expect(c.progress(page: "p") == nil)
    }
}
