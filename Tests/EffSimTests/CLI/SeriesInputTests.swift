import EffSim
import Foundation
import Testing

/// Outputs over an index and crossing times refused at load: exit status 2, exactly these lines
/// on stderr, nothing on stdout, nothing written.
@Suite struct SeriesInputTests {
    static func document(_ outputs: String, derived: String = "") -> String {
        """
        {"name": "bad", "trials": 1000, "seed": 1,
         "factors": [{"id": "g", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.5}}],
         "outputs": [\(outputs)]\(derived)}
        """
    }

    static let series = #"{"id": "s", "over": {"id": "t", "from": 0, "to": 10, "step": 1}, "expression": "g ^ t"}"#

    /// (what, scenario, the lines after "effsim: <file>: invalid scenario (k problems)").
    static let cases: [(name: String, json: String, lines: [String])] = [
        ("zero step", document(#"{"id": "s", "over": {"id": "t", "from": 0, "to": 10, "step": 0}, "expression": "g ^ t"}"#),
         ["outputs[0].over.step: must be > 0 (got 0)"]),
        ("negative step", document(#"{"id": "s", "over": {"id": "t", "from": 0, "to": 10, "step": -1}, "expression": "g ^ t"}"#),
         ["outputs[0].over.step: must be > 0 (got -1)"]),
        ("to before from", document(#"{"id": "s", "over": {"id": "t", "from": 10, "to": 0, "step": 1}, "expression": "g ^ t"}"#),
         ["outputs[0].over.to: must be >= from (10) (got 0)"]),
        ("more than 10,000 points", document(#"{"id": "s", "over": {"id": "t", "from": 0, "to": 10, "step": 0.001}, "expression": "g ^ t"}"#),
         ["outputs[0].over: gives 10001 index values (from 0 to 10 in steps of 0.001); at most 10000 are allowed"]),
        ("an index named like a factor", document(#"{"id": "s", "over": {"id": "g", "from": 0, "to": 10, "step": 1}, "expression": "g ^ 2"}"#),
         ["outputs[0].over.id: index \"g\" is also the id of a factor; an index needs a name of its own"]),
        ("an index named like a derived value", document(series, derived: #", "derived": [{"id": "t", "baseline": 1, "divide_by": "s[t=3]"}]"#),
         ["outputs[0].over.id: index \"t\" is also the id of a derived value; an index needs a name of its own"]),
        ("first of a factor", document(#"{"id": "w", "first": {"series": "g", "above": 3}}"#),
         ["outputs[0].first.series: \"g\" is a factor, not a series; \"first\" needs an output with \"over\" (series: none)"]),
        ("first of an output that is not a series", document(#"{"id": "h", "expression": "g * 2"}, {"id": "w", "first": {"series": "h", "above": 3}}"#),
         ["outputs[1].first.series: output \"h\" is not a series; \"first\" needs an output with \"over\""]),
        ("first with both levels", document(series + #", {"id": "w", "first": {"series": "s", "above": 3, "below": 1}}"#),
         ["outputs[1].first: give either \"above\" or \"below\" (the level the series crosses)"]),
        ("first with an expression", document(series + #", {"id": "w", "expression": "g", "first": {"series": "s", "above": 3}}"#),
         ["outputs[1]: a \"first\" output is a crossing time: it takes no \"expression\""]),
        ("a crossing time in an expression", document(series + #", {"id": "w", "first": {"series": "s", "above": 3}}, {"id": "x", "expression": "w - 2024"}"#),
         ["outputs[2].expression: uses \"w\", a crossing time, which is not a number in the trials that never cross; a crossing time cannot be used in an expression"]),
        ("a series in an output that is not one", document(series + #", {"id": "x", "expression": "s * 2"}"#),
         ["outputs[1].expression: uses \"s\", a series over \"t\" from 0 to 10 step 1; a series can be used only by an output over the same index (this one is not a series) or by a \"first\" output"]),
        ("derived from a crossing time", document(series + #", {"id": "w", "first": {"series": "s", "above": 3}}"#, derived: #", "derived": [{"id": "d", "baseline": 1, "divide_by": "w"}]"#),
         ["derived[0].divide_by: output \"w\" is a crossing time, which has no value in the trials that never cross; divide by another output"]),
    ]

    @Test(arguments: cases.indices)
    func badSeriesInputIsRefusedBeforeSampling(index: Int) throws {
        let (name, json, expected) = Self.cases[index]
        let dir = try Support.temporaryDirectory()
        let file = dir.appendingPathComponent("scenario.json")
        try Data(json.utf8).write(to: file)
        let out = dir.appendingPathComponent("out")
        let head = "effsim: \(file.path): invalid scenario (\(expected.count) problem\(expected.count == 1 ? "" : "s"))"
        let lines = [head] + expected.map { "effsim: \(file.path): \($0)" }
        for command in [["run", file.path, "--out", out.path], ["validate", file.path]] {
            let r = try Support.effsim(command)
            #expect(r.status == 2, "\(name): \(command)")
            #expect(r.stderr.split(separator: "\n").map(String.init) == lines, "\(name): \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(name): \(r.stdout)")
        }
        #expect(Support.files(in: dir) == ["scenario.json"], "\(name): wrote something")
    }

    /// The run's console: crossing times in a table of their own, P(by t) = 1 - P(> t), and a
    /// percentile among the trials that never cross shown as past the range's end.
    @Test func theConsoleShowsCrossingTimesByYear() throws {
        let dir = try Support.temporaryDirectory()
        let file = dir.appendingPathComponent("s.json")
        try Data("""
        {"name": "c", "trials": 10000, "seed": 1, "percentiles": [10, 50, 90],
         "factors": [{"id": "g", "distribution": {"type": "fixed", "value": 2}}],
         "outputs": [{"id": "s", "over": {"id": "year", "from": 2024, "to": 2030, "step": 1}, "expression": "g ^ (year - 2024)"},
                     {"id": "w", "first": {"series": "s", "above": 8}, "thresholds": [2026, 2028]},
                     {"id": "never", "first": {"series": "s", "above": 1000}, "thresholds": [2026, 2028]}]}
        """.utf8).write(to: file)
        let r = try Support.effsim(["run", file.path, "--out", dir.appendingPathComponent("o").path])
        #expect(r.status == 0, "\(r.stderr)")
        // 2^k passes 8 at k = 3, exactly, in every trial: the log interpolation lands on 2027.
        #expect(r.stdout.contains("""
        crossing time    p10    p50    p90   never  P(by 2026)  P(by 2028)
        w               2027   2027   2027    0.0%        0.0%      100.0%
        never          >2030  >2030  >2030  100.0%        0.0%        0.0%
        """), "\(r.stdout)")
        let summary = try String(contentsOf: dir.appendingPathComponent("o/summary.csv"), encoding: .utf8)
        #expect(summary.contains("\nnever,output,10000,,,,,,,,1.0,1.0,,1.0\n"), "\(summary)")
        #expect(summary.contains("\ns[year=2027],output,10000,"))
    }

    /// The report draws a fan chart per series and P(crossed by x) per crossing time instead of
    /// a histogram per index value, and run.json reads back into the same scenario.
    @Test func theReportDrawsFansAndCrossingCurves() throws {
        let dir = try Support.temporaryDirectory()
        let out = dir.appendingPathComponent("o")
        let r = try Support.effsim(["run", Support.scenarioPath("efficiency-crossing.json"), "--trials", "20000", "--out", out.path, "--report", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let files = Support.files(in: out)
        #expect(files.contains("series-budget_effective_flop.svg") && files.contains("series-frontier_flop.svg"))
        #expect(files.contains("crossing-year_budget_passes_1e26.svg") && files.contains("crossing-year_frontier_passes_1e27.svg"))
        #expect(!files.contains { $0.hasPrefix("histogram-") } && !files.contains("exceedance.svg"), "\(files)")
        let fan = try String(contentsOf: out.appendingPathComponent("series-frontier_flop.svg"), encoding: .utf8)
        #expect(fan.components(separatedBy: "class=\"band\"").count == 3, "two bands")
        #expect(fan.components(separatedBy: "class=\"median-marker\"").count == 18, "a median at each of 17 years")
        let curve = try String(contentsOf: out.appendingPathComponent("crossing-year_budget_passes_1e26.svg"), encoding: .utf8)
        #expect(curve.contains("P(crossed by year)") && curve.contains("class=\"curve\""))
        let record = try ResultsFolder.load(directory: out.path)
        var expected = try ScenarioReader.load(path: Support.scenarioPath("efficiency-crossing.json"))
        expected.trials = 20000
        #expect(record.scenario == expected)
        try expected.validate()
    }
}
