import EffSim
import Foundation
import Testing

/// The scenario reader on its own: every bad input of the corpus is refused with the JSON path
/// of the broken rule (the command line's handling of it is checked end to end in CLITests,
/// for a few of them).
@Suite struct ScenarioReaderTests {
    func problems(_ json: String) -> [String]? {
        do {
            _ = try ScenarioReader.parse(Data(json.utf8), file: "s.json")
            return nil
        } catch let e as ScenarioError {
            #expect(e.file == "s.json")
            return e.issues.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test(arguments: CLITests.badInputs.indices)
    func badInputIsRefusedWithItsPath(index: Int) {
        let (name, json, path) = CLITests.badInputs[index]
        let found = problems(json)
        #expect(found != nil, "\(name): accepted")
        #expect(found?.contains { $0.hasPrefix(path) || $0.contains(path) } == true, "\(name): \(found ?? [])")
    }

    /// All problems, not just the first, each with its path.
    @Test func everyProblemIsListed() {
        let found = problems("""
        {"name": "bad name!", "trials": -1, "seed": 1,
         "factors": [{"id": "a", "group": "g", "distribution": {"type": "lognormal", "ci": [6, 1], "level": 0.8}},
                     {"id": "b", "group": "g", "distribution": {"type": "normal", "mean": 1, "sd": -2}}],
         "outputs": [{"id": "o", "groups": ["nope"]}]}
        """) ?? []
        #expect(found.count == 5)
        for path in ["name:", "trials:", "factors[0].distribution.ci:", "factors[1].distribution.sd:", "outputs[0].groups[0]:"] {
            #expect(found.contains { $0.hasPrefix(path) }, "missing \(path) in \(found)")
        }
    }

    /// A repeated key or an inexact whole number is listed with the scenario's other problems,
    /// not alone (before, the reader stopped at the JSON-level problem).
    @Test func jsonLevelProblemsAreListedWithTheRest() {
        let found = problems("""
        {"name": "t", "seed": 9007199254740993, "trials": 5, "trials": 0,
         "factors": [{"id": "x", "group": "g", "distribution": {"type": "lognormal", "median": -1, "sigma": 1}}]}
        """) ?? []
        #expect(found.count == 4, "\(found)")
        #expect(found.first?.hasPrefix("seed: the whole number") == true)
        #expect(found.contains { $0.hasPrefix("trials: key \"trials\" appears more than once") })
        #expect(found.contains { $0.hasPrefix("trials: must be a whole number") })
        #expect(found.contains("factors[0].distribution.median: must be > 0 (got -1)"))
    }

    @Test func defaultsAreFilledIn() throws {
        let s = try ScenarioReader.parse(Data(#"{"name": "d", "factors": [{"id": "x", "group": "g", "distribution": {"type": "fixed", "value": 2}}]}"#.utf8), file: "d.json")
        #expect(s.trials == Scenario.defaultTrials && s.seed == Scenario.defaultSeed)
        #expect(s.percentiles == Scenario.defaultPercentiles && s.thresholds == Scenario.defaultThresholds)
        #expect(s.outputs.map(\.id) == ["total"] && s.outputs[0].factorIndices == [0])
        // No floor unless the file sets one.
        #expect(s.factors[0].floor == nil)
    }
}
