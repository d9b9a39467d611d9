import EffSim
import Foundation
import Testing

/// Commands whose memory grows with their input check it before starting and refuse with the
/// figure and the limit; a flag raises the limit.
@Suite struct ResourceLimitTests {
    @Test func aSweepGridOverTheLimitIsRefusedBeforeAnyWork() throws {
        let dir = try Support.temporaryDirectory()
        let values = "[" + (1...101).map { "\(0.5 + Double($0) / 1000)" }.joined(separator: ", ") + "]"
        let sweep = """
        {"name": "big", "base": "\(Support.scenarioPath("seed-2024.json"))", "trials": 1000,
         "parameters": [{"path": "factors[0].distribution.level", "values": \(values)},
                        {"path": "factors[1].distribution.level", "values": \(values)}]}
        """
        let file = dir.appendingPathComponent("big.json")
        try Data(sweep.utf8).write(to: file)
        let r = try Support.effsim(["sweep", file.path, "--out", dir.appendingPathComponent("out").path, "--quiet"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(file.path): the grid has 101 × 101 = 10201 points, more than the limit of 10000 (raise it with --max-points)"), "\(r.stderr)")
        #expect(Support.files(in: dir) == ["big.json"])
    }

    @Test func runTimeEstimateScalesWithTrialsMetricsAndShards() throws {
        var s = try ScenarioReader.load(path: Support.scenarioPath("seed-2024.json"))
        s.trials = 1_000_000_000_000
        let metrics = Double(MetricLayout(s).metricCount)
        let one = Engine.estimatedSeconds(s, options: RunOptions(threads: 1))
        #expect(abs(one - 1e12 * metrics * 10e-9) < 1e-6 * one)
        #expect(one > 60, "10^12 trials warn")
        let quarter = Engine.estimatedSeconds(s, options: RunOptions(threads: 1, shard: Shard(index: 1, count: 4)))
        #expect(abs(quarter / one - 0.25) < 1e-6)
        s.trials = 1_000_000
        #expect(Engine.estimatedSeconds(s, options: RunOptions(threads: 1)) < 60, "the default trial count does not warn")
    }

    @Test func sensitivityMemoryIsCheckedBeforeSampling() throws {
        let factors = (0..<500).map { #"{"id": "f\#($0)", "group": "g", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.5}}"# }
        let json = #"{"name": "wide", "trials": 1000000, "factors": [\#(factors.joined(separator: ","))]}"#
        let s = try Support.scenario(json)
        // Per thread a fine histogram per metric (501) and per tornado median (500), whatever the trials.
        #expect(Sensitivity.histogramCount(s) == 1001)
        #expect(Sensitivity.memoryEstimate(s, threads: 2) == 2 * 1001 * 8 * 20_480 * 12)
        let dir = try Support.temporaryDirectory()
        let file = dir.appendingPathComponent("wide.json")
        try Data(json.utf8).write(to: file)
        let r = try Support.effsim(["sensitivity", file.path, "--trials", "1000000", "--threads", "2", "--out", dir.appendingPathComponent("out").path, "--quiet"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("effsim: \(file.path): sensitivity would hold about 3753 MB (2 thread(s) × 1001 histograms × 1920 KB), more than the limit of 2048 MB"), "\(r.stderr)")
        #expect(Support.files(in: dir) == ["wide.json"])
    }
}
