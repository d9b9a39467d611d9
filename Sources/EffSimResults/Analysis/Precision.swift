import CGSL
import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// One line of `precision.csv`: a summary statistic and its 95% Monte Carlo interval.
public struct PrecisionRow: Sendable, Equatable {
    /// The summary row the statistic belongs to.
    public var metric: String
    /// Named like the summary.csv column: `mean`, `p50`, `p_gt_1000`, `floor_share`.
    public var statistic: String
    /// The statistic as summary.csv has it.
    public var estimate: Double
    /// The lower end of its 95% interval.
    public var lo95: Double
    /// The upper end of its 95% interval.
    public var hi95: Double
}

/// How far each summary number could move if the run were repeated with another seed: 95%
/// intervals from the sampling itself, for every row and statistic of summary.csv.
///
/// - Percentiles: the order-statistic interval [x(j), x(k)] (0-based ranks of the sorted sample).
///   The count B of draws at or below the true p-quantile is Binomial(n, p), and
///   P(x(j) <= q <= x(k)) = F(k) - F(j) with F the binomial CDF, so j is the largest rank with
///   F(j) <= 2.5% and k the smallest with F(k) >= 97.5%: coverage at least 95%, distribution-free.
///   F is GSL's exact `gsl_cdf_binomial_P` for n < 2^32 and the normal approximation with
///   continuity correction beyond. When n is too small for a bound (F(0) > 2.5%), the sample
///   extreme stands in and coverage is below 95%.
/// - Threshold probabilities, floor shares and a crossing time's `p_never`: the Wilson score
///   interval for k successes in n.
/// - A crossing time with trials that never cross has no `mean` line, nor a line for a
///   percentile whose upper rank falls among those trials.
/// - The mean: the normal (CLT) interval mean ± 1.96 s / sqrt(n), s from the histogram; for
///   heavy right tails at small n it covers a little less than 95%.
///
/// The order statistics come from the fine histogram (5.6e-5 relative). With quasi-random points
/// (`--sampler sobol|halton`) the intervals are the pseudo-random ones, so they are conservative.
public enum Precision {
    /// The intervals' nominal coverage.
    public static let level = 0.95
    /// precision.csv's columns.
    public static let header = ["metric", "statistic", "estimate", "lo95", "hi95"]

    /// Every statistic of every summary row, in summary.csv's row and column order. `moments`,
    /// when given, holds `MetricLayout.moments(_:)`'s answer (else each row's is computed here).
    public static func rows(
        _ state: RunState, summary: [SummaryRow],
        moments precomputed: [(mean: Double, meanSquare: Double)]? = nil
    ) -> [PrecisionRow] {
        let s = state.scenario
        let z = gsl_cdf_ugaussian_Pinv((1 + level) / 2)
        let columns = SummaryColumns(s)
        let percentileNames = columns.percentileNames
        let thresholdNames = columns.thresholdNames
        var result: [PrecisionRow] = []
        for (i, (source, row)) in zip(MetricLayout(s).rowSources, summary).enumerated() {
            let m = state.metrics[source.metric]
            let n = m.count
            func add(_ statistic: String, _ estimate: Double, _ interval: (Double, Double)) {
                result.append(
                    PrecisionRow(
                        metric: row.metric, statistic: statistic, estimate: estimate, lo95: interval.0, hi95: interval.1
                    ))
            }
            let moments = precomputed?[i] ?? source.moments(m)
            let variance =
                n > 1 ? max(0, moments.meanSquare - moments.mean * moments.mean) * Double(n) / Double(n - 1) : 0
            let half = z * (variance / Double(n)).squareRoot()
            // A crossing time has no mean when some trials never cross, and no interval for a
            // percentile whose interval reaches them (its upper end would be "never").
            let never = source.neverCount(m)
            if !row.mean.isNaN { add("mean", row.mean, (row.mean - half, row.mean + half)) }

            let ranks = s.percentiles.map { orderStatisticRanks(p: $0 / 100, n: n) }
            let values = source.orderStatistics(m, ranks: ranks.flatMap { [$0.lower, $0.upper] })
            for (i, name) in percentileNames.enumerated()
            where ranks[i].upper < n - (never ?? 0) && !row.percentiles[i].isNaN {
                add(name, row.percentiles[i], (values[2 * i], values[2 * i + 1]))
            }
            for (i, (name, count)) in zip(thresholdNames, source.exceedanceCounts(m)).enumerated() {
                if let share = row.exceedance[i] { add(name, share, wilson(successes: count, trials: n)) }
            }
            if let share = row.floorShare {
                add("floor_share", share, wilson(successes: m.floorCount, trials: n))
            }
            if let never, let share = row.pNever {
                add("p_never", share, wilson(successes: never, trials: n))
            }
        }
        return result
    }

    /// The 0-based ranks (j, k) of the order statistics that bracket the p-quantile of the law
    /// with probability at least `level` (see the type's documentation). 0 <= p <= 1, n >= 1.
    public static func orderStatisticRanks(p: Double, n: Int, level: Double = level) -> (lower: Int, upper: Int) {
        if p <= 0 { return (0, 0) }
        if p >= 1 { return (n - 1, n - 1) }
        let tail = (1 - level) / 2
        let mean = Double(n) * p
        let sd = (Double(n) * p * (1 - p)).squareRoot()
        let cdf: (Int) -> Double
        if n < Int(UInt32.max) {
            cdf = { k in k < 0 ? 0 : k >= n ? 1 : gsl_cdf_binomial_P(UInt32(k), p, UInt32(n)) }
        } else {
            cdf = { k in gsl_cdf_ugaussian_P((Double(k) + 0.5 - mean) / sd) }
        }
        let z = gsl_cdf_ugaussian_Pinv(1 - tail)
        // Start from the normal approximation, then step to the exact ranks.
        // Clamped in Double first: Int(_:) traps on a value beyond Int's range.
        func rank(_ x: Double, from lo: Int) -> Int {
            x.isNaN ? lo : x <= Double(lo) ? lo : x >= Double(n - 1) ? n - 1 : Int(x)
        }
        var j = rank((mean - z * sd).rounded(.down), from: -1)
        while j >= 0 && cdf(j) > tail { j -= 1 }
        while j + 1 < n && cdf(j + 1) <= tail { j += 1 }
        var k = rank((mean + z * sd).rounded(.up), from: 0)
        while k > 0 && cdf(k - 1) >= 1 - tail { k -= 1 }
        while k < n - 1 && cdf(k) < 1 - tail { k += 1 }
        return (max(j, 0), k)
    }

    /// The Wilson score interval for a proportion with `successes` of `trials`:
    /// (k + z^2/2) / (n + z^2) ± z / (n + z^2) * sqrt(k (n - k) / n + z^2 / 4).
    public static func wilson(successes k: Int, trials n: Int, level: Double = level) -> (Double, Double) {
        let z = gsl_cdf_ugaussian_Pinv((1 + level) / 2)
        let nd = Double(n)
        let kd = Double(k)
        let z2 = z * z
        let centre = (kd + z2 / 2) / (nd + z2)
        let half = z / (nd + z2) * (kd * (nd - kd) / nd + z2 / 4).squareRoot()
        // At k = 0 or k = n the exact ends are 0 and 1; rounding would leave them 1e-17 off.
        return (k == 0 ? 0 : max(0, centre - half), k == n ? 1 : min(1, centre + half))
    }
}
