import EffSim
import Foundation
import Testing

/// A crossing time whose series starts above its level in some trials: those trials cross at
/// the first index value, which histogram.csv writes as the crossing time's zeros row at that
/// value. The folder reader refused that row ("not a histogram bin"), so `run --report` exited 2
/// after sampling and `report` could not read a folder `run` had written.
@Suite struct CrossingFolderTests {
    static let n = 100_000

    /// C(t) = c0 * g^(t - 2024) with c0 lognormal(median 5e26, sigma 1): the trials with
    /// c0 >= 1e27 cross 1e27 at 2024 itself, a share of 1 - Phi(ln 2) = 0.2441.
    static let scenario = """
        {"name": "c0", "trials": \(n), "seed": 3, "percentiles": [10, 50, 90],
         "factors": [{"id": "c0", "unit": "FLOP", "distribution": {"type": "lognormal", "median": 5e26, "sigma": 1}},
                     {"id": "g", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.3}}],
         "outputs": [{"id": "flop", "unit": "FLOP", "over": {"id": "year", "from": 2024, "to": 2034, "step": 1, "unit": "yr"},
                      "expression": "c0 * g ^ ((year - 2024[yr]) / 1[yr])"},
                     {"id": "when", "first": {"series": "flop", "above": 1e27}}]}
        """

    @Test func trialsAlreadyPastTheLevelAreARowAtTheFirstValueThatReadsBack() throws {
        let dir = try Support.temporaryDirectory()
        let file = dir.appendingPathComponent("c0.json")
        try Self.scenario.write(to: file, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let r = try Support.effsim(["run", file.path, "--out", out.path, "--report", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        let rows = try String(contentsOf: out.appendingPathComponent("histogram.csv"), encoding: .utf8)
            .split(separator: "\n").filter { $0.hasPrefix("when,") }.map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        // First the trials at 2024 (an empty bin number, lower = upper = 2024), then later years.
        let first = try #require(rows.first)
        #expect(first[1] == "" && first[2] == "2024.0" && first[3] == "2024.0")
        #expect(rows.dropFirst().allSatisfy { $0[1] != "" && Double($0[2])! > 2024 })
        let share = Double(Int(first[4])!) / Double(Self.n)
        let expected = 0.5 * erfc(log(2) / 2.0.squareRoot())
        // 5 binomial standard errors.
        #expect(abs(share - expected) < 5 * (expected * (1 - expected) / Double(Self.n)).squareRoot(), "\(share) vs \(expected)")
        // The folder reads back: report draws it again, and its crossing chart starts at the share.
        let again = try Support.effsim(["report", out.path, "--quiet"])
        #expect(again.status == 0, "\(again.stderr)")
        let chart = try String(contentsOf: out.appendingPathComponent("crossing-when.svg"), encoding: .utf8)
        #expect(chart.contains("<polyline class=\"curve\""))
        // The scenario's default thresholds (10, 100, 1000) lie outside 2024 to 2034: not in the legend.
        #expect(chart.contains(">when  never by 2034 ") && !chart.contains("P(by 10)"), "\(chart)")
        // Nor in the console's crossing table, which prints the table's exact header.
        let console = try Support.effsim(["run", file.path, "--out", dir.appendingPathComponent("again").path, "--threads", "1"])
        #expect(console.status == 0, "\(console.stderr)")
        #expect(console.stdout.contains("\ncrossing time   p10   p50      p90  never  unit\n"), "\(console.stdout)")
    }
    /// A run held in memory as a folder (compare.html, the served page) has the histograms that
    /// reading the written folder back gives: a signed factor, zeros, a crossing time with its
    /// row at the first value and trials that never cross.
    @Test func aRunInMemoryHasTheHistogramsOfItsWrittenFolder() throws {
        let dir = try Support.temporaryDirectory()
        let text = Self.scenario.replacingOccurrences(
            of: #"{"id": "g", "#,
            with: #"{"id": "noise", "distribution": {"type": "normal", "mean": 0, "sd": 1}}, {"id": "none", "distribution": {"type": "fixed", "value": 0}}, {"id": "g", "#)
        let file = dir.appendingPathComponent("c0.json")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let r = try Support.effsim(["run", file.path, "--out", out.path, "--threads", "1", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let written = try ResultsFolder.load(directory: out.path)
        let state = try Engine.run(try Support.scenario(text), options: RunOptions(threads: 1))
        let held = ResultsFolder(state)
        #expect(Set(held.histograms.keys) == ["flop[year=2024]", "flop[year=2025]", "flop[year=2026]", "flop[year=2027]",
            "flop[year=2028]", "flop[year=2029]", "flop[year=2030]", "flop[year=2031]", "flop[year=2032]", "flop[year=2033]",
            "flop[year=2034]", "when", "c0", "noise", "none", "g"])
        #expect(held.histograms == written.histograms)
    }
}
