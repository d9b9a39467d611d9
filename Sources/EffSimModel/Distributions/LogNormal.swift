import CGSL
import EffSimCore
import Foundation

/// X = exp(mu + sigma * Z), Z standard normal: median exp(mu), sigma > 0.
///
/// Built from a central confidence interval or from a median and sigma; the form given is kept
/// (`parameters`) so a record of the run shows the distribution as the user wrote it.
public struct LogNormal: Sendable, Equatable {
    /// The parameters as given.
    public enum Parameters: Sendable, Equatable {
        /// A central interval [low, high] at `level` (e.g. 0.8 for an 80% CI).
        case ci(low: Double, high: Double, level: Double)
        /// A median (> 0) and the log-scale sigma (> 0).
        case median(Double, sigma: Double)
        /// Two quantiles at any levels, [[p1, x1], [p2, x2]].
        case quantiles([QuantilePoint])
    }

    /// The form the parameters were given in.
    public let parameters: Parameters
    /// The mean of ln X: ln of the median.
    public let mu: Double
    /// The sd of ln X, > 0.
    public let sigma: Double

    /// The lognormal whose central `level` interval is [lo, hi]:
    /// median sqrt(lo * hi), sigma = ln(hi / lo) / (2 z), z = Phi^-1((1 + level) / 2).
    /// Requires 0 < lo < hi and 0 < level < 1.
    public init(ci lo: Double, _ hi: Double, level: Double) throws {
        var rules = ParameterRules()
        let low = rules.positive(lo, "ci[0]")
        let high = rules.positive(hi, "ci[1]")
        if low && high { rules.interval(lo, hi, "ci") }
        rules.level(level, "level")
        try rules.check()
        let z = Distribution.zForCentralInterval(level: level)
        // log(hi / lo) unless the ratio overflows; the two differ in the last bit.
        let ratio = hi / lo
        let width = ratio.isFinite ? log(ratio) : log(hi) - log(lo)
        try self.init(
            parameters: .ci(low: lo, high: hi, level: level), mu: (log(lo) + log(hi)) / 2, sigma: width / (2 * z))
    }

    /// The lognormal with the given median (> 0) and log-scale sigma (> 0).
    public init(median: Double, sigma: Double) throws {
        var rules = ParameterRules()
        rules.positive(median, "median")
        rules.positive(sigma, "sigma")
        try rules.check()
        try self.init(parameters: .median(median, sigma: sigma), mu: log(median), sigma: sigma)
    }

    /// The lognormal through two quantiles (p1, x1), (p2, x2), 0 < p1 < p2 < 1, 0 < x1 < x2:
    /// ln x_i = mu + sigma z_i with z_i = Phi^-1(p_i), so sigma = ln(x2 / x1) / (z2 - z1) and
    /// mu = ln x1 - sigma z1.
    public init(quantiles points: [QuantilePoint]) throws {
        var rules = ParameterRules()
        if rules.quantilePoints(points, count: 2...2) {
            rules.positive(points[0].value, "quantiles[0][1]")
        }
        try rules.check()
        let (a, b) = (points[0], points[1])
        let sigma = (log(b.value) - log(a.value)) / (b.normalScore - a.normalScore)
        try self.init(parameters: .quantiles(points), mu: log(a.value) - sigma * a.normalScore, sigma: sigma)
    }

    /// Refuses parameters whose draws would leave the doubles: the 1e-12 and 1 - 1e-12
    /// quantiles, exp(mu -/+ 7.03 sigma), must be finite and above zero.
    private init(parameters: Parameters, mu: Double, sigma: Double) throws {
        let tail = 7.03 * sigma
        let limit = log(Double.greatestFiniteMagnitude)
        var rules = ParameterRules()
        rules.require(
            mu.isFinite && sigma.isFinite && sigma > 0 && abs(mu) + tail < limit, "",
            "its draws leave the range of a double (median \(String(format: "%.4g", exp(mu))), sigma \(String(format: "%.4g", sigma))); narrow it"
        )
        try rules.check()
        self.parameters = parameters
        self.mu = mu
        self.sigma = sigma
    }

