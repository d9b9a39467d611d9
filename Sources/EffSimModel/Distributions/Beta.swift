import CGSL
import EffSimCore
import Foundation

/// min + (max - min) B, B ~ Beta(alpha, beta): the law shared by `beta` and `pert`.
public struct ScaledBeta: Sendable, Equatable {
    /// The first shape, > 0.
    public let alpha: Double
    /// The second shape, > 0.
    public let beta: Double
    /// The lower end of the support.
    public let min: Double
    /// The upper end of the support (> min).
    public let max: Double

    /// P(X <= x) = gsl_cdf_beta_P((x - min) / (max - min)), 0 below min and 1 above max.
    public func cdf(_ x: Double) -> Double {
        if x <= min { return 0 }
        if x >= max { return 1 }
        return gsl_cdf_beta_P((x - min) / (max - min), alpha, beta)
    }

    /// Shapes above this are refused: GSL's inverse beta CDF stops converging (at alpha = beta
    /// = 1e6 it does not return).
    public static let maximumShape = 1e5

    /// min + (max - min) gsl_cdf_beta_Pinv(p), 0 <= p <= 1. Where GSL's inverse fails (it
    /// returns NaN for shapes near 0.01 and below), bisection on gsl_cdf_beta_P to full precision.
    public func quantile(_ p: Double) -> Double {
        // GSL's default handler aborts the process where its inverse fails; ours returns NaN.
        GSL.configure()
        var b = gsl_cdf_beta_Pinv(p, alpha, beta)
        if !(b >= 0 && b <= 1) {
            var lo = 0.0
            var hi = 1.0
            for _ in 0..<1100 {
                let mid = lo + (hi - lo) / 2
                if mid <= lo || mid >= hi { break }
                if gsl_cdf_beta_P(mid, alpha, beta) >= p { hi = mid } else { lo = mid }
            }
            b = hi
        }
        return Swift.min(Swift.max(min + (max - min) * b, min), max)
    }

    /// The density at x.
    public func density(_ x: Double) -> Double {
        gsl_ran_beta_pdf((x - min) / (max - min), alpha, beta) / (max - min)
    }

    @inline(__always)
    package func draw(_ r: UnsafeMutablePointer<gsl_rng>) -> Double {
        Swift.min(Swift.max(min + (max - min) * gsl_ran_beta(r, alpha, beta), min), max)
    }
}

/// The beta law with shape `alpha`, `beta` (> 0), on [min, max] (default [0, 1]).
public struct BetaDistribution: Sendable, Equatable {
    /// The law sampled.
    public let law: ScaledBeta
    /// Whether min and max were given (the document writes them back only then).
    public let boundsGiven: Bool

    /// The first shape.
    public var alpha: Double { law.alpha }
    /// The second shape.
    public var beta: Double { law.beta }
    /// The lower end (0 unless given).
    public var min: Double { law.min }
    /// The upper end (1 unless given).
    public var max: Double { law.max }

    /// Beta(alpha, beta) on [min, max]; without bounds on [0, 1].
    public init(alpha: Double, beta: Double, min: Double? = nil, max: Double? = nil) throws {
        var rules = ParameterRules()
        for (x, key) in [(alpha, "alpha"), (beta, "beta")] where rules.positive(x, key) {
            rules.require(
                x <= ScaledBeta.maximumShape, key,
                "must be at most \(formatNumber(ScaledBeta.maximumShape)) (got \(formatNumber(x)))")
        }
        if (min == nil) != (max == nil) {
            rules.require(false, min == nil ? "min" : "max", "give both min and max, or neither (default 0 and 1)")
        } else if let min, let max {
            let a = rules.finite(min, "min")
            let b = rules.finite(max, "max")
            if a && b { rules.span(min, max) }
        }
        try rules.check()
        law = ScaledBeta(alpha: alpha, beta: beta, min: min ?? 0, max: max ?? 1)
        boundsGiven = min != nil
    }

    package var document: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("type", .string("beta")), ("alpha", .number(alpha)), ("beta", .number(beta)),
        ]
        if boundsGiven { members += [("min", .number(min)), ("max", .number(max))] }
        return .object(members)
    }
}

