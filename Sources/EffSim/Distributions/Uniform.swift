import CGSL
import Foundation

/// Every value in [min, max] equally likely: min < max, both finite.
public struct Uniform: Sendable, Equatable {
    public let min: Double
    public let max: Double

    public init(min: Double, max: Double) throws {
        var rules = ParameterRules()
        let a = rules.finite(min, "min"), b = rules.finite(max, "max")
        if a && b { rules.span(min, max) }
        try rules.check()
        self.min = min
        self.max = max
    }

    public func cdf(_ x: Double) -> Double {
        x <= min ? 0 : x >= max ? 1 : (x - min) / (max - min)
    }

    /// min + p (max - min), 0 <= p <= 1.
    public func quantile(_ p: Double) -> Double {
        Swift.min(Swift.max(min + p * (max - min), min), max)
    }

    var document: JSONValue {
        .object([("type", .string("uniform")), ("min", .number(min)), ("max", .number(max))])
    }
}
