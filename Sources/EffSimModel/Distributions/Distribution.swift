import CGSL
import EffSimCore
import Foundation

/// The probability law of one factor, before clamping.
///
/// Every case holds a value that was checked when it was built (`LogNormal`, `Normal`,
/// `FixedValue` have throwing initialisers that hold their rules), so a `Distribution` that
/// exists is valid: the scenario reader, code that builds scenarios in Swift and sweeps all go
/// through the same door, and nothing downstream re-checks.
public enum Distribution: Sendable, Equatable {
    /// A lognormal law.
    case logNormal(LogNormal)
    /// A normal law, optionally truncated.
    case normal(Normal)
    /// A constant value.
    case fixed(FixedValue)
    /// A uniform law on [min, max].
    case uniform(Uniform)
    /// A law whose log is uniform on [ln min, ln max].
    case logUniform(LogUniform)
    /// A triangular law on [min, max] peaking at its mode.
    case triangular(Triangular)
    /// A PERT law: a beta on [min, max] weighted towards its mode.
    case pert(PERT)
    /// A beta law on [min, max].
    case beta(BetaDistribution)
    /// 1 with probability p, else 0.
    case bernoulli(Bernoulli)
    /// A weighted mixture of other distributions.
    case mixture(Mixture)
    /// The metalog through 3 to 10 given quantiles, optionally bounded.
    case metalog(Metalog)

    /// The lognormal whose central `level` interval is [lo, hi]; see `LogNormal.init(ci:_:level:)`.
    public static func logNormal(ci lo: Double, _ hi: Double, level: Double) throws -> Distribution {
        .logNormal(try LogNormal(ci: lo, hi, level: level))
    }

    /// The lognormal with the given median and log-scale sigma.
    public static func logNormal(median: Double, sigma: Double) throws -> Distribution {
        .logNormal(try LogNormal(median: median, sigma: sigma))
    }

    /// The normal whose central `level` interval (before truncation) is [lo, hi], truncated to
    /// [lower, upper]; see `Normal.init(ci:_:level:lower:upper:)`.
    public static func normal(
        ci lo: Double, _ hi: Double, level: Double,
        lower: Double? = nil, upper: Double? = nil
    ) throws -> Distribution {
        .normal(try Normal(ci: lo, hi, level: level, lower: lower, upper: upper))
    }

    /// Normal(mean, sd^2) truncated to [lower, upper].
    public static func normal(mean: Double, sd: Double, lower: Double? = nil, upper: Double? = nil) throws
        -> Distribution
    {
        .normal(try Normal(mean: mean, sd: sd, lower: lower, upper: upper))
    }

    /// The lognormal through two quantiles; see `LogNormal.init(quantiles:)`.
    public static func logNormal(quantiles: [QuantilePoint]) throws -> Distribution {
        .logNormal(try LogNormal(quantiles: quantiles))
    }

    /// The normal through two quantiles (before truncation), truncated to [lower, upper].
    public static func normal(quantiles: [QuantilePoint], lower: Double? = nil, upper: Double? = nil) throws
        -> Distribution
    {
        .normal(try Normal(quantiles: quantiles, lower: lower, upper: upper))
    }

    /// The metalog through 3 to 10 quantiles; see `Metalog.init(quantiles:lower:upper:)`.
    public static func metalog(quantiles: [QuantilePoint], lower: Double? = nil, upper: Double? = nil) throws
        -> Distribution
    {
        .metalog(try Metalog(quantiles: quantiles, lower: lower, upper: upper))
    }

    /// The constant `value`.
    public static func fixed(_ value: Double) throws -> Distribution {
        .fixed(try FixedValue(value))
    }

    /// A validated `Uniform` (min < max, both finite).
    public static func uniform(min: Double, max: Double) throws -> Distribution {
        .uniform(try Uniform(min: min, max: max))
    }
    /// A validated `LogUniform` (0 < min < max).
    public static func logUniform(min: Double, max: Double) throws -> Distribution {
        .logUniform(try LogUniform(min: min, max: max))
    }
    /// A validated `Triangular` (min <= mode <= max, min < max).
    public static func triangular(min: Double, mode: Double, max: Double) throws -> Distribution {
        .triangular(try Triangular(min: min, mode: mode, max: max))
    }
    /// A validated `PERT` (lambda defaults to 4).
    public static func pert(min: Double, mode: Double, max: Double, lambda: Double? = nil) throws -> Distribution {
        .pert(try PERT(min: min, mode: mode, max: max, lambda: lambda))
    }
    /// A validated `BetaDistribution` (shapes > 0; on [0, 1] unless bounds are given).
    public static func beta(alpha: Double, beta: Double, min: Double? = nil, max: Double? = nil) throws -> Distribution
    {
        .beta(try BetaDistribution(alpha: alpha, beta: beta, min: min, max: max))
    }
    /// A validated `Bernoulli` (0 <= p <= 1).
    public static func bernoulli(p: Double) throws -> Distribution { .bernoulli(try Bernoulli(p: p)) }
    /// A mixture of (weight, distribution) pairs.
    public static func mixture(components: [(weight: Double, distribution: Distribution)]) throws -> Distribution {
        .mixture(try Mixture(components.map { Mixture.Component(weight: $0.weight, distribution: $0.distribution) }))
    }

