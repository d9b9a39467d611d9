import CGSL
import EffSimCore
import Foundation

/// The triangular law on [min, max] with its peak at `mode`: min <= mode <= max, min < max.
public struct Triangular: Sendable, Equatable {
    /// The lower end.
    public let min: Double
    /// The peak, min <= mode <= max.
    public let mode: Double
    /// The upper end, > min.
    public let max: Double

    /// Triangular(min, mode, max); throws a `DistributionError` listing every broken rule.
    public init(min: Double, mode: Double, max: Double) throws {
        var rules = ParameterRules()
        try rules.checkMinModeMax(min: min, mode: mode, max: max)
        self.min = min
        self.mode = mode
        self.max = max
    }

    /// P(X <= mode) = (mode - min) / (max - min).
    var modeProbability: Double { (mode - min) / (max - min) }

    /// (x - min)^2 / ((max - min)(mode - min)) up to the mode, 1 - (max - x)^2 / ((max - min)(max - mode)) above.
    public func cdf(_ x: Double) -> Double {
        if x <= min { return 0 }
        if x >= max { return 1 }
        let w = max - min
        if x <= mode { return (x - min) * (x - min) / (w * (mode - min)) }
        return 1 - (max - x) * (max - x) / (w * (max - mode))
    }

    /// Closed form: min + sqrt(p w (mode - min)) below the mode, max - sqrt((1 - p) w (max - mode)) above.
    public func quantile(_ p: Double) -> Double {
        let w = max - min
        let x =
            p <= modeProbability
            ? min + (p * w * (mode - min)).squareRoot()
            : max - ((1 - p) * w * (max - mode)).squareRoot()
        return Swift.min(Swift.max(x, min), max)
    }

    /// The density at x.
    public func density(_ x: Double) -> Double {
        if x < min || x > max { return 0 }
        let w = max - min
        return x <= mode ? 2 * (x - min) / (w * (mode - min)) : 2 * (max - x) / (w * (max - mode))
    }

    package var document: JSONValue {
        .object([
            ("type", .string("triangular")), ("min", .number(min)), ("mode", .number(mode)), ("max", .number(max)),
        ])
    }
}

extension ParameterRules {
    /// min <= mode <= max, min < max, all finite (triangular and PERT).
    mutating func checkMinModeMax(min: Double, mode: Double, max: Double) throws {
        let a = finite(min, "min")
        let m = finite(mode, "mode")
        let b = finite(max, "max")
        if a && b {
            span(min, max)
            if m && min < max {
                require(
                    mode >= min && mode <= max, "mode",
                    "must lie in [min, max] = [\(formatNumber(min)), \(formatNumber(max))] (got \(formatNumber(mode)))")
            }
        }
        try check()
    }
}

extension Triangular: DistributionLaw {
    package static let typeName = "triangular"
    package static let keys: Set<String> = ["type", "min", "mode", "max"]
    package static let requiredKeys = ["min", "mode", "max"]

    package static func read(_ value: JSONValue, at path: String, with reader: inout ScenarioReader) throws
        -> Distribution?
    {
        let lo = reader.parameter(value, "min", at: path)
        let mode = reader.parameter(value, "mode", at: path)
        let hi = reader.parameter(value, "max", at: path)
        guard let lo, let mode, let hi else { return nil }
        return try .triangular(min: lo, mode: mode, max: hi)
    }

    package var summary: String {
        "triangular(min \(shortNumber(min)), mode \(shortNumber(mode)), max \(shortNumber(max)))"
    }
    package var lowerSupport: Double { min }
}
