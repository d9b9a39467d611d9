import EffSim
import Foundation
import Testing

/// The shipped scenarios reproduce the published estimate (Scenarios/seed-2024.json) and show
/// what the literal CIs give instead (seed-2024-literal.json).
@Suite struct ReproductionTests {
    func rows(_ file: String) throws -> [SummaryRow] {
        let s = try ScenarioReader.load(path: Support.scenarioPath(file))
        #expect(s.trials == 1_000_000)
        return MetricLayout(s).rows(try Engine.run(s).metrics)
    }

    func statistic(_ rows: [SummaryRow], _ metric: String, _ column: Int) throws -> Double {
        try #require(rows.first { $0.metric == metric }).percentiles[column]
    }

    @Test func seed2024MatchesThePublishedFigures() throws {
        let rows = try rows("seed-2024.json")
        let p50 = 4 // percentiles 1,5,10,25,50,...
        let hardware = try statistic(rows, "hardware", p50)
        let compute = try statistic(rows, "compute", p50)
        let exceed = try #require(rows.first { $0.metric == "hardware" }).exceedance[2]!
        #expect(abs(hardware / 413 - 1) <= 0.03, "hardware median \(hardware)")
        #expect(abs(compute / 170 - 1) <= 0.03, "compute median \(compute)")
        #expect(abs(exceed - 0.27) <= 0.02, "P(hardware > 1000) \(exceed)")
    }

    @Test func literalCIsGiveHigherMedians() throws {
        let rows = try rows("seed-2024-literal.json")
        let hardware = try statistic(rows, "hardware", 4)
        let compute = try statistic(rows, "compute", 4)
        // Reference: about 525x and 217x with many samples.
        #expect(abs(hardware / 525 - 1) <= 0.03, "hardware median \(hardware)")
        #expect(abs(compute / 217 - 1) <= 0.03, "compute median \(compute)")
    }
}
