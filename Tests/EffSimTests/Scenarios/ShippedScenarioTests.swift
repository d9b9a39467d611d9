import CGSL
import EffSim
import Foundation
import Testing

/// The scenarios of the neighbouring estimates: each median against its closed form (or a
/// one-dimensional integral), within the Monte Carlo error of the sample median, and each
/// published figure within the same tolerance of the closed form it states.
@Suite struct ShippedScenarioTests {
    static let trials = 200_000

    static func medians(_ name: String) throws -> (Scenario, [String: Double]) {
        var s = try ScenarioReader.load(path: Support.scenarioPath("\(name).json"))
        s.trials = trials
        let p50 = s.percentiles.firstIndex(of: 50)!
        let rows = MetricLayout(s).rows(try Engine.run(s).metrics)
        return (s, Dictionary(uniqueKeysWithValues: rows.map { ($0.metric, $0.percentiles[p50]) }))
    }

    /// The sample median of a quantity whose log has standard deviation `logSD` is off by about
    /// sqrt(pi/2) logSD / sqrt(n) in logs; 5 of those, plus the histogram's 5.62e-5.
    static func tolerance(logSD: Double) -> Double {
        5 * (Double.pi / 2).squareRoot() * logSD / Double(trials).squareRoot() + 1e-4
    }

    static func expectMedian(_ medians: [String: Double], _ metric: String, _ truth: Double, logSD: Double,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        let m = medians[metric] ?? .nan
        #expect(abs(log(m / truth)) < tolerance(logSD: logSD), "\(metric): \(m) against \(truth)", sourceLocation: sourceLocation)
    }

    /// Each published p50 lies within `tolerance` of the closed form, so the file says what it computes.
    static func expectPublished(_ s: Scenario, _ metric: String, _ truth: Double, within tolerance: Double,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        let published = s.published.first { $0.metric == metric && $0.statistic == "p50" }?.value ?? .nan
        #expect(abs(published / truth - 1) < tolerance, "\(metric): published \(published), closed form \(truth)", sourceLocation: sourceLocation)
    }

    @Test func gpt3TrainingCompute() throws {
        let (s, m) = try Self.medians("gpt3-training-compute")
        let flop = 6 * 175e9 * 300e9
        let days = flop / (10_000 * 125e12 * 0.196) / 86_400
        #expect(m["training_flop"] == flop)
        Self.expectMedian(m, "training_days", days, logSD: 0.1625)
        Self.expectMedian(m, "gpu_hours", 10_000 * days * 24, logSD: 0.1625)
        Self.expectPublished(s, "training_flop", flop, within: 1e-12)
        Self.expectPublished(s, "training_days", days, within: 1e-3)
        Self.expectPublished(s, "gpu_hours", 10_000 * days * 24, within: 1e-3)
        #expect(s.usesUnits && s.outputs.map(\.unit.normalForm) == ["FLOP", "d", "GPU*h"])
    }

    @Test func resources2024() throws {
        let (s, m) = try Self.medians("resources-2024")
        let hardware = 50_000.0 / 10_000 * 989 / 125 * 100 / 14.8
        let compute = hardware * 0.5 / 0.196
        Self.expectMedian(m, "hardware_growth", hardware, logSD: (0.3 * 0.3 + 0.25 * 0.25).squareRoot())
        Self.expectMedian(m, "compute_growth", compute, logSD: (0.3 * 0.3 + 0.25 * 0.25 + 0.12 * 0.12).squareRoot())
        #expect(abs(m["compute_then"]! / (10_000 * 125e12 * 0.196 * 14.8 * 86_400) - 1) < 1e-4)
        Self.expectPublished(s, "hardware_growth", hardware, within: 1e-3)
        Self.expectPublished(s, "compute_growth", compute, within: 1e-3)
    }

    /// log(effective) = log(resources) + log(efficiency), independent: the median x solves
    /// mean over the efficiency draws of Phi((x - e - mu) / sigma) = 1/2, resources being lognormal.
    @Test func effectiveCompute2024() throws {
        let (s, m) = try Self.medians("effective-compute-2024")
        let sigma = (0.3 * 0.3 + 0.25 * 0.25 + 0.12 * 0.12).squareRoot()
        let mu = log(50_000.0 / 10_000 * 989 / 125 * 100 / 14.8 * 0.5 / 0.196)
        Self.expectMedian(m, "res.compute_growth", exp(mu), logSD: sigma)
        var small = s
        small.trials = 20_000
        small.seed = 99
        let e = try Engine.samples(small)[s.factors.count + s.outputs.firstIndex { $0.id == "eff.compute" }!]
        func cdf(_ x: Double) -> Double { e.reduce(0) { $0 + gsl_cdf_ugaussian_P((x - $1 - mu) / sigma) } / Double(e.count) }
        var lo = mu, hi = mu + 10
        for _ in 0..<60 { let mid = (lo + hi) / 2; if cdf(mid) < 0.5 { lo = mid } else { hi = mid } }
        // Two sample medians (the run's and the integral's 20,000 efficiency draws): the second dominates.
        let logSD = 1.1
        let allowed = 5 * (Double.pi / 2).squareRoot() * logSD * (1 / Double(Self.trials) + 1 / 20_000.0).squareRoot()
        #expect(abs(log(m["effective_compute"]!) - lo) < allowed, "effective \(m["effective_compute"]!) against \(exp(lo))")
    }

