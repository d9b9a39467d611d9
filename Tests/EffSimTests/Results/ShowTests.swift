import EffSim
import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `--show`: the statistics the console table of run and sweep shows.
@Suite struct ShowTests {
    @Test func runShowsThePickedStatistics() throws {
        let dir = try Support.temporaryDirectory()
        let r = try Support.effsim(["run", Support.scenarioPath("seed-2024.json"), "--trials", "20000", "--out", dir.path, "--show", "p50,p_gt_1000"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        let header = try #require(lines.first { $0.hasPrefix("metric") })
        #expect(header.split(separator: " ") == ["metric", "p50", "P(>1000)"], "\(header)")
        let hardware = try #require(lines.first { $0.hasPrefix("hardware ") })
        #expect(hardware.split(separator: " ").count == 3 && hardware.hasSuffix("%"), "\(hardware)")
    }

    @Test func anUnknownStatisticIsRefusedBeforeSampling() throws {
        let dir = try Support.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let r = try Support.effsim(["run", Support.scenarioPath("epoch-defaults.json"), "--out", out.path, "--show", "p50,p42"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("effsim: --show: no statistic \"p42\" in this scenario (there are mean, p1, "), "\(r.stderr)")
        #expect(Support.files(in: dir).isEmpty)
    }

    @Test func sweepShowsThePickedStatistics() throws {
        let sweeps = Support.root.appendingPathComponent("Scenarios/sweeps")
        let file = try #require(Support.files(in: sweeps).first { $0.hasSuffix(".json") })
        let dir = try Support.temporaryDirectory()
        let r = try Support.effsim(["sweep", sweeps.appendingPathComponent(file).path, "--trials", "2000", "--out", dir.path, "--show", "p10,p90"])
        #expect(r.status == 0, "\(r.stderr)")
        let header = try #require(r.stdout.split(separator: "\n").dropFirst().first { !$0.isEmpty })
        #expect(header.contains(" p10") && header.contains(" p90") && !header.contains(" p50"), "\(header)")
    }
}

/// `effsim sweep --report`: a chart per output and statistic kind, a line per statistic with a
/// point per grid value; small multiples for a second parameter.
@Suite struct SweepReportTests {
    @Test func sweepReportDrawsEachStatisticAgainstTheParameter() throws {
        let dir = try Support.temporaryDirectory()
        let base = dir.appendingPathComponent("base.json")
        try """
        {"name": "b", "trials": 2000, "seed": 1, "percentiles": [10, 50, 90], "thresholds": [10, 100],
         "factors": [{"id": "x", "group": "g", "distribution": {"type": "lognormal", "median": 3, "sigma": 0.5}},
                     {"id": "y", "group": "g", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.5}}]}
        """.write(to: base, atomically: true, encoding: .utf8)
        let sweep = dir.appendingPathComponent("s.json")
        try """
        {"base": "base.json", "parameters": [{"path": "factors[x].distribution.median", "from": 1, "to": 5, "steps": 5},
                                              {"path": "factors[y].distribution.sigma", "values": [0.2, 0.9]}]}
        """.write(to: sweep, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let r = try Support.effsim(["sweep", sweep.path, "--report", "--out", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let data = try Data(contentsOf: out.appendingPathComponent("report.html"))
        let html = String(decoding: data, as: UTF8.self)
        #expect(XMLParser(data: data).parse(), "report.html is well-formed")
        #expect(!html.contains("<script") && !html.contains("src="))
        // One output (total) x two kinds (quantiles, P(>t)) x two panels (sigma 0.2, 0.9).
        #expect(html.components(separatedBy: "<svg").count - 1 == 4)
        #expect(html.contains("total, factors[y].distribution.sigma = 0.9"))
        for statistic in ["p10", "p50", "p90", "p_gt_10", "p_gt_100"] {
            #expect(html.components(separatedBy: "data-statistic=\"\(statistic)\"").count - 1 == 2, "\(statistic)")
        }
        #expect(html.components(separatedBy: "class=\"point\"").count - 1 == 5 * 5 * 2, "a point per value, statistic and panel")
        // Without --report an old report.html goes.
        let again = try Support.effsim(["sweep", sweep.path, "--out", out.path, "--quiet"])
        #expect(again.status == 0)
        #expect(Support.files(in: out) == ["sweep.csv", "sweep.json"])
    }
}
