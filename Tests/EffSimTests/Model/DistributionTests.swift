import CGSL
import EffSim
import Foundation
import Testing

/// Sampled quantiles against GSL's closed forms.
///
/// Tolerance: the standard error of a sample p-quantile is sqrt(p(1-p)/n) / f(x_p); we allow
/// 5 standard errors (a false alarm about once in 1.7 million per check, with fixed seeds never)
/// plus the summary's documented binning error of 5.62e-5 relative.
@Suite struct DistributionTests {
    static let probabilities = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99]

    /// Runs a one-factor scenario and returns the factor's summary row.
    func factorRow(_ s: Scenario, generator: RandomGenerator = .taus2) throws -> SummaryRow {
        var s = s
        s.percentiles = Self.probabilities.map { $0 * 100 }
        let state = try Engine.run(s, options: RunOptions(threads: 2, generator: generator))
        return MetricLayout(s).rows(state.metrics).first { $0.kind == .factor }!
    }

    func expectQuantiles(_ row: SummaryRow, n: Int, quantile: (Double) -> Double, density: (Double) -> Double) {
        for (i, p) in Self.probabilities.enumerated() {
            let truth = quantile(p)
            let se = (p * (1 - p) / Double(n)).squareRoot() / density(truth)
            let tolerance = 5 * se + 5.62e-5 * abs(truth)
            #expect(abs(row.percentiles[i] - truth) <= tolerance, "p\(p * 100): sampled \(row.percentiles[i]), closed form \(truth), tolerance \(tolerance)")
        }
    }

    @Test(arguments: [(1.25, 6.0, 0.8), (1.25, 5.0, 0.9), (1.5, 13.0, 0.8)])
    func lognormalFromCI(lo: Double, hi: Double, level: Double) throws {
        // Closed form: the CI ends are the (1 -/+ level)/2 quantiles.
        let d = try Distribution.logNormal(ci: lo, hi, level: level)
        guard case let .logNormal(l) = d else { Issue.record("not a lognormal"); return }
        let mu = l.mu, sigma = l.sigma
        #expect(abs(gsl_cdf_lognormal_Pinv((1 - level) / 2, mu, sigma) - lo) < 1e-12 * lo)
        #expect(abs(gsl_cdf_lognormal_Pinv((1 + level) / 2, mu, sigma) - hi) < 1e-12 * hi)
        #expect(abs(exp(mu) - (lo * hi).squareRoot()) < 1e-12 * hi)

        let n = 400_000
        let row = try factorRow(Support.oneFactor(#"{"type": "lognormal", "ci": [\#(lo), \#(hi)], "level": \#(level)}"#, trials: n))
        expectQuantiles(row, n: n, quantile: { gsl_cdf_lognormal_Pinv($0, mu, sigma) },
                        density: { gsl_ran_lognormal_pdf($0, mu, sigma) })
        #expect(row.floorShare == 0)
    }

    @Test func lognormalFromMedianAndSigma() throws {
        let n = 400_000
        let row = try factorRow(Support.oneFactor(#"{"type": "lognormal", "median": 3.5, "sigma": 0.8425}"#, trials: n))
        expectQuantiles(row, n: n, quantile: { gsl_cdf_lognormal_Pinv($0, log(3.5), 0.8425) },
                        density: { gsl_ran_lognormal_pdf($0, log(3.5), 0.8425) })
    }

    /// The same closed forms with `--rng philox`: its block normals (lognormal, truncation by
    /// rejection) and block uniforms (a normal truncated to a narrow window, by inversion).
    @Test func philoxDrawsMatchTheClosedForms() throws {
        let n = 400_000
        let lognormal = try factorRow(Support.oneFactor(#"{"type": "lognormal", "median": 3.5, "sigma": 0.8425}"#, trials: n), generator: .philox)
        expectQuantiles(lognormal, n: n, quantile: { gsl_cdf_lognormal_Pinv($0, log(3.5), 0.8425) },
                        density: { gsl_ran_lognormal_pdf($0, log(3.5), 0.8425) })
        for (json, mean, sd, lower, upper) in [
            (#"{"type": "normal", "mean": 2.5, "sd": 1, "lower": 1.5, "upper": 3}"#, 2.5, 1.0, 1.5, 3.0),
            (#"{"type": "normal", "mean": 2.5, "sd": 1, "lower": 2.4, "upper": 2.6}"#, 2.5, 1.0, 2.4, 2.6),
        ] {
            let row = try factorRow(Support.oneFactor(json, trials: n), generator: .philox)
            let (q, f) = truncated(mean: mean, sd: sd, lower: lower, upper: upper)
            expectQuantiles(row, n: n, quantile: q, density: f)
        }
    }

    /// Truncated normal quantile and density written out from GSL's untruncated ones.
    func truncated(mean: Double, sd: Double, lower: Double, upper: Double) -> ((Double) -> Double, (Double) -> Double) {
        let pa = gsl_cdf_gaussian_P(lower - mean, sd), pb = gsl_cdf_gaussian_P(upper - mean, sd)
        return ({ mean + gsl_cdf_gaussian_Pinv(pa + $0 * (pb - pa), sd) },
                { gsl_ran_gaussian_pdf($0 - mean, sd) / (pb - pa) })
    }

    @Test func normalTruncatedOnOneSide() throws {
        // chinchilla: 80% CI 1.5 to 4.5, left-truncated at 0.
        let mean = 3.0, sd = 1.5 / gsl_cdf_ugaussian_Pinv(0.9)
        let n = 400_000
        let row = try factorRow(Support.oneFactor(#"{"type": "normal", "ci": [1.5, 4.5], "level": 0.8, "lower": 0}"#, trials: n))
        let (q, f) = truncated(mean: mean, sd: sd, lower: 0, upper: .infinity)
        expectQuantiles(row, n: n, quantile: q, density: f)
    }

    @Test func normalTruncatedOnBothSides() throws {
        // A window that removes a lot of mass on both sides, so clamping instead of truncating
        // would pile draws at the bounds and move every quantile.
        let n = 400_000
        let s = try Support.oneFactor(#"{"type": "normal", "mean": 2.5, "sd": 1, "lower": 1.5, "upper": 3}"#, trials: n)
        let row = try factorRow(s)
        let (q, f) = truncated(mean: 2.5, sd: 1, lower: 1.5, upper: 3)
        expectQuantiles(row, n: n, quantile: q, density: f)
        let state = try Engine.run(s)
        #expect(exp(state.metrics[0].minLog) >= 1.5)
        #expect(exp(state.metrics[0].maxLog) <= 3)
    }

    @Test func narrowWindowInTheUpperTailUsesTheInverseCDF() throws {
        // 0.13% of the mass: rejection would be hopeless; the inverse CDF must keep its precision.
        let n = 200_000
        let row = try factorRow(Support.oneFactor(#"{"type": "normal", "mean": 0, "sd": 1, "lower": 3, "upper": 4}"#, trials: n))
        let (q, f) = truncated(mean: 0, sd: 1, lower: 3, upper: 4)
        expectQuantiles(row, n: n, quantile: q, density: f)
    }

    @Test func truncatedNormalClosedFormsAgreeWithGSL() {
        let t = TruncatedNormal(mean: 2.5, sd: 0.6242, lower: 0, upper: 4.7)
        let (q, _) = truncated(mean: 2.5, sd: 0.6242, lower: 0, upper: 4.7)
        for p in [0.001, 0.1, 0.5, 0.9, 0.999] {
            #expect(abs(t.quantile(p) - q(p)) < 1e-10)
            #expect(abs(t.cdf(t.quantile(p)) - p) < 1e-10)
        }
    }

    @Test func clampingRaisesDrawsBelowTheFloor() throws {
        // lognormal with median 1: half the draws fall below the floor of 1.
        let n = 200_000
        let row = try factorRow(Support.oneFactor(#"{"type": "lognormal", "median": 1, "sigma": 0.5}"#, floor: "1", trials: n))
        let share = try #require(row.floorShare)
        #expect(abs(share - 0.5) <= 5 * (0.25 / Double(n)).squareRoot())
        // Below the floor share every percentile is the floor exactly; above it, untouched.
        #expect(row.percentiles[0...3].allSatisfy { $0 == 1 })
        let truth = gsl_cdf_lognormal_Pinv(0.9, 0, 0.5)
        #expect(abs(row.percentiles[6] - truth) < 0.01 * truth)
    }

    @Test func aFixedFactorBelowTheFloorIsRaised() throws {
        let row = try factorRow(Support.oneFactor(#"{"type": "fixed", "value": 0.5}"#, floor: "1", trials: 1000))
        #expect(row.floorShare == 1)
        #expect(row.percentiles.allSatisfy { $0 == 1 })
        #expect(row.mean == 1)
    }
}
