import EffSim
import Foundation
import Testing

/// An accepted run never writes NaN or infinity: whatever slips past validation is refused
/// before any file is written.
@Suite struct FiniteOutputTests {
    @Test func nonFiniteResultsAreRefusedAndNothingIsWritten() throws {
        // A span the reader refuses (years >= 0.4), set directly to reach the writers' guard.
        // Engine.run refuses such a scenario (it checks the rules), so the span is set on the state.
        var s = try Support.oneFactor(#"{"type": "lognormal", "median": 10, "sigma": 1}"#, trials: 1000)
        s.years = 1
        var state = try Engine.run(s, options: RunOptions(threads: 1))
        state.scenario.years = 1e-9
        let out = try Support.temporaryDirectory().appendingPathComponent("out")
        #expect(throws: NonFiniteOutputError.self) { try RunFiles.write(state, to: out.path) }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        do { _ = try RunFiles.write(state, to: out.path) } catch {
            #expect("\(error)".hasPrefix("the results would hold non-finite numbers (total_per_year mean = inf"), "\(error)")
        }
    }

    @Test func theShortestAndLongestAllowedSpansAndBaselinesStayFinite() throws {
        let s = try Support.scenario("""
        {"name": "edge", "trials": 20000, "years": 0.4,
         "factors": [{"id": "a", "group": "g", "floor": null, "distribution": {"type": "lognormal", "median": 1, "sigma": 30}}],
         "derived": [{"id": "big", "baseline": 1e60, "divide_by": "total"}, {"id": "small", "baseline": 1e-60, "divide_by": "total"}]}
        """)
        let state = try Engine.run(s, options: RunOptions(threads: 1))
        let out = try Support.temporaryDirectory().appendingPathComponent("out")
        let rows = try RunFiles.write(state, to: out.path).tables.summary
        #expect(rows.allSatisfy { $0.mean.isFinite && $0.percentiles.allSatisfy(\.isFinite) })
    }
}