    /// z such that P(-z < Z < z) = level for a standard normal Z: Phi^-1((1 + level) / 2).
    /// 1.2816 for 80%, 1.6449 for 90%. Requires 0 < level < 1.
    public static func zForCentralInterval(level: Double) -> Double {
        gsl_cdf_ugaussian_Pinv((1 + level) / 2)
    }

    /// P(X <= x). A switch on the concrete laws rather than `law.cdf(x)`: opening `law` would
    /// copy a law to the heap at every call (a mixture's quantile calls its components' CDFs
    /// hundreds of times per draw), and the copula's and quasi-random samplers call this per draw.
    public func cdf(_ x: Double) -> Double {
        switch self {
        case let .logNormal(d): return d.cdf(x)
        case let .normal(d): return d.cdf(x)
        case let .fixed(d): return d.cdf(x)
        case let .uniform(d): return d.cdf(x)
        case let .logUniform(d): return d.cdf(x)
        case let .triangular(d): return d.cdf(x)
        case let .pert(d): return d.cdf(x)
        case let .beta(d): return d.cdf(x)
        case let .bernoulli(d): return d.cdf(x)
        case let .mixture(d): return d.cdf(x)
        case let .metalog(d): return d.cdf(x)
        }
    }

    /// The p-quantile, inf{x : P(X <= x) >= p}, for 0 < p < 1: closed forms, GSL's inverse
    /// CDFs (normal, beta), the metalog's own quantile function, or bisection on the CDF (mixture).
    /// A switch on the concrete laws, as `cdf` is, for speed.
    public func quantile(_ p: Double) -> Double {
        switch self {
        case let .logNormal(d): return d.quantile(p)
        case let .normal(d): return d.quantile(p)
        case let .fixed(d): return d.quantile(p)
        case let .uniform(d): return d.quantile(p)
        case let .logUniform(d): return d.quantile(p)
        case let .triangular(d): return d.quantile(p)
        case let .pert(d): return d.quantile(p)
        case let .beta(d): return d.quantile(p)
        case let .bernoulli(d): return d.quantile(p)
        case let .mixture(d): return d.quantile(p)
        case let .metalog(d): return d.quantile(p)
        }
    }

    /// The quantile at Phi(z), for a standard normal score z (Gaussian copula), with Phi(z)
    /// kept inside (0, 1) so that no unbounded law is asked for its 0 or 1 quantile.
    package func quantile(normalScore z: Double) -> Double {
        quantile(min(max(gsl_cdf_ugaussian_P(z), Double.leastNonzeroMagnitude), 1.0.nextDown))
    }

    /// The greatest lower bound of the values the law can take (0 for a lognormal, -inf for an
    /// untruncated normal).
    public var lowerSupport: Double {
        law.lowerSupport
    }

    /// Whether a draw can be 0 or below: a lower support at or below 0, except for the lognormal,
    /// whose 0 is only a limit (its logs are drawn directly).
    public var reachesNonPositive: Bool {
        law.reachesNonPositive
    }

    /// Whether the law, or a component of it, puts mass on 0 itself (a Bernoulli, a fixed 0),
    /// which has no log.
    public var hasAtomAtZero: Bool {
        law.hasAtomAtZero
    }

    /// Whether the law, or a component of it, is a Bernoulli (whose 0 has no log).
    public var containsBernoulli: Bool {
        law.containsBernoulli
    }

