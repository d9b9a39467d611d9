import CGSL
import EffSimCore
import Foundation

/// Every value in [min, max] equally likely: min < max, both finite.
public struct Uniform: Sendable, Equatable {
    /// The lower end.
    public let min: Double
    /// The upper end, > min.
    public let max: Double

    /// Uniform(min, max); throws a `DistributionError` unless min < max, both finite.
    public init(min: Double, max: Double) throws {
        var rules = ParameterRules()
        let a = rules.finite(min, "min")
        let b = rules.finite(max, "max")
        if a && b { rules.span(min, max) }
        try rules.check()
        self.min = min
        self.max = max
    }

    /// (x - min) / (max - min), clamped to [0, 1].
    public func cdf(_ x: Double) -> Double {
        x <= min ? 0 : x >= max ? 1 : (x - min) / (max - min)
    }

    /// min + p (max - min), 0 <= p <= 1.
    public func quantile(_ p: Double) -> Double {
        Swift.min(Swift.max(min + p * (max - min), min), max)
    }

    package var document: JSONValue {
        .object([("type", .string("uniform")), ("min", .number(min)), ("max", .number(max))])
    }
}

extension Uniform: DistributionLaw {
    package static let typeName = "uniform"
    package static let keys: Set<String> = ["type", "min", "max"]
    package static let requiredKeys = ["min", "max"]

    package static func read(_ value: JSONValue, at path: String, with reader: inout ScenarioReader) throws
        -> Distribution?
    {
        guard let (lo, hi) = reader.bounds(value, at: path) else { return nil }
        return try .uniform(min: lo, max: hi)
    }

    package var summary: String { "uniform(min \(shortNumber(min)), max \(shortNumber(max)))" }
    package var lowerSupport: Double { min }
}
