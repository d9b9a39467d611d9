import CGSL
import EffSim
import Foundation
import Testing

/// Floors are explicit: a factor without a `floor` (here or on the scenario) is not clamped, and
/// a factor whose floor decides most of its draws is reported on stderr, in run.json and on the
/// report page.
@Suite struct ExplicitFloorTests {
    /// GPT-4's training compute: 25,000 A100s at 312 TFLOP/s for 95 days at an MFU whose 90% CI
    /// is 0.32 to 0.36, and no "floor" key anywhere. `floor` is added at the top when given.
    static func gpt4(floor: String? = nil) -> String {
        """
        {"name": "gpt4-compute", "trials": 200000, "seed": 3,\(floor.map { " \"floor\": \($0)," } ?? "")
         "factors": [
          {"id": "gpus", "unit": "GPU", "distribution": {"type": "fixed", "value": 25000}},
          {"id": "peak", "unit": "FLOP/(GPU*s)", "distribution": {"type": "fixed", "value": 312e12}},
          {"id": "days", "unit": "d", "distribution": {"type": "fixed", "value": 95}},
          {"id": "mfu", "distribution": {"type": "lognormal", "ci": [0.32, 0.36], "level": 0.9}}],
         "outputs": [{"id": "compute", "unit": "FLOP", "expression": "gpus * peak * days * 86400[s/d] * mfu"}]}
        """
    }

    /// The median of the MFU's lognormal: the geometric mean of its CI's ends.
    static let mfuMedian = (0.32 * 0.36).squareRoot()
    static let constant = 25000 * 312e12 * 95 * 86400.0
    /// The lognormal's sigma: ln(0.36/0.32) / (2 z(0.95)).
    static let sigma = log(0.36 / 0.32) / (2 * gsl_cdf_ugaussian_Pinv(0.95))

    static func median(_ text: String) throws -> Double {
        let s = try ScenarioReader.parse(Data(text.utf8), file: "gpt4.json")
        let p50 = s.percentiles.firstIndex(of: 50)!
        return try #require(MetricLayout(s).rows(try Engine.run(s).metrics).first { $0.metric == "compute" }).percentiles[p50]
    }

    @Test func aFractionWithoutAFloorGivesTheClosedFormMedian() throws {
        let m = try Self.median(Self.gpt4())
        // The sample median's error in logs: sqrt(pi/2) sigma / sqrt(n); 5 of those, plus the histogram's 5.62e-5.
        let tolerance = 5 * (Double.pi / 2).squareRoot() * Self.sigma / 200_000.0.squareRoot() + 1e-4
        #expect(abs(log(m / (Self.constant * Self.mfuMedian))) < tolerance, "\(m) against \(Self.constant * Self.mfuMedian)")
        // 2.17e25 FLOP, not the 6.4e25 a default floor of 1 made of it.
        #expect(abs(m / 2.173e25 - 1) < 1e-3)
    }

    @Test func aFloorAboveMostDrawsWarnsOnStderrInRunJSONAndOnTheReport() throws {
        let dir = try Support.temporaryDirectory()
        try Self.gpt4(floor: "1").write(to: dir.appendingPathComponent("gpt4.json"), atomically: true, encoding: .utf8)
        let r = try Support.effsim(["run", "gpt4.json", "--trials", "20000", "--quiet", "--report"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let message = "factor \"mfu\" has 100.0% of its draws raised to its floor 1 (its median is 0.3394); if it can be below 1, give it \"floor\": null or a lower floor"
        #expect(r.stderr == "effsim: warning: \(message)\n")
        let record = try RunRecord.load(directory: dir.appendingPathComponent("results/gpt4").path)
        #expect(record.warnings.count == 1)
        let w = try #require(record.warnings.first)
        #expect(w.factor == "mfu" && w.floor == 1 && w.shareRaised == 1)
        #expect(abs(w.median - Self.mfuMedian) < 1e-12)
        let page = try ParsedSVG(dir.appendingPathComponent("results/gpt4/report.html"))
        #expect(try page.element("//*[@class='warning']").stringValue == "Warning: \(message)")
        // Every draw at the floor: the output is the constant itself.
        let summary = try ReportFixture.summary(dir.appendingPathComponent("results/gpt4"), "compute")
        #expect(abs(try ReportFixture.value(summary, "p50") / Self.constant - 1) < 1e-12)
    }

    @Test func noWarningWhenTheFloorRaisesFewDraws() throws {
        let dir = try Support.temporaryDirectory()
        try Self.gpt4(floor: "0.3").write(to: dir.appendingPathComponent("gpt4.json"), atomically: true, encoding: .utf8)
        let r = try Support.effsim(["run", "gpt4.json", "--trials", "20000", "--quiet"], in: dir)
        #expect(r.status == 0)
        #expect(r.stderr == "")
        #expect(try RunRecord.load(directory: dir.appendingPathComponent("results/gpt4").path).warnings.isEmpty)
    }

    @Test func theShippedScenariosSayTheirFloors() throws {
        // The one shipped scenario that relied on the old default now says "floor": 1, so its
        // document (and fingerprint) is what it was.
        let s = try ScenarioReader.load(path: Support.scenarioPath("epoch-defaults.json"))
        #expect(s.factors.allSatisfy { $0.floor == 1 })
    }
}
