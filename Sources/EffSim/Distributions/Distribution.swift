import CGSL
import Foundation

/// The probability law of one factor, before clamping.
///
/// Every case holds a value that was checked when it was built (`LogNormal`, `Normal`,
/// `FixedValue` have throwing initialisers that hold their rules), so a `Distribution` that
/// exists is valid: the scenario reader, code that builds scenarios in Swift and sweeps all go
/// through the same door, and nothing downstream re-checks.
public enum Distribution: Sendable, Equatable {
    case logNormal(LogNormal)
    case normal(Normal)
    case fixed(FixedValue)

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
    public static func normal(ci lo: Double, _ hi: Double, level: Double,
                              lower: Double? = nil, upper: Double? = nil) throws -> Distribution {
        .normal(try Normal(ci: lo, hi, level: level, lower: lower, upper: upper))
    }

    /// Normal(mean, sd^2) truncated to [lower, upper].
    public static func normal(mean: Double, sd: Double, lower: Double? = nil, upper: Double? = nil) throws -> Distribution {
        .normal(try Normal(mean: mean, sd: sd, lower: lower, upper: upper))
    }

    /// The constant `value`.
    public static func fixed(_ value: Double) throws -> Distribution {
        .fixed(try FixedValue(value))
    }

    /// z such that P(-z < Z < z) = level for a standard normal Z: Phi^-1((1 + level) / 2).
    /// 1.2816 for 80%, 1.6449 for 90%. Requires 0 < level < 1.
    public static func zForCentralInterval(level: Double) -> Double {
        gsl_cdf_ugaussian_Pinv((1 + level) / 2)
    }

    /// P(X <= x).
    public func cdf(_ x: Double) -> Double {
        switch self {
        case let .logNormal(d): return d.cdf(x)
        case let .normal(d): return d.truncated.cdf(x)
        case let .fixed(d): return x < d.value ? 0 : 1
        }
    }

    /// The p-quantile, inf{x : P(X <= x) >= p}, for 0 < p < 1, from GSL's inverse normal CDF.
    public func quantile(_ p: Double) -> Double {
        switch self {
        case let .logNormal(d): return d.quantile(p)
        case let .normal(d): return d.truncated.quantile(p)
        case let .fixed(d): return d.value
        }
    }

    /// The smallest value the law can take (0 for a lognormal, -inf for an untruncated normal).
    public var lowerSupport: Double {
        switch self {
        case .logNormal: return 0
        case let .normal(d): return d.lower ?? -.infinity
        case let .fixed(d): return d.value
        }
    }

    public var isFixed: Bool {
        if case .fixed = self { return true }
        return false
    }

    /// A short human description, e.g. `lognormal(median 2.739, sigma 0.6119)`.
    public var summary: String {
        func g(_ x: Double) -> String { String(format: "%.4g", x) }
        switch self {
        case let .logNormal(d):
            return "lognormal(median \(g(exp(d.mu))), sigma \(g(d.sigma)))"
        case let .normal(d):
            var s = "normal(mean \(g(d.mean)), sd \(g(d.sd))"
            if d.lower != nil || d.upper != nil {
                s += ", truncated to [\(d.lower.map(g) ?? "-inf"), \(d.upper.map(g) ?? "inf")]"
            }
            return s + ")"
        case let .fixed(d):
            return "fixed(\(g(d.value)))"
        }
    }

    /// The distribution as a scenario writes it, in the form its parameters were given
    /// (`ci` + `level`, or `median` + `sigma`, ...), so a record shows what the user wrote.
    public var document: JSONValue {
        switch self {
        case let .logNormal(d): return d.document
        case let .normal(d): return d.document
        case let .fixed(d): return .object([("type", .string("fixed")), ("value", .number(d.value))])
        }
    }
}

/// Problems with a distribution's parameters. Each issue's path is relative to the distribution
/// (`ci`, `ci[0]`, `sigma`, or empty for the whole), so a reader can prefix its JSON path.
public struct DistributionError: Error, Equatable, Sendable, CustomStringConvertible {
    public var issues: [ValidationIssue]

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
              require(level > 0 && level < 1, path, "must be strictly between 0 and 1 (e.g. 0.8 for an 80% interval) (got \(formatNumber(level)))")
        else { return false }
        let z = Distribution.zForCentralInterval(level: level)
        return require(z.isFinite && z > 1e-9, path, "level \(formatNumber(level)) is too close to 0 or 1 for an interval to mean anything")
    }

    /// lo < hi, both finite, reported at `path` as an interval.
    @discardableResult
    mutating func interval(_ lo: Double, _ hi: Double, _ path: String) -> Bool {
        require(lo < hi, path, "low end \(formatNumber(lo)) must be below high end \(formatNumber(hi))")
    }

    /// Throws every recorded issue, if any.
    func check() throws {
        if !issues.isEmpty { throw DistributionError(issues: issues) }
    }
}