/// The PERT law: a beta on [min, max] with alpha = 1 + lambda (mode - min) / (max - min),
/// beta = 1 + lambda (max - mode) / (max - min); lambda > 0 (default 4) weighs the mode.
public struct PERT: Sendable, Equatable {
    /// lambda when none is given: the classic PERT weight of the mode.
    public static let defaultLambda = 4.0
    /// Keeps both shapes (at most 1 + lambda) within `ScaledBeta.maximumShape`.
    public static let maximumLambda = 1e4

    /// The lower end.
    public let min: Double
    /// The most likely value, min <= mode <= max.
    public let mode: Double
    /// The upper end, > min.
    public let max: Double
    /// As given (nil: the default, and the document leaves it out).
    public let lambdaGiven: Double?
    /// The beta law the shapes give, on [min, max].
    public let law: ScaledBeta

    /// lambda as used: the given one or `defaultLambda`.
    public var lambda: Double { lambdaGiven ?? Self.defaultLambda }

    /// PERT(min, mode, max, lambda); throws a `DistributionError` listing every broken rule
    /// (min <= mode <= max, min < max, 0 < lambda <= `maximumLambda`).
    public init(min: Double, mode: Double, max: Double, lambda: Double? = nil) throws {
        var rules = ParameterRules()
        if let lambda, rules.positive(lambda, "lambda") {
            rules.require(
                lambda <= Self.maximumLambda, "lambda",
                "must be at most \(formatNumber(Self.maximumLambda)) (got \(formatNumber(lambda)))")
        }
        try rules.checkMinModeMax(min: min, mode: mode, max: max)
        let l = lambda ?? Self.defaultLambda
        let w = max - min
        law = ScaledBeta(alpha: 1 + l * (mode - min) / w, beta: 1 + l * (max - mode) / w, min: min, max: max)
        self.min = min
        self.mode = mode
        self.max = max
        lambdaGiven = lambda
    }

    package var document: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("type", .string("pert")), ("min", .number(min)), ("mode", .number(mode)), ("max", .number(max)),
        ]
        if let lambdaGiven { members.append(("lambda", .number(lambdaGiven))) }
        return .object(members)
    }
}

extension BetaDistribution: DistributionLaw {
    package static let typeName = "beta"
    package static let keys: Set<String> = ["type", "alpha", "beta", "min", "max"]
    package static let requiredKeys = ["alpha", "beta"]

    package static func read(_ value: JSONValue, at path: String, with reader: inout ScenarioReader) throws
        -> Distribution?
    {
        let a = reader.parameter(value, "alpha", at: path)
        let b = reader.parameter(value, "beta", at: path)
        let lo = reader.optionalParameter(value, "min", at: path)
        let hi = reader.optionalParameter(value, "max", at: path)
        guard let a, let b, let lo, let hi else { return nil }
        return try .beta(alpha: a, beta: b, min: lo, max: hi)
    }

    package var summary: String {
        let on = boundsGiven ? ", on [\(shortNumber(min)), \(shortNumber(max))])" : ")"
        return "beta(alpha \(shortNumber(alpha)), beta \(shortNumber(beta))" + on
    }
    package func cdf(_ x: Double) -> Double { law.cdf(x) }
    package func quantile(_ p: Double) -> Double { law.quantile(p) }
    package var lowerSupport: Double { min }
}

extension PERT: DistributionLaw {
    package static let typeName = "pert"
    package static let keys: Set<String> = ["type", "min", "mode", "max", "lambda"]
    package static let requiredKeys = ["min", "mode", "max"]

    package static func read(_ value: JSONValue, at path: String, with reader: inout ScenarioReader) throws
        -> Distribution?
    {
        let lo = reader.parameter(value, "min", at: path)
        let mode = reader.parameter(value, "mode", at: path)
        let hi = reader.parameter(value, "max", at: path)
        let lambda = reader.optionalParameter(value, "lambda", at: path)
        guard let lo, let mode, let hi, let lambda else { return nil }
        return try .pert(min: lo, mode: mode, max: hi, lambda: lambda)
    }

    package var summary: String {
        "pert(min \(shortNumber(min)), mode \(shortNumber(mode)), max \(shortNumber(max)), lambda \(shortNumber(lambda)))"
    }
    package func cdf(_ x: Double) -> Double { law.cdf(x) }
    package func quantile(_ p: Double) -> Double { law.quantile(p) }
    package var lowerSupport: Double { min }
}