    /// effective-compute-2024 imports seed-2024 and resources-2024; the version that copied their
    /// factors (the same factors in the same order, then its three outputs) gives byte-identical
    /// statistics: effective_compute, and efficiency and resources as eff.compute and
    /// res.compute_growth (the byte-identity rule of Guides/ScenarioFormat.md#imports).
    @Test func effectiveCompute2024EqualsItsCopiedVersion() throws {
        var composed = try ScenarioReader.load(path: Support.scenarioPath("effective-compute-2024.json"))
        var factors: [JSONValue] = []
        for name in ["seed-2024", "resources-2024"] {
            guard case let .array(list)? = try ScenarioReader.load(path: Support.scenarioPath("\(name).json")).document["factors"] else { return }
            factors += list
        }
        let copied = JSONValue.object([
            ("name", .string("copied")), ("thresholds", .array([.number(1e4), .number(1e5), .number(1e6)])),
            ("factors", .array(factors)),
            ("outputs", .array([
                .object([("id", .string("efficiency")), ("groups", .array([.string("algorithmic"), .string("data")]))]),
                .object([("id", .string("resources")), ("expression", .string("(gpus_now * peak_now * mfu_now * days_now) / (gpus_then * peak_then * mfu_then * days_then)"))]),
                .object([("id", .string("effective_compute")), ("expression", .string("resources * efficiency"))]),
            ])),
        ])
        var single = try ScenarioReader.read(copied, file: "copied.json")
        (composed.trials, composed.seed, single.trials, single.seed) = (Self.trials, 2024, Self.trials, 2024)
        #expect(single.factors.map { "eff.\($0.id)" }.prefix(6) == composed.factors.map(\.id).prefix(6))
        let a = MetricLayout(composed).rows(try Engine.run(composed).metrics)
        let b = MetricLayout(single).rows(try Engine.run(single).metrics)
        for (new, old) in [("effective_compute", "effective_compute"), ("eff.compute", "efficiency"), ("res.compute_growth", "resources")] {
            guard var row = a.first(where: { $0.metric == new }), let before = b.first(where: { $0.metric == old }) else {
                Issue.record("no row \(new) or \(old)")
                continue
            }
            row.metric = old
            #expect(row == before, "\(new)")
        }
    }

    @Test func brainSimulation() throws {
        let (s, m) = try Self.medians("brain-simulation")
        // The triangular(2360, 20000, 23100) median lies below the mode: a + sqrt((b - a)(c - a) / 2).
        let median: Double = 2360 + (20_740.0 * 17_640 / 2).squareRoot()
        let a = 2360.0, b = 23_100.0, c = 20_000.0
        let synapses: Double = 6e14 * 85 * 1000
        let total: Double = 1e11 * median * 1000 + synapses
        // Standard error of the triangular's sample median: 1 / (2 f(m) sqrt(n)), f(m) = 2 (m - a) / ((b - a)(c - a)).
        let density: Double = 2 * (median - a) / ((b - a) * (c - a))
        let seTotal = 1e14 / (2 * density * Double(Self.trials).squareRoot())
        #expect(abs(m["total_flops"]! - total) < 5 * seTotal + 1e-4 * total, "total \(m["total_flops"]!) against \(total)")
        #expect(abs(m["h100s"]! - total / 34e12) < (5 * seTotal + 1e-4 * total) / 34e12)
        Self.expectMedian(m, "years_to_10x", log2(10) * 7.6, logSD: 0.2)
        Self.expectPublished(s, "total_flops", total, within: 1e-4)
        Self.expectPublished(s, "h100s", total / 34e12, within: 1e-3)
        Self.expectPublished(s, "years_to_10x", log2(10) * 7.6, within: 1e-3)
    }

    @Test func workInFlops() throws {
        let (s, m) = try Self.medians("work-in-flops")
        Self.expectMedian(m, "flop_per_expert_hour", 5e13, logSD: (0.5 * 0.5 + 0.4 * 0.4).squareRoot())
        Self.expectMedian(m, "scale_up", 5e5, logSD: 0.4)
        Self.expectMedian(m, "params_needed", 3.5e16, logSD: 0.4)
        Self.expectMedian(m, "forward_flop_needed", 5e19, logSD: (0.5 * 0.5 + 0.4 * 0.4).squareRoot())
        for (metric, truth) in [("flop_per_expert_hour", 5e13), ("scale_up", 5e5), ("params_needed", 3.5e16)] {
            Self.expectPublished(s, metric, truth, within: 1e-9)
        }
    }

