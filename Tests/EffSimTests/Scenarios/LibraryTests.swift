import EffSim
import Foundation
import Testing

/// effsim used as a library: a scenario built or edited in Swift is checked like a file, and
/// the record of a run shows what ran.
@Suite struct LibraryTests {
    func seed2024() throws -> Scenario {
        try ScenarioReader.load(path: Support.scenarioPath("seed-2024.json"))
    }

    /// Every shipped scenario's document reads back into the same scenario.
    @Test(arguments: ["seed-2024.json", "seed-2024-literal.json", "epoch-defaults.json"])
    func documentRoundTrips(file: String) throws {
        let s = try ScenarioReader.load(path: Support.scenarioPath(file))
        #expect(try ScenarioReader.read(s.document, file: "round trip") == s)
        try s.validate()
    }

    /// A factor's distribution replaced in code: run.json records the distribution that ran,
    /// not the file's.
    @Test func runRecordShowsAnEditedScenario() throws {
        var s = try seed2024()
        s.trials = 20_000
        s.factors[0].distribution = try .logNormal(median: 9, sigma: 0.1)
        let state = try Engine.run(s, options: RunOptions(threads: 1))
        let record = RunRecord(state, binsPerDecade: 20)
        let ran = try record.settings.validatedScenario(file: "run.json")
        #expect(ran == s)
        #expect(ran.factors[0].distribution == (try .logNormal(median: 9, sigma: 0.1)))
        // The factor's sampled median is the edited one, not the file's 2.74.
        let row = MetricLayout(s).rows(state.metrics).first { $0.metric == "transformer_pp" }!
        #expect(abs(row.percentiles[4] / 9 - 1) < 0.01)
    }

    /// Values set in code that break a rule are refused with the rule, not sampled (before this
    /// check, trials 0 or a percentile of 150 reached the sampler).
    @Test func invalidScenarioBuiltInCodeIsRefused() throws {
        var s = try seed2024()
        s.trials = 0
        s.percentiles = [50, 150]
        #expect {
            try Engine.run(s, options: RunOptions(threads: 1))
        } throws: { error in
            guard let e = error as? ScenarioError else { return false }
            let text = e.issues.map(\.description)
            return text.contains("trials: must be a whole number from 1 to 1000000000000 (got 0)")
                && text.contains("percentiles[1]: must be a percentile between 0 and 100 (got 150)")
        }
    }

    /// Indices that disagree with the ids they stand for are refused too.
    @Test func inconsistentIndicesAreRefused() throws {
        var s = try seed2024()
        s.outputs[0].factorIndices = [0]
        #expect(throws: ScenarioError.self) { try Engine.run(s, options: RunOptions(threads: 1)) }
    }

    /// A fixed factor prints exactly (before: 3599.999999999998, exp of its log), and so do
    /// the outputs and derived values made of fixed factors only.
    @Test func fixedValuesAreExact() throws {
        let s = try Support.scenario("""
        {"name": "t", "trials": 1000, "seed": 1, "years": 2,
         "factors": [{"id": "seconds", "group": "c", "distribution": {"type": "fixed", "value": 3600}},
                     {"id": "x", "group": "v", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.5}}],
         "outputs": [{"id": "c", "groups": ["c"]}, {"id": "both", "groups": ["c", "v"]}],
         "derived": [{"id": "per_hour", "baseline": 7200, "divide_by": "c"}]}
        """)
        let state = try Engine.run(s, options: RunOptions(threads: 1))
        let rows = MetricLayout(s).rows(state.metrics)
        func row(_ name: String) -> SummaryRow { rows.first { $0.metric == name }! }
        #expect(row("seconds").percentiles.allSatisfy { $0 == 3600 } && row("seconds").mean == 3600)
        #expect(row("c").percentiles.allSatisfy { $0 == 3600 })
        #expect(row("c_per_year").percentiles.allSatisfy { $0 == 60 })
        #expect(row("per_hour").percentiles.allSatisfy { $0 == 2 })
        let csv = SummaryCSV.render(rows, scenario: s)
        #expect(csv.contains("seconds,factor,1000" + String(repeating: ",3600.0", count: 10) + ",1.0,1.0,1.0,0.0\n"), "\(csv)")
        let precision = Precision.rows(state, summary: rows).filter { $0.metric == "seconds" }
        #expect(precision.allSatisfy { $0.statistic.hasPrefix("p_gt") || $0.statistic == "floor_share" || $0.statistic == "mean" || ($0.lo95 == 3600 && $0.hi95 == 3600) })
    }

    @Test func duplicatePublishedFiguresAreRefused() throws {
        let json = """
        {"name": "t", "factors": [{"id": "x", "group": "g", "distribution": {"type": "fixed", "value": 2}}],
         "published": [{"metric": "total", "statistic": "p50", "value": 2},
                       {"metric": "total", "statistic": "p50", "value": 3}]}
        """
        #expect {
            try ScenarioReader.parse(Data(json.utf8), file: "dup.json")
        } throws: { error in
            (error as? ScenarioError)?.issues.map(\.description) == ["published[1]: total p50 is already given at published[0]; give each figure once"]
        }
    }

    /// A swept value that is a JSON object prints with its keys sorted, the same every run
    /// (Foundation's encoder alone writes them in hash order).
    @Test func sweptObjectsPrintWithSortedKeys() {
        let value = JSONValue.object([("type", .string("lognormal")), ("median", .number(2)), ("sigma", .number(0.5)), ("a", .null)])
        #expect(Sweep.text(value) == #"{"a":null,"median":2,"sigma":0.5,"type":"lognormal"}"#)
    }
}

extension LibraryTests {
    /// The example of the DocC article "Using EffSim from Swift", as written there (only the
    /// scenario's path and the output folder are the test's own).
    @Test func exampleFromTheDocumentation() throws {
        let out = try Support.temporaryDirectory().appendingPathComponent("narrow-moe").path

        var scenario = try ScenarioReader.load(path: Support.scenarioPath("seed-2024.json"))
        scenario.trials = 200_000
        // A narrower belief about Mixture of Experts: median 2.5x, log-sigma 0.3.
        let moe = scenario.factors.firstIndex { $0.id == "moe" }!
        scenario.factors[moe].distribution = try .logNormal(median: 2.5, sigma: 0.3)

        let state = try Engine.run(scenario, options: RunOptions(threads: 2))
        let tables = SummaryTables(state)
        let hardware = tables.summary.first { $0.metric == "hardware" }!
        let columns = SummaryColumns(scenario)
        let p50 = columns.value("p50", of: hardware)!
        let above1000 = columns.value("p_gt_1000", of: hardware)!

        _ = try RunFiles.write(state, to: out)

        // A narrower MoE keeps the median near the reference's 419x and thins the upper tail.
        #expect(p50 > 350 && p50 < 480, "\(p50)")
        #expect(above1000 < 0.263, "\(above1000)")
        let record = try RunRecord.load(directory: out)
        #expect(try record.settings.validatedScenario(file: "run.json").factors[moe].distribution == .logNormal(median: 2.5, sigma: 0.3))
    }
}
