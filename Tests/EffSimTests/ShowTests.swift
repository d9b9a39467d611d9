import EffSim
import Foundation
import Testing

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
