import CGSL
import EffSimCore
import Foundation

/// ln X uniform on [ln min, ln max]: 0 < min < max, both finite. Sampled in logs.
public struct LogUniform: Sendable, Equatable {
    /// The lower end, > 0.
    public let min: Double
    /// The upper end, > min.
    public let max: Double
    /// ln min.
    public let logMin: Double
    /// ln max.
    public let logMax: Double

    /// LogUniform(min, max); throws a `DistributionError` unless 0 < min < max, both finite.
    public init(min: Double, max: Double) throws {
        var rules = ParameterRules()
        let a = rules.positive(min, "min")
        let b = rules.positive(max, "max")
        // Both positive and finite: the width is finite whenever min < max.
        if a && b { rules.span(min, max) }
        try rules.check()
        self.min = min
        self.max = max
        logMin = log(min)
        logMax = log(max)
    }

    /// P(X <= x) = (ln x - ln min) / (ln max - ln min), clamped to [0, 1].
    public func cdf(_ x: Double) -> Double {
        x <= min ? 0 : x >= max ? 1 : (log(x) - logMin) / (logMax - logMin)
    }

    /// The p-quantile's natural log, ln min + p (ln max - ln min), within [ln min, ln max].
    @inline(__always)
    package func logQuantile(_ p: Double) -> Double {
        Swift.min(Swift.max(logMin + p * (logMax - logMin), logMin), logMax)
    }

    /// exp(ln min + p (ln max - ln min)), 0 <= p <= 1.
    public func quantile(_ p: Double) -> Double {
        Swift.min(Swift.max(exp(logQuantile(p)), min), max)
    }

    package var document: JSONValue {
        .object([("type", .string("loguniform")), ("min", .number(min)), ("max", .number(max))])
    }
}

extension LogUniform: DistributionLaw {
    package static let typeName = "loguniform"
    package static let keys: Set<String> = ["type", "min", "max"]
    package static let requiredKeys = ["min", "max"]

    package static func read(_ value: JSONValue, at path: String, with reader: inout ScenarioReader) throws
        -> Distribution?
    {
        guard let (lo, hi) = reader.bounds(value, at: path) else { return nil }
        return try .logUniform(min: lo, max: hi)
    }

    package var summary: String { "loguniform(min \(shortNumber(min)), max \(shortNumber(max)))" }
    package var lowerSupport: Double { min }
}