    /// 2^(48/h) is a decreasing map of h, so its median is 2^(48/median h) = 64 although it is
    /// not lognormal; annual_gain^4 has median (median gain)^4.
    @Test func efficiencyProjection() throws {
        let (s, m) = try Self.medians("efficiency-projection")
        Self.expectMedian(m, "halving_multiplier", 64, logSD: log(64) * 0.2627)
        let sigma = log(6.2 / 3) / (2 * gsl_cdf_ugaussian_Pinv(0.9))
        let gain = (3 * 6.2).squareRoot()
        Self.expectMedian(m, "continued_gain", pow(gain, 4), logSD: 4 * sigma)
        Self.expectMedian(m, "halving_multiplier_per_year", pow(64, 0.25), logSD: log(64) * 0.2627 / 4)
        Self.expectMedian(m, "continued_gain_per_year", gain, logSD: sigma)
        Self.expectPublished(s, "halving_multiplier", 64, within: 1e-12)
        // The published 4.3^4 against this file's median gain, sqrt(3 * 6.2) = 4.313.
        Self.expectPublished(s, "continued_gain", pow(4.3, 4), within: 1e-4)
    }

    /// log g = log g0 + b ln k with g0 and b lognormal, one series over k = 10^oom: at k = 1 the
    /// median is g0's; otherwise it solves an integral over b's quantiles of
    /// Phi((x - b ln k - mu) / sigma) = 1/2.
    @Test func scaleDependentGain() throws {
        let (s, m) = try Self.medians("scale-dependent-gain")
        #expect(s.outputs.map(\.id) == (0...4).map { "gain[oom=\($0)]" })
        let mu = log(2.5), sigma = log(4) / (2 * gsl_cdf_ugaussian_Pinv(0.9))
        Self.expectMedian(m, "gain[oom=0]", 2.5, logSD: sigma)
        Self.expectPublished(s, "gain[oom=0]", 2.5, within: 1e-12)
        let bs = (0..<4000).map { 0.05 * exp(0.5 * gsl_cdf_ugaussian_Pinv((Double($0) + 0.5) / 4000)) }
        for (metric, k) in [("gain[oom=1]", 10.0), ("gain[oom=2]", 100.0), ("gain[oom=3]", 1e3), ("gain[oom=4]", 1e4)] {
            func cdf(_ x: Double) -> Double { bs.reduce(0) { $0 + gsl_cdf_ugaussian_P((x - $1 * log(k) - mu) / sigma) } / Double(bs.count) }
            var lo = mu, hi = mu + 5
            for _ in 0..<60 { let mid = (lo + hi) / 2; if cdf(mid) < 0.5 { lo = mid } else { hi = mid } }
            Self.expectMedian(m, metric, exp(lo), logSD: 1.0)
        }
    }

    /// T = 2024 + ln(L / C0) / ln(g) is decreasing in g, so its median is at g's median
    /// (sqrt(3 x 6.2) for the efficiency gain, sqrt(4 x 5) for compute growth). The sample
    /// median's error by the delta method: ln(L/C0) sigma sqrt(1/4n) / (ln(g)^2 phi(0)), 5 of
    /// those, plus the histogram's 5.62e-5 on T - 2024.
    @Test func efficiencyCrossing() throws {
        let (s, m) = try Self.medians("efficiency-crossing")
        let z = gsl_cdf_ugaussian_Pinv(0.9), n = Double(Self.trials)
        for (metric, ratio, lo, hi) in [("year_budget_passes_1e26", 100.0, 3.0, 6.2), ("year_frontier_passes_1e27", 1e27 / 3.8e25, 4, 5)] {
            let g = (lo * hi).squareRoot(), sigma = log(hi / lo) / (2 * z)
            let truth = 2024 + log(ratio) / log(g)
            let se = log(ratio) * sigma * (0.25 / n).squareRoot() / (log(g) * log(g) * 0.3989)
            #expect(abs(m[metric]! - truth) < 5 * se + 5.62e-5 * (truth - 2024), "\(metric): \(m[metric]!) against \(truth)")
        }
        #expect(s.outputs.filter { $0.crossing != nil }.map(\.unit.normalForm) == ["year", "year"])
        Self.expectMedian(m, "budget_effective_flop[year=2030]", 1e24 * pow(3 * 6.2, 3), logSD: 6 * log(6.2 / 3) / (2 * z))
    }
}
