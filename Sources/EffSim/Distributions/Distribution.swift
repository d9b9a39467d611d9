import CGSL
import Foundation

/// The probability law of one efficiency factor, before clamping.
///
/// Parameters are checked when a scenario is read (`ScenarioReader`); a `Distribution`
/// that exists is valid, so nothing here re-checks or throws.
public enum Distribution: Sendable, Equatable {
    /// X = exp(mu + sigma * Z), Z standard normal. Median exp(mu); sigma > 0.
    case logNormal(mu: Double, sigma: Double)
    /// X ~ Normal(mean, sd^2) conditioned on lower <= X <= upper (true truncation:
    /// the mass outside the window is removed and the rest renormalised, never piled
    /// up at the bounds). A nil bound is infinite. sd > 0.
    case normal(mean: Double, sd: Double, lower: Double?, upper: Double?)
    /// X = value with probability one.
    case fixed(Double)

    /// z such that P(-z < Z < z) = level for a standard normal Z: Phi^-1((1 + level) / 2).
    /// 1.2816 for 80%, 1.6449 for 90%. Requires 0 < level < 1.
    public static func zForCentralInterval(level: Double) -> Double {
        gsl_cdf_ugaussian_Pinv((1 + level) / 2)
    }

    /// The lognormal whose central `level` interval is [lo, hi]:
    /// median sqrt(lo * hi), sigma = ln(hi / lo) / (2 z). Requires 0 < lo < hi, 0 < level < 1.
    public static func logNormal(ci lo: Double, _ hi: Double, level: Double) -> Distribution {
        let z = zForCentralInterval(level: level)
        return .logNormal(mu: (log(lo) + log(hi)) / 2, sigma: log(hi / lo) / (2 * z))
    }

    /// The lognormal with the given median (> 0) and log-scale sigma (> 0).
    public static func logNormal(median: Double, sigma: Double) -> Distribution {
        .logNormal(mu: log(median), sigma: sigma)
    }

    /// The normal whose central `level` interval (before truncation) is [lo, hi]:
    /// mean (lo + hi) / 2, sd (hi - lo) / (2 z). Requires lo < hi, 0 < level < 1.
    public static func normal(ci lo: Double, _ hi: Double, level: Double,
                              lower: Double? = nil, upper: Double? = nil) -> Distribution {
        let z = zForCentralInterval(level: level)
        return .normal(mean: (lo + hi) / 2, sd: (hi - lo) / (2 * z), lower: lower, upper: upper)
    }

    /// P(X <= x).
    public func cdf(_ x: Double) -> Double {
        switch self {
        case let .logNormal(mu, sigma):
            return x <= 0 ? 0 : gsl_cdf_ugaussian_P((log(x) - mu) / sigma)
        case let .normal(mean, sd, lower, upper):
            let t = TruncatedNormal(mean: mean, sd: sd, lower: lower, upper: upper)
            return t.cdf(x)
        case let .fixed(v):
            return x < v ? 0 : 1
        }
    }

    /// The p-quantile, inf{x : P(X <= x) >= p}, for 0 < p < 1, from GSL's inverse normal CDF.
    public func quantile(_ p: Double) -> Double {
        switch self {
        case let .logNormal(mu, sigma):
            return exp(mu + sigma * gsl_cdf_ugaussian_Pinv(p))
        case let .normal(mean, sd, lower, upper):
            return TruncatedNormal(mean: mean, sd: sd, lower: lower, upper: upper).quantile(p)
        case let .fixed(v):
            return v
        }
    }

    public var median: Double { quantile(0.5) }

    /// The smallest value the law can take (0 for a lognormal, -inf for an untruncated normal).
    public var lowerSupport: Double {
        switch self {
        case .logNormal: return 0
        case let .normal(_, _, lower, _): return lower ?? -.infinity
        case let .fixed(v): return v
        }
    }

    /// A short human description, e.g. `lognormal(median 2.739, sigma 0.6119)`.
    public var summary: String {
        func g(_ x: Double) -> String { String(format: "%.4g", x) }
        switch self {
        case let .logNormal(mu, sigma):
            return "lognormal(median \(g(exp(mu))), sigma \(g(sigma)))"
        case let .normal(mean, sd, lower, upper):
            var s = "normal(mean \(g(mean)), sd \(g(sd))"
            if lower != nil || upper != nil {
                s += ", truncated to [\(lower.map(g) ?? "-inf"), \(upper.map(g) ?? "inf")]"
            }
            return s + ")"
        case let .fixed(v):
            return "fixed(\(g(v)))"
        }
    }
}
