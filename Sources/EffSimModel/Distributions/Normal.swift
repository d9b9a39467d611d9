import EffSimCore
import Foundation

/// Normal(mean, sd^2), optionally truncated to [lower, upper] (true truncation: the mass
/// outside the window is removed and the rest renormalised, never piled up at the bounds).
///
/// Built from a central confidence interval of the untruncated normal or from a mean and sd;
/// the form given is kept (`parameters`) so a record shows what the user wrote.
public struct Normal: Sendable, Equatable {
    /// The parameters as given.
    public enum Parameters: Sendable, Equatable {
        /// A central interval [low, high] at `level`, before truncation.
        case ci(low: Double, high: Double, level: Double)
        /// A mean and sd (> 0) of the untruncated normal.
        case mean(Double, sd: Double)
        /// Two quantiles at any levels, [[p1, x1], [p2, x2]], before truncation.
        case quantiles([QuantilePoint])
    }

    /// Below this much of the normal's mass a truncation window is refused as a mistake.
    public static let minimumMass = 1e-6

    /// The form the parameters were given in.
    public let parameters: Parameters
    /// A nil bound is infinite.
    public let lower: Double?
    /// The upper truncation bound; nil is infinite.
    public let upper: Double?
    /// The law sampled: the normal conditioned on the window.
    public let truncated: TruncatedNormal

    /// The untruncated normal's mean.
    public var mean: Double { truncated.mean }
    /// The untruncated normal's sd, > 0.
    public var sd: Double { truncated.sd }

    /// The normal whose central `level` interval (before truncation) is [lo, hi]:
    /// mean (lo + hi) / 2, sd (hi - lo) / (2 z). Requires lo < hi, 0 < level < 1.
    public init(ci lo: Double, _ hi: Double, level: Double, lower: Double? = nil, upper: Double? = nil) throws {
        var rules = ParameterRules()
        let low = rules.finite(lo, "ci[0]")
        let high = rules.finite(hi, "ci[1]")
        if low && high { rules.interval(lo, hi, "ci") }
        rules.level(level, "level")
        try rules.check()
        let z = Distribution.zForCentralInterval(level: level)
        try self.init(
            parameters: .ci(low: lo, high: hi, level: level),
            mean: lo / 2 + hi / 2, sd: (hi / 2 - lo / 2) / z, lower: lower, upper: upper)
    }

    /// Normal(mean, sd^2) with sd > 0, truncated to [lower, upper].
    public init(mean: Double, sd: Double, lower: Double? = nil, upper: Double? = nil) throws {
        var rules = ParameterRules()
        rules.finite(mean, "mean")
        rules.positive(sd, "sd")
        try rules.check()
        try self.init(parameters: .mean(mean, sd: sd), mean: mean, sd: sd, lower: lower, upper: upper)
    }

    /// The normal through two quantiles (p1, x1), (p2, x2) before truncation, 0 < p1 < p2 < 1,
    /// x1 < x2: x_i = mean + sd z_i with z_i = Phi^-1(p_i), so sd = (x2 - x1) / (z2 - z1) and
    /// mean = x1 - sd z1; then truncated to [lower, upper].
    public init(quantiles points: [QuantilePoint], lower: Double? = nil, upper: Double? = nil) throws {
        var rules = ParameterRules()
        rules.quantilePoints(points, count: 2...2)
        try rules.check()
        let (a, b) = (points[0], points[1])
        let sd = (b.value - a.value) / (b.normalScore - a.normalScore)
        try self.init(
            parameters: .quantiles(points), mean: a.value - sd * a.normalScore, sd: sd, lower: lower, upper: upper)
    }

