import EffSim
import Foundation
import Testing

/// What is made of a composed model: fingerprints, sweeps into an imported file, sensitivity and
/// compare, each against the same model written in one file (`ImportTests.oneFile`).
@Suite struct ImportAnalysisTests {
    /// An edit to an imported file changes the importing scenario's fingerprints: its document
    /// holds the imported one.
    @Test func anEditToAnImportedFileChangesTheFingerprint() throws {
        let (s, dir) = try ImportTests.topScenario()
        let before = RunSettings(scenario: s, rng: .taus2, sampler: .pseudo)
        let base = dir.appendingPathComponent("sub/base.json")
        try Data(ImportTests.base.replacingOccurrences(of: "\"median\": 2,", with: "\"median\": 2.1,").utf8).write(to: base)
        let edited = try ScenarioReader.load(path: dir.appendingPathComponent("top.json").path)
        let after = RunSettings(scenario: edited, rng: .taus2, sampler: .pseudo)
        #expect(edited.factors[0] != s.factors[0])
        #expect(before.fingerprint != after.fingerprint)
        #expect(Fingerprint.scenario(before.scenario) != Fingerprint.scenario(after.scenario))
    }

    /// `imports[m].factors[a]...` edits the imported document: each point is the model read with
    /// that value in the imported file.
    @Test func aSweepVariesAnImportedFactor() throws {
        let (_, dir) = try ImportTests.topScenario()
        let sweepFile = dir.appendingPathComponent("s.json")
        try Data(#"{"base": "top.json", "trials": 1000, "parameters": [{"path": "imports[m].factors[a].distribution.median", "values": [2, 4]}]}"#.utf8).write(to: sweepFile)
        let points = try Sweep.load(path: sweepFile.path).points()
        try Data(ImportTests.base.replacingOccurrences(of: "\"median\": 2,", with: "\"median\": 4,").utf8).write(to: dir.appendingPathComponent("sub/base.json"))
        let edited = try ScenarioReader.load(path: dir.appendingPathComponent("top.json").path)
        #expect(points.count == 2)
        #expect(points[0].scenario.factors[0].distribution != edited.factors[0].distribution)
        #expect(points[1].scenario.factors == edited.factors)
        // A path to an import that is not there says which there are.
        try Data(#"{"base": "top.json", "parameters": [{"path": "imports[zz].factors[a].distribution.median", "values": [2]}]}"#.utf8).write(to: sweepFile)
        #expect(throws: SweepError.self) { try Sweep.load(path: sweepFile.path) }
        do { _ = try Sweep.load(path: sweepFile.path) } catch {
            #expect("\(error)".contains("imports has no element with id \"zz\" (ids: m)"), "\(error)")
        }
    }

    /// Imported factors are ranked like the scenario's own, with the same shares as in one file.
    @Test func sensitivityRanksImportedFactors() throws {
        var (composed, _) = try ImportTests.topScenario()
        var single = try Support.scenario(ImportTests.oneFile)
        composed.trials = 50_000
        single.trials = 50_000
        let rows = try Sensitivity.analyse(composed, threads: 2)
        #expect(Set(rows.filter { $0.output == "r" }.map(\.factor)) == ["m.a", "m.b", "m.k", "c"])
        #expect(rows.filter { $0.output == "r" }.allSatisfy { $0.varianceShare > 0 })
        #expect(try Sensitivity.analyse(single, threads: 2) == rows)
    }

    /// compare of the composed model and the one-file model: every statistic differs by zero.
    @Test func compareOfTheComposedAndTheOneFileModelFindsNoDifference() throws {
        var (composed, _) = try ImportTests.topScenario()
        // compare needs two chunks of 65,536 trials for its intervals.
        composed.trials = 140_000
        var single = try Support.scenario(ImportTests.oneFile)
        single.trials = 140_000
        let c = try Comparison.sample(composed, single, options: RunOptions(threads: 2)).comparison
        #expect(Set(c.rows.map(\.metric)) == ["r", "m.p", "m.q", "m.a", "m.b", "m.k", "c"])
        #expect(c.onlyInA.isEmpty && c.onlyInB.isEmpty)
        for r in c.rows { #expect(r.difference == 0, "\(r)") }
    }
}
