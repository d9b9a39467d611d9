import CGSL
import EffSim
import Foundation
import Testing

/// Values far beyond 10^±40 are binned where they belong: before signed, wide-range statistics a
/// lognormal with median 1e45 read p10 = p50 = p90 = 6.556e44, and one with median 10 and sigma
/// 50 read p99 = 9.9994e39 while P(> 1e50) was 1.18% in the same row.
///
/// Tolerances: a sample p-quantile's log has standard error sigma sqrt(p(1-p)/n) / phi(z_p); we
/// allow 5 of them. P(> t) has standard error sqrt(P(1-P)/n); again 5.
@Suite struct WideRangeTests {
    static let trials = 200_000
    static let probabilities = [0.01, 0.1, 0.5, 0.9, 0.99]

    func outputRow(median: Double, sigma: Double, thresholds: [Double]) throws -> SummaryRow {
        let s = try Support.scenario("""
        {"name": "wide", "trials": \(Self.trials), "seed": 11, "floor": null,
         "percentiles": \(Self.probabilities.map { $0 * 100 }), "thresholds": \(thresholds),
         "factors": [{"id": "x", "group": "g", "distribution": {"type": "lognormal", "median": \(median), "sigma": \(sigma)}}]}
        """)
        let state = try Engine.run(s, options: RunOptions(threads: 2))
        return MetricLayout(s).rows(state.metrics).first { $0.kind == .output }!
    }

    func expectLognormalQuantiles(_ row: SummaryRow, median: Double, sigma: Double) {
        for (i, p) in Self.probabilities.enumerated() {
            let z = gsl_cdf_ugaussian_Pinv(p)
            let truthLog = log(median) + sigma * z
            let tolerance = 5 * sigma * (p * (1 - p) / Double(Self.trials)).squareRoot() / gsl_ran_ugaussian_pdf(z) + 5.62e-5
            #expect(abs(log(row.percentiles[i]) - truthLog) <= tolerance,
                    "p\(p * 100): sampled \(row.percentiles[i]), closed form \(exp(truthLog))")
        }
    }

    @Test func medianBeyondTenToTheFortyIsNotClamped() throws {
        let row = try outputRow(median: 1e45, sigma: 1, thresholds: [1e44, 1e45, 1e46])
        expectLognormalQuantiles(row, median: 1e45, sigma: 1)
        for (i, t) in [1e44, 1e45, 1e46].enumerated() {
            let truth = 1 - gsl_cdf_ugaussian_P(log(t / 1e45))
            #expect(abs(row.exceedance[i]! - truth) <= 5 * (truth * (1 - truth) / Double(Self.trials)).squareRoot() + 1e-12)
        }
        #expect(abs(log(row.mean) - (log(1e45) + 0.5)) < 0.02)
    }

    @Test func hugeSigmaQuantilesAgreeWithExceedance() throws {
        let row = try outputRow(median: 10, sigma: 50, thresholds: [1e50, 1e-50])
        expectLognormalQuantiles(row, median: 10, sigma: 50)
        let truth = 1 - gsl_cdf_ugaussian_P(log(1e50 / 10) / 50)
        #expect(abs(row.exceedance[0]! - truth) <= 5 * (truth * (1 - truth) / Double(Self.trials)).squareRoot())
        // The row agrees with itself: more than 1% above 1e50 exactly when p99 is above 1e50.
        let p99 = row.percentiles[Self.probabilities.firstIndex(of: 0.99)!]
        #expect((row.exceedance[0]! > 0.01) == (p99 > 1e50), "P(>1e50) = \(row.exceedance[0]!), p99 = \(p99)")
        let p01 = row.percentiles[0]
        #expect((row.exceedance[1]! < 0.99) == (p01 < 1e-50), "P(>1e-50) = \(row.exceedance[1]!), p1 = \(p01)")
    }
}
