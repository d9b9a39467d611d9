import CGSL
import EffSim
import Foundation
import Testing

@Suite struct EngineTests {
    static let twoFactors = """
    {"name": "two", "trials": 150000, "seed": 11, "floor": 1,
     "factors": [
       {"id": "a", "group": "x", "distribution": {"type": "lognormal", "ci": [1.25, 6], "level": 0.8}},
       {"id": "b", "group": "y", "distribution": {"type": "normal", "ci": [1.7, 3.3], "level": 0.8, "lower": 0, "upper": 4.7}}],
     "outputs": [{"id": "ax", "groups": ["x"]}, {"id": "both", "groups": ["x", "y"]}]}
    """

    @Test func outputsAreProductsOfTheClampedFactorsOfTheirGroups() throws {
        let s = try Support.scenario(Self.twoFactors)
        let columns = try Engine.samples(s)
        // columns: a, b (clamped logs), then outputs ax, both.
        #expect(columns.count == 4)
        for i in stride(from: 0, to: s.trials, by: 997) {
            #expect(columns[0][i] >= 0 && columns[1][i] >= 0, "clamped at the floor 1.0")
            #expect(columns[2][i] == columns[0][i])
            #expect(abs(exp(columns[3][i]) - exp(columns[0][i]) * exp(columns[1][i])) <= 1e-12 * exp(columns[3][i]))
        }
    }

    @Test func fixedFactorsMultiplyExactly() throws {
        let s = try ScenarioReader.load(path: Support.scenarioPath("epoch-defaults.json"))
        let rows = MetricLayout(s).rows(try Engine.run(s).metrics)
        let compute = try #require(rows.first { $0.metric == "compute" })
        let hardware = try #require(rows.first { $0.metric == "hardware" })
        #expect(compute.percentiles.allSatisfy { abs($0 - pow(2.3, 4)) < 1e-12 * 28 })
        #expect(hardware.percentiles.allSatisfy { abs($0 - pow(2.3 * 1.35, 4)) < 1e-12 * 93 })
        let hours = try #require(rows.first { $0.metric == "training_hours" })
        #expect(abs(hours.percentiles[4] - 355.2 / pow(2.3 * 1.35, 4)) < 1e-9)
    }

