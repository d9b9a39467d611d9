import CGSL
import EffSim
import Foundation
import Testing

/// Outputs over an index and first-crossing times, sampled: percentiles, `p_never` and P(by t)
/// against closed forms.
@Suite struct CrossingTimeTests {
    static func rows(_ s: Scenario) throws -> [String: SummaryRow] {
        let rows = MetricLayout(s).rows(try Engine.run(s).metrics)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.metric, $0) })
    }

    static let n = 200_000
    static let sigma = 0.3

    /// C(t) = C0 * g^(t - 2024) with C0 = 1e25 FLOP and g lognormal(median 2, sigma 0.3),
    /// over 2024..2034; the first year above L = 1e27.
    static func growth(level: Double = 1e27) throws -> Scenario {
        try Support.scenario("""
        {"name": "t", "trials": \(n), "seed": 11, "percentiles": [10, 25, 50, 75, 90], "thresholds": [2028, 2030],
         "factors": [{"id": "c0", "unit": "FLOP", "distribution": {"type": "fixed", "value": 1e25}},
                     {"id": "g", "distribution": {"type": "lognormal", "median": 2, "sigma": \(sigma)}}],
         "outputs": [{"id": "flop", "unit": "FLOP", "over": {"id": "year", "from": 2024, "to": 2034, "step": 1, "unit": "yr"},
                      "expression": "c0 * g ^ ((year - 2024[yr]) / 1[yr])"},
                     {"id": "when", "first": {"series": "flop", "above": \(level)}}]}
        """)
    }

    /// T = 2024 + ln(L/C0) / ln(g) is a decreasing function of g, so T's p-quantile is that of g
    /// at 1 - p: g(1-p) = 2 exp(sigma z(1-p)), z from gsl_cdf_ugaussian_Pinv. A trial with
    /// T > 2034 (g < (L/C0)^(1/10)) never crosses: p_never = Phi((ln((L/C0)^(1/10)) - ln 2) / sigma).
    /// Tolerances: 5 standard errors of the sample quantile by the delta method,
    /// sd(T_p) = |dT/dg| sd(g_p) = ln(L/C0) sigma sqrt(p(1-p)/n) / (ln(g)^2 phi(z)), plus the
    /// histogram's 5.6e-5 relative precision on the offset T - 2024 (the log interpolation makes
    /// the crossing of exponential growth exact); 5 binomial standard errors for p_never and P(by t).
    @Test func crossingTimesOfExponentialGrowthMatchTheClosedForm() throws {
        let s = try Self.growth()
        let r = try Self.rows(s)
        let when = try #require(r["when"])
        let ratio = log(100.0)
        let gEnd = exp(ratio / 10)
        let pNever = gsl_cdf_ugaussian_P((log(gEnd) - log(2)) / Self.sigma)
        let nd = Double(Self.n)
        #expect(abs(when.pNever! - pNever) < 5 * (pNever * (1 - pNever) / nd).squareRoot())
        for (i, p) in [0.10, 0.25, 0.50, 0.75, 0.90].enumerated() {
            let z = gsl_cdf_ugaussian_Pinv(1 - p)
            let g = 2 * exp(Self.sigma * z)
            if g < gEnd {
                // Among the trials that never cross: no year.
                #expect(when.percentiles[i].isNaN, "p\(p)")
                continue
            }
            let truth = 2024 + ratio / log(g)
            let phi = exp(-z * z / 2) / (2 * Double.pi).squareRoot()
            let se = ratio * Self.sigma * (p * (1 - p) / nd).squareRoot() / (log(g) * log(g) * phi)
            #expect(abs(when.percentiles[i] - truth) < 5 * se + 5.62e-5 * (truth - 2024), "p\(p): \(when.percentiles[i]) vs \(truth)")
        }
        // Some trials never cross, so the mean does not exist.
        #expect(when.mean.isNaN)
        // P(T > t) = P(g < 100^(1/(t - 2024))); P(by t) is its complement.
        for (j, t) in [2028.0, 2030].enumerated() {
            let truth = gsl_cdf_ugaussian_P((ratio / (t - 2024) - log(2)) / Self.sigma)
            #expect(abs(when.exceedance[j]! - truth) < 5 * (truth * (1 - truth) / nd).squareRoot(), "P(> \(t))")
        }
        // Each point is the same draw of g raised to its power: its median is 1e25 * 2^k.
        for k in [0, 5, 10] {
            let point = try #require(r["flop[year=\(2024 + k)]"])
            let se = 1e25 * Double(k) * pow(2, Double(k)) * Self.sigma * (0.25 / nd).squareRoot() / 0.3989
            #expect(abs(point.percentiles[2] - 1e25 * pow(2, Double(k))) < 5 * se + 5.62e-5 * 1e25 * pow(2, Double(k)), "k = \(k)")
        }
    }

    /// A level the series is already past at the first index value: every trial crosses there,
    /// exactly, and none never does.
    @Test func aTrialAlreadyPastTheLevelCrossesAtTheFirstValue() throws {
        let r = try Self.rows(try Self.growth(level: 5e24))
        let when = try #require(r["when"])
        #expect(when.pNever == 0)
        #expect(when.percentiles == [2024, 2024, 2024, 2024, 2024])
        #expect(when.mean == 2024)
    }

    /// A series that is not positive is interpolated linearly: year - 2024 - u with u uniform on
    /// (0, 10) crosses 0 at 2024 + u exactly, so its percentiles are 2024 + 10 p (5 binomial
    /// standard errors of the uniform's quantile, 10 sqrt(p(1-p)/n), plus the histogram's precision).
    @Test func aSeriesThroughZeroIsInterpolatedLinearly() throws {
        let s = try Support.scenario("""
        {"name": "t", "trials": \(Self.n), "seed": 4, "percentiles": [10, 50, 90], "thresholds": [2029],
         "factors": [{"id": "u", "distribution": {"type": "uniform", "min": 0, "max": 10}}],
         "outputs": [{"id": "gap", "over": {"id": "year", "from": 2024, "to": 2034, "step": 1}, "expression": "year - 2024 - u"},
                     {"id": "when", "first": {"series": "gap", "above": 0}}]}
        """)
        let when = try #require(try Self.rows(s)["when"])
        #expect(when.pNever == 0)
        for (i, p) in [0.1, 0.5, 0.9].enumerated() {
            let truth = 2024 + 10 * p
            #expect(abs(when.percentiles[i] - truth) < 5 * 10 * (p * (1 - p) / Double(Self.n)).squareRoot() + 5.62e-5 * 10 * p)
        }
        #expect(abs(when.mean - 2029) < 5 * 10 / 12.0.squareRoot() / Double(Self.n).squareRoot() + 1e-3)
        #expect(abs(when.exceedance[0]! - 0.5) < 5 * (0.25 / Double(Self.n)).squareRoot())
    }

    /// `below`: a decay C0 * d^(t - 2024) with d lognormal(median 0.5) first goes below C0 / 100
    /// at 2024 + ln(100) / ln(1/d): the same law as the growth's, mirrored.
    @Test func belowMirrorsAbove() throws {
        let s = try Support.scenario("""
        {"name": "t", "trials": \(Self.n), "seed": 11, "percentiles": [10, 25, 50, 75, 90],
         "factors": [{"id": "c0", "distribution": {"type": "fixed", "value": 1e25}},
                     {"id": "g", "distribution": {"type": "lognormal", "median": 2, "sigma": \(Self.sigma)}}],
         "outputs": [{"id": "up", "over": {"id": "year", "from": 2024, "to": 2034, "step": 1}, "expression": "c0 * g ^ (year - 2024)"},
                     {"id": "down", "over": {"id": "year", "from": 2024, "to": 2034, "step": 1}, "expression": "c0 / g ^ (year - 2024)"},
                     {"id": "up_when", "first": {"series": "up", "above": 1e27}},
                     {"id": "down_when", "first": {"series": "down", "below": 1e23}}]}
        """)
        let r = try Self.rows(s)
        // The same draws of g cross both levels in the same year.
        #expect(r["up_when"]!.pNever == r["down_when"]!.pNever)
        for (a, b) in zip(r["up_when"]!.percentiles, r["down_when"]!.percentiles) {
            #expect(a.isNaN && b.isNaN || abs(a - b) < 1e-3)
        }
    }

    /// summary.csv: a p_never column, empty for other rows; the crossing row's percentiles among
    /// the trials that never cross and its mean are empty cells, not a made-up year.
    @Test func summaryWritesEmptyCellsForNeverCrossingStatistics() throws {
        let s = try Self.growth()
        let state = try Engine.run(s)
        let rows = MetricLayout(s).rows(state.metrics)
        let text = SummaryCSV.render(rows, scenario: s)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "metric,kind,trials,mean,p10,p25,p50,p75,p90,p_gt_2028,p_gt_2030,floor_share,p_never,unit")
        let when = try #require(lines.first { $0.hasPrefix("when,") }).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(when[3] == "")
        #expect(when[8] == "", "p90 among the never-crossing trials")
        #expect(Double(when[4]) != nil && Double(when[12]) != nil && when[13] == "yr")
        let point = try #require(lines.first { $0.hasPrefix("flop[year=2030],") }).split(separator: ",", omittingEmptySubsequences: false)
        #expect(point[12] == "" && point[13] == "FLOP")
        // precision.csv: p_never's Wilson interval; no mean, no p90 (among the 21.9% that never
        // cross); p75's interval ends below rank 0.781 n, so it has one.
        let precision = Precision.rows(state, summary: rows).filter { $0.metric == "when" }
        #expect(precision.map(\.statistic) == ["p10", "p25", "p50", "p75", "p_gt_2028", "p_gt_2030", "p_never"])
        // The file reads back into the same rows (NaN where the cell is empty).
        let reread = SummaryColumns(s).row(metric: "when", kind: .output, trials: Self.n,
                                            values: SummaryColumns(s).values(rows.first { $0.metric == "when" }!))
        #expect(reread?.pNever == rows.first { $0.metric == "when" }!.pNever)
        #expect(reread?.mean.isNaN == true)
    }
}