    /// P(X <= x) = Phi((ln x - mu) / sigma) for x > 0, else 0.
    public func cdf(_ x: Double) -> Double {
        x <= 0 ? 0 : gsl_cdf_ugaussian_P((log(x) - mu) / sigma)
    }

    /// The p-quantile exp(mu + sigma Phi^-1(p)), 0 < p < 1.
    public func quantile(_ p: Double) -> Double {
        exp(mu + sigma * gsl_cdf_ugaussian_Pinv(p))
    }

    package var document: JSONValue {
        switch parameters {
        case let .ci(lo, hi, level):
            return .object([
                ("type", .string("lognormal")), ("ci", .array([.number(lo), .number(hi)])), ("level", .number(level)),
            ])
        case let .median(m, s):
            return .object([("type", .string("lognormal")), ("median", .number(m)), ("sigma", .number(s))])
        case let .quantiles(points):
            return .object([("type", .string("lognormal")), ("quantiles", QuantilePoint.document(points))])
        }
    }
}

/// The constant `value` (> 0, finite).
public struct FixedValue: Sendable, Equatable {
    /// The value, >= 0 and finite (0 only for a factor without a floor: a mixture's zero component).
    public let value: Double

    /// The constant `value`; throws a `DistributionError` unless it is finite and >= 0.
    public init(_ value: Double) throws {
        var rules = ParameterRules()
        if rules.finite(value, "value") {
            rules.require(value >= 0, "value", "must be >= 0 (got \(formatNumber(value)))")
        }
        try rules.check()
        self.value = value
    }
}

extension LogNormal: DistributionLaw {
    package static let typeName = "lognormal"
    package static let keys: Set<String> = ["type", "ci", "level", "median", "sigma", "quantiles"]

    /// One of three forms: `ci` + `level`, `median` + `sigma`, or two `quantiles`.
    package static func read(_ value: JSONValue, at path: String, with reader: inout ScenarioReader) throws
        -> Distribution?
    {
        guard
            let form = reader.parameterForm(value, at: path, ciKeys: ["ci", "level"], directKeys: ["median", "sigma"])
        else { return nil }
        switch form {
        case .quantiles:
            guard let points = reader.quantilePoints(value["quantiles"], at: "\(path).quantiles") else { return nil }
            return try .logNormal(quantiles: points)
        case .ci:
            guard let (lo, hi, level) = reader.ci(value, at: path) else { return nil }
            return try .logNormal(ci: lo, hi, level: level)
        case .direct:
            let median = reader.parameter(value, "median", at: path)
            let sigma = reader.parameter(value, "sigma", at: path)
            guard let median, let sigma else { return nil }
            return try .logNormal(median: median, sigma: sigma)
        }
    }

    package var summary: String { "lognormal(median \(shortNumber(exp(mu))), sigma \(shortNumber(sigma)))" }
    /// 0, a limit only: the logs are drawn directly.
    package var lowerSupport: Double { 0 }
    package var reachesNonPositive: Bool { false }
    package var givenQuantiles: [QuantilePoint] {
        if case let .quantiles(points) = parameters { return points }
        return []
    }
}

extension FixedValue: DistributionLaw {
    package static let typeName = "fixed"
    package static let keys: Set<String> = ["type", "value"]
    package static let requiredKeys = ["value"]

    package static func read(_ value: JSONValue, at path: String, with reader: inout ScenarioReader) throws
        -> Distribution?
    {
        guard let v = reader.parameter(value, "value", at: path) else { return nil }
        return try .fixed(v)
    }

    package var document: JSONValue { .object([("type", .string("fixed")), ("value", .number(value))]) }
    package var summary: String { "fixed(\(shortNumber(value)))" }
    package func cdf(_ x: Double) -> Double { x < value ? 0 : 1 }
    package func quantile(_ p: Double) -> Double { value }
    package var lowerSupport: Double { value }
    package var hasAtomAtZero: Bool { value == 0 }
}