    /// The reported percentiles come from fine histograms; they must stay within 1e-4 relative of
    /// the exact type-7 sample quantiles of the very same draws. The bound is the bins' (half a fine
    /// bin), not a sampling error, so it holds at any trial count; 250,000 keeps p0.1 and p99.9 some
    /// 250 draws from the ends.
    @Test func streamingPercentilesMatchExactSampleQuantiles() throws {
        var s = try ScenarioReader.load(path: Support.scenarioPath("seed-2024.json"))
        s.trials = 250_000
        s.percentiles = [0.1, 1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9]
        let rows = MetricLayout(s).rows(try Engine.run(s).metrics)
        let columns = try Engine.samples(s)
        let layout = MetricLayout(s)
        var worst = 0.0
        for (m, name) in (s.factors.map(\.id) + s.outputs.map(\.id)).enumerated() {
            let sorted = columns[m].map { exp($0) }.sorted()
            let row = try #require(rows.first { $0.metric == name })
            for (i, p) in s.percentiles.enumerated() {
                let exact = sorted.withUnsafeBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, $0.count, p / 100) }
                let error = abs(row.percentiles[i] / exact - 1)
                worst = max(worst, error)
                #expect(error <= 1e-4, "\(name) p\(p): streaming \(row.percentiles[i]), exact \(exact)")
            }
        }
        #expect(columns.count == layout.metricCount)
        // The documented bound is half a fine bin.
        #expect(worst <= 5.62e-5)
    }

    @Test func meanFromTheHistogramIsWithinItsBound() throws {
        let s = try Support.scenario(Self.twoFactors)
        let rows = MetricLayout(s).rows(try Engine.run(s).metrics)
        let columns = try Engine.samples(s)
        for (m, name) in ["a", "b", "ax", "both"].enumerated() {
            let exact = columns[m].reduce(0) { $0 + exp($1) } / Double(s.trials)
            let row = try #require(rows.first { $0.metric == name })
            #expect(abs(row.mean / exact - 1) <= 5.62e-5, "\(name): \(row.mean) vs \(exact)")
        }
    }

    @Test func thresholdProbabilitiesAreExactCounts() throws {
        let s = try Support.scenario(Self.twoFactors)
        let rows = MetricLayout(s).rows(try Engine.run(s).metrics)
        let columns = try Engine.samples(s)
        let both = try #require(rows.first { $0.metric == "both" })
        for (j, t) in s.thresholds.enumerated() {
            let count = columns[3].filter { $0 > log(t) }.count
            #expect(both.exceedance[j]! == Double(count) / Double(s.trials))
        }
    }

    @Test func perYearAndDerivedRowsAreTransformsOfTheirOutput() throws {
        let s = try ScenarioReader.load(path: Support.scenarioPath("seed-2024.json"))
        var small = s
        small.trials = 100_000
        let rows = MetricLayout(small).rows(try Engine.run(small).metrics)
        let hardware = try #require(rows.first { $0.metric == "hardware" })
        let perYear = try #require(rows.first { $0.metric == "hardware_per_year" })
        let hours = try #require(rows.first { $0.metric == "training_hours" })
        let median = try #require(s.percentiles.firstIndex(of: 50))
        #expect(abs(perYear.percentiles[median] / pow(hardware.percentiles[median], 0.25) - 1) < 1e-6)
        #expect(abs(hours.percentiles[median] * hardware.percentiles[median] / 355.2 - 1) < 1e-6)
        // A decreasing map reverses the order: the hours' p90 comes from the hardware's p10.
        let p10 = try #require(s.percentiles.firstIndex(of: 10)), p90 = try #require(s.percentiles.firstIndex(of: 90))
        #expect(abs(hours.percentiles[p90] * hardware.percentiles[p10] / 355.2 - 1) < 1e-6)
        // P(hours > 1) = P(hardware < 355.2).
        let columns = try Engine.samples(small)
        let below = columns[s.factors.count + 1].filter { $0 < log(355.2 / 10) }.count
        #expect(hours.exceedance[0]! == Double(below) / Double(small.trials))
    }

    /// Thresholds on bin edges and on the floor itself, where many draws sit exactly at the level:
    /// the counts must still be exact (values equal to a threshold are not above it).
    @Test func thresholdsAtTheFloorAndOnBinEdgesAreExact() throws {
        let s = try Support.scenario("""
        {"name": "edges", "trials": 300000, "seed": 3, "floor": 1, "years": 2,
         "thresholds": [1, 1.0001, 2, 10, 100],
         "factors": [{"id": "a", "group": "g", "distribution": {"type": "lognormal", "median": 1, "sigma": 1}},
                     {"id": "b", "group": "g", "distribution": {"type": "fixed", "value": 10}}],
         "derived": [{"id": "inverse", "baseline": 10, "divide_by": "total"}]}
        """)
        let rows = MetricLayout(s).rows(try Engine.run(s, options: RunOptions(threads: 3)).metrics)
        let columns = try Engine.samples(s)
        let n = Double(s.trials)
        // Compared in logs, as sampled: exp(log(10)) is 10.000000000000002, yet a fixed 10 is not above 10.
        func share(_ m: Int, above t: Double) -> Double { Double(columns[m].filter { $0 > log(t) }.count) / n }
        for (j, t) in s.thresholds.enumerated() {
            #expect(rows.first { $0.metric == "a" }!.exceedance[j]! == share(0, above: t), "a > \(t)")
            #expect(rows.first { $0.metric == "b" }!.exceedance[j]! == share(1, above: t), "b > \(t)")
            #expect(rows.first { $0.metric == "total" }!.exceedance[j]! == share(2, above: t), "total > \(t)")
            let perYear = Double(columns[2].filter { $0 > 2 * log(t) }.count) / n
            #expect(rows.first { $0.metric == "total_per_year" }!.exceedance[j]! == perYear, "per year > \(t)")
            let inverse = Double(columns[2].filter { $0 < log(10 / t) }.count) / n
            #expect(rows.first { $0.metric == "inverse" }!.exceedance[j]! == inverse, "inverse > \(t)")
        }
        // Half the draws of a sit at the floor: P(a > 1) is about one half; b is never above 10.
        #expect(abs(rows.first { $0.metric == "a" }!.exceedance[0]! - 0.5) < 0.005)
        #expect(rows.first { $0.metric == "b" }!.exceedance[3]! == 0)
    }
}
