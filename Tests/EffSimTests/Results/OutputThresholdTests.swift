import CGSL
import EffSim
import Foundation
import Testing

/// `"thresholds"` on an output, in its unit, instead of the scenario's: its own p_gt_ columns in
/// summary.csv (empty on rows that do not report them), the console, the report and compare.
@Suite struct OutputThresholdTests {
    static let text = """
    {"name": "costs", "trials": 200000, "seed": 5, "thresholds": [10],
     "factors": [{"id": "hours", "unit": "GPU*h", "distribution": {"type": "lognormal", "median": 1e7, "sigma": 0.5}},
                 {"id": "rate", "unit": "USD/(GPU*h)", "distribution": {"type": "fixed", "value": 2}}],
     "outputs": [{"id": "gpu_hours", "unit": "GPU*h", "expression": "hours", "thresholds": [2e7]},
                 {"id": "dollars", "unit": "USD", "expression": "hours * rate", "thresholds": [2e7, 3e7]}]}
    """

    @Test func eachOutputReportsItsOwnThresholds() throws {
        let dir = try Support.temporaryDirectory()
        try Self.text.write(to: dir.appendingPathComponent("costs.json"), atomically: true, encoding: .utf8)
        let r = try Support.effsim(["run", "costs.json", "--report"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let folder = dir.appendingPathComponent("results/costs")
        let header = try String(contentsOf: folder.appendingPathComponent("summary.csv"), encoding: .utf8).split(separator: "\n")[0]
        #expect(header.contains("p_gt_10,p_gt_20000000,p_gt_30000000,floor_share"), "\(header)")
        let hours = try ReportFixture.summary(folder, "gpu_hours"), dollars = try ReportFixture.summary(folder, "dollars")
        let factor = try ReportFixture.summary(folder, "hours")
        #expect(hours["p_gt_10"] == "" && hours["p_gt_30000000"] == "")
        #expect(dollars["p_gt_10"] == "")
        #expect(factor["p_gt_20000000"] == "" && factor["p_gt_10"] == "1.0")
        // Against the lognormal's closed form, within 5 binomial standard errors.
        func expectShare(_ row: [String: String], _ column: String, above t: Double) throws {
            let p = gsl_cdf_ugaussian_Q(log(t / 1e7) / 0.5)
            let share = try ReportFixture.value(row, column)
            #expect(abs(share - p) < 5 * (p * (1 - p) / 200_000).squareRoot(), "\(column): \(share) against \(p)")
        }
        try expectShare(hours, "p_gt_20000000", above: 2e7)
        try expectShare(dollars, "p_gt_20000000", above: 1e7)
        try expectShare(dollars, "p_gt_30000000", above: 1.5e7)
        // The console in short form, "-" where a row has no such threshold.
        let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("metric") })
        // The scenario's P(>10) is the factors' only: no output row reports it, so no column.
        #expect(line.contains("  P(>2e7)  P(>3e7)  ") && !line.contains("P(>10)"), "\(line)")
        let hoursLine = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("gpu_hours ") })
        #expect(hoursLine.split(separator: " ").filter { $0 == "-" }.count == 1, "\(hoursLine)")
        // The report: each histogram draws its own thresholds, in its unit.
        let histogram = try ParsedSVG(folder.appendingPathComponent("histogram-dollars.svg"))
        #expect(try histogram.elements("//*[@class='threshold']").compactMap { $0.string("data-threshold") } == ["20000000", "30000000"])
        let labels = try histogram.elements("//*[@class='threshold-label']").compactMap(\.stringValue)
        #expect(labels.count == 2 && labels[0].hasPrefix("P(>2e7 USD) "), "\(labels)")
        // compare: the same columns, none for a threshold a row does not report.
        let c = try Support.effsim(["compare", "costs.json", "costs.json", "--quiet"], in: dir)
        #expect(c.status == 0, "\(c.stderr)")
        let compare = try String(contentsOf: dir.appendingPathComponent("results/compare-costs-vs-costs/compare.csv"), encoding: .utf8)
        #expect(compare.contains("\ndollars,p_gt_30000000,"))
        #expect(!compare.contains("\ngpu_hours,p_gt_30000000,") && !compare.contains("\ngpu_hours,p_gt_10,"))
    }

    @Test func anOutputsThresholdsAreChecked() throws {
        let bad = Self.text.replacingOccurrences(of: "\"thresholds\": [2e7]}", with: "\"thresholds\": [2e7, 2e7]}")
        #expect(throws: ScenarioError.self) { try ScenarioReader.parse(Data(bad.utf8), file: "x.json") }
        do { _ = try ScenarioReader.parse(Data(bad.utf8), file: "x.json") } catch {
            #expect("\(error)".contains("outputs[0].thresholds[1]: 20000000 is listed twice"), "\(error)")
        }
    }

    /// `[]` asks for no threshold: on the scenario, the factors (and outputs without their own)
    /// report none; on an output, that output reports none. Both were refused ("must not be
    /// empty"), so a model whose outputs each have thresholds in their own units still had the
    /// default P(>10), P(>100), P(>1000) on every factor, in units they do not share.
    @Test func anEmptyListAsksForNoThresholds() throws {
        let text = Self.text.replacingOccurrences(of: "\"thresholds\": [10],", with: "\"thresholds\": [],")
            .replacingOccurrences(of: "\"thresholds\": [2e7]}", with: "\"thresholds\": []}")
        let s = try ScenarioReader.parse(Data(text.utf8), file: "x.json")
        #expect(s.thresholds.isEmpty && s.outputs[0].thresholds == [] && s.thresholdColumns == [2e7, 3e7])
        let dir = try Support.temporaryDirectory()
        try text.write(to: dir.appendingPathComponent("costs.json"), atomically: true, encoding: .utf8)
        let r = try Support.effsim(["run", "costs.json", "--report", "--quiet"], in: dir)
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.status) \(r.stderr)")
        let folder = dir.appendingPathComponent("results/costs")
        let header = try String(contentsOf: folder.appendingPathComponent("summary.csv"), encoding: .utf8).split(separator: "\n")[0]
        #expect(header.hasSuffix(",p99,p_gt_20000000,p_gt_30000000,floor_share,unit"), "\(header)")
        let hours = try ReportFixture.summary(folder, "gpu_hours"), factor = try ReportFixture.summary(folder, "hours")
        #expect(hours["p_gt_20000000"] == "" && factor["p_gt_20000000"] == "" && factor["p_gt_30000000"] == "")
    }
}
