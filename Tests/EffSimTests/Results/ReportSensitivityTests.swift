import EffSim
import Foundation
import Testing

/// `effsim sensitivity` writes what `effsim report` draws as the tornado chart.
@Suite struct ReportSensitivityTests {
    @Test func sensitivityInTheRunFolderAddsTheTornadoChart() throws {
        let dir = try Support.temporaryDirectory()
        let scenario = Support.scenarioPath("seed-2024.json")
        var r = try Support.effsim(["run", scenario, "--trials", "50000", "--out", dir.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try Support.effsim(["sensitivity", scenario, "--trials", "50000", "--out", dir.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try Support.effsim(["report", dir.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let tornado = try String(contentsOf: dir.appendingPathComponent("tornado.svg"), encoding: .utf8)
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains(tornado.trimmingCharacters(in: .whitespacesAndNewlines)))
        // Every factor of the scenario appears in the chart.
        for factor in ["transformer_pp", "moe", "unpublished", "chinchilla", "data_quality", "hardware_efficiency"] {
            #expect(tornado.contains(factor), "\(factor)")
        }
    }
}