    /// One draw, as a value (used for the components of a mixture).
    package func draw(_ r: UnsafeMutablePointer<gsl_rng>) -> Double {
        switch self {
        case let .logNormal(d): return exp(d.mu + d.sigma * gsl_ran_gaussian_ziggurat(r, 1.0))
        case let .normal(d) where d.usesRejection:
            let t = d.truncated
            let lower = d.lower ?? -.infinity
            let upper = d.upper ?? .infinity
            var x: Double
            repeat { x = t.mean + t.sd * gsl_ran_gaussian_ziggurat(r, 1.0) } while !(x >= lower && x <= upper)
            return x
        case let .normal(d): return d.truncated.quantile(gsl_rng_uniform_pos(r))
        case let .fixed(d): return d.value
        case let .uniform(d): return d.quantile(gsl_rng_uniform_pos(r))
        case let .logUniform(d): return exp(d.logQuantile(gsl_rng_uniform_pos(r)))
        case let .triangular(d): return d.quantile(gsl_rng_uniform_pos(r))
        case let .pert(d): return d.law.draw(r)
        case let .beta(d): return d.law.draw(r)
        case let .bernoulli(d): return gsl_rng_uniform(r) < d.p ? 1 : 0
        case let .mixture(d): return d.component(gsl_rng_uniform(r)).draw(r)
        default: return quantile(gsl_rng_uniform_pos(r))  // a law without a draw of its own (the metalog)
        }
    }

    /// The quantiles the law was fitted to (`quantiles` of a metalog, lognormal or normal),
    /// empty for a law given otherwise.
    public var givenQuantiles: [QuantilePoint] {
        law.givenQuantiles
    }

    /// Whether this is a constant (`fixed`).
    public var isFixed: Bool {
        if case .fixed = self { return true }
        return false
    }

    /// A short human description, e.g. `lognormal(median 2.739, sigma 0.6119)`.
    public var summary: String {
        law.summary
    }

    /// The distribution as a scenario writes it, in the form its parameters were given
    /// (`ci` + `level`, or `median` + `sigma`, ...), so a record shows what the user wrote.
    public var document: JSONValue {
        law.document
    }
}

/// Problems with a distribution's parameters. Each issue's path is relative to the distribution
/// (`ci`, `ci[0]`, `sigma`, or empty for the whole), so a reader can prefix its JSON path.
public struct DistributionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Every rule broken, each with its path relative to the distribution.
    public var issues: [ValidationIssue]

    /// The issues, joined by "; ".
    public var description: String { issues.map(\.description).joined(separator: "; ") }
}

/// Collects every broken parameter rule of one distribution before it is built.
struct ParameterRules {
    private(set) var issues: [ValidationIssue] = []

    /// Records `message` at `path` unless `holds`; returns `holds`.
    @discardableResult
    mutating func require(_ holds: Bool, _ path: String, _ message: @autoclosure () -> String) -> Bool {
        if !holds { issues.append(ValidationIssue(path: path, message: message())) }
        return holds
    }

    /// x is finite and > 0.
    @discardableResult
    mutating func positive(_ x: Double, _ path: String) -> Bool {
        finite(x, path) && require(x > 0, path, "must be > 0 (got \(formatNumber(x)))")
    }

    @discardableResult
    mutating func finite(_ x: Double, _ path: String) -> Bool {
        require(x.isFinite, path, "must be a finite number")
    }

    /// A confidence level strictly between 0 and 1 whose z is a usable positive number
    /// (a level below about 1e-16 rounds (1 + level) / 2 to 1/2 and z to 0).
    @discardableResult
    mutating func level(_ level: Double, _ path: String) -> Bool {
        guard finite(level, path),
            require(
                level > 0 && level < 1, path,
                "must be strictly between 0 and 1 (e.g. 0.8 for an 80% interval) (got \(formatNumber(level)))")
        else { return false }
        let z = Distribution.zForCentralInterval(level: level)
        return require(
            z.isFinite && z > 1e-9, path,
            "level \(formatNumber(level)) is too close to 0 or 1 for an interval to mean anything")
    }

    /// lo < hi, both finite, reported at `path` as an interval.
    @discardableResult
    mutating func interval(_ lo: Double, _ hi: Double, _ path: String) -> Bool {
        require(lo < hi, path, "low end \(formatNumber(lo)) must be below high end \(formatNumber(hi))")
    }

    /// min < max (both already checked finite) and a finite width max - min, reported as the
    /// bounds of a support; returns whether both hold.
    @discardableResult
    mutating func span(_ min: Double, _ max: Double) -> Bool {
        require(min < max, "min", "min \(formatNumber(min)) must be below max \(formatNumber(max))")
            && require((max - min).isFinite, "", "its width max - min leaves the range of a double; narrow it")
    }

    /// Throws every recorded issue, if any.
    func check() throws {
        if !issues.isEmpty { throw DistributionError(issues: issues) }
    }
}