    private init(parameters: Parameters, mean: Double, sd: Double, lower: Double?, upper: Double?) throws {
        var rules = ParameterRules()
        var bounds = true
        if let lower { bounds = rules.finite(lower, "lower") && bounds }
        if let upper { bounds = rules.finite(upper, "upper") && bounds }
        if bounds, let lower, let upper {
            bounds = rules.require(
                lower < upper, "lower",
                "lower bound \(formatNumber(lower)) must be below upper bound \(formatNumber(upper))")
        }
        rules.require(
            sd.isFinite && sd > 0 && mean.isFinite, "",
            "its mean and sd are not finite numbers (mean \(mean), sd \(sd)); narrow it")
        try rules.check()
        let t = TruncatedNormal(mean: mean, sd: sd, lower: lower, upper: upper)
        rules.require(
            t.mass >= Self.minimumMass, "",
            "the truncation window [\(lower.map(formatNumber) ?? "-inf"), \(upper.map(formatNumber) ?? "inf")] holds \(String(format: "%.3g", t.mass)) of the normal's mass (mean \(String(format: "%.4g", mean)), sd \(String(format: "%.4g", sd))); it needs at least \(Self.minimumMass)"
        )
        // Draws are made as values: the window's extreme quantiles must be finite.
        let far = [t.quantile(1e-12), t.quantile(1 - 1e-12)]
        rules.require(
            far.allSatisfy(\.isFinite), "",
            "its draws leave the range of a double (mean \(String(format: "%.4g", mean)), sd \(String(format: "%.4g", sd))); narrow it"
        )
        try rules.check()
        self.parameters = parameters
        self.lower = lower
        self.upper = upper
        truncated = t
    }

    /// Draws by rejection (redraw until inside the window) when the window keeps at least a
    /// quarter of the mass, so at most four draws are expected; otherwise by inverting the CDF.
    package var usesRejection: Bool { truncated.mass >= 0.25 }

    package var document: JSONValue {
        var members: [(key: String, value: JSONValue)] = [("type", .string("normal"))]
        switch parameters {
        case let .ci(lo, hi, level):
            members += [("ci", .array([.number(lo), .number(hi)])), ("level", .number(level))]
        case let .mean(m, sd):
            members += [("mean", .number(m)), ("sd", .number(sd))]
        case let .quantiles(points):
            members.append(("quantiles", QuantilePoint.document(points)))
        }
        if let lower { members.append(("lower", .number(lower))) }
        if let upper { members.append(("upper", .number(upper))) }
        return .object(members)
    }
}

extension Normal: DistributionLaw {
    package static let typeName = "normal"
    package static let keys: Set<String> = ["type", "ci", "level", "mean", "sd", "quantiles", "lower", "upper"]

    /// One of three forms (`ci` + `level`, `mean` + `sd`, or two `quantiles`), with optional
    /// truncation bounds `lower` and `upper`.
    package static func read(_ value: JSONValue, at path: String, with reader: inout ScenarioReader) throws
        -> Distribution?
    {
        guard let form = reader.parameterForm(value, at: path, ciKeys: ["ci", "level"], directKeys: ["mean", "sd"])
        else { return nil }
        let lower = reader.optionalNumber(value["lower"], at: "\(path).lower")
        let upper = reader.optionalNumber(value["upper"], at: "\(path).upper")
        guard let lower, let upper else { return nil }
        switch form {
        case .quantiles:
            guard let points = reader.quantilePoints(value["quantiles"], at: "\(path).quantiles") else { return nil }
            return try .normal(quantiles: points, lower: lower, upper: upper)
        case .ci:
            guard let (a, b, level) = reader.ci(value, at: path) else { return nil }
            return try .normal(ci: a, b, level: level, lower: lower, upper: upper)
        case .direct:
            let mean = reader.parameter(value, "mean", at: path)
            let sd = reader.parameter(value, "sd", at: path)
            guard let mean, let sd else { return nil }
            return try .normal(mean: mean, sd: sd, lower: lower, upper: upper)
        }
    }

    package var summary: String {
        var s = "normal(mean \(shortNumber(mean)), sd \(shortNumber(sd))"
        if lower != nil || upper != nil {
            s += ", truncated to [\(lower.map(shortNumber) ?? "-inf"), \(upper.map(shortNumber) ?? "inf")]"
        }
        return s + ")"
    }
    /// P(X <= x) of the truncated law.
    package func cdf(_ x: Double) -> Double { truncated.cdf(x) }
    /// The p-quantile of the truncated law.
    package func quantile(_ p: Double) -> Double { truncated.quantile(p) }
    package var lowerSupport: Double { lower ?? -.infinity }
    package var givenQuantiles: [QuantilePoint] {
        if case let .quantiles(points) = parameters { return points }
        return []
    }
}
