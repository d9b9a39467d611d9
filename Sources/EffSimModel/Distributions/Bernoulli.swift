import CGSL
import EffSimCore
import Foundation

/// 1 with probability p, else 0 (0 <= p <= 1).
///
/// Its value 0 has no logarithm, so a bernoulli factor is sampled as values (see
/// `Factor.canBeNonPositive`) and needs `"floor": null`: a floor would turn its 0 into the floor,
/// and the scenario reader refuses one.
public struct Bernoulli: Sendable, Equatable {
    /// P(X = 1), from 0 to 1.
    public let p: Double

    /// Bernoulli(p); throws a `DistributionError` unless 0 <= p <= 1.
    public init(p: Double) throws {
        var rules = ParameterRules()
        if rules.finite(p, "p") {
            rules.require(p >= 0 && p <= 1, "p", "must be between 0 and 1 (got \(formatNumber(p)))")
        }
        try rules.check()
        self.p = p
    }

    /// P(X <= x): 0 below 0, 1 - p on [0, 1), 1 from 1.
    public func cdf(_ x: Double) -> Double {
        x < 0 ? 0 : x < 1 ? 1 - p : 1
    }

    /// inf{x : P(X <= x) >= q}: 0 when q <= 1 - p, else 1.
    public func quantile(_ q: Double) -> Double {
        q <= 1 - p ? 0 : 1
    }

    package var document: JSONValue {
        .object([("type", .string("bernoulli")), ("p", .number(p))])
    }
}

extension Bernoulli: DistributionLaw {
    package static let typeName = "bernoulli"
    package static let keys: Set<String> = ["type", "p"]
    package static let requiredKeys = ["p"]

    package static func read(_ value: JSONValue, at path: String, with reader: inout ScenarioReader) throws
        -> Distribution?
    {
        guard let p = reader.parameter(value, "p", at: path) else { return nil }
        return try .bernoulli(p: p)
    }

    package var summary: String { "bernoulli(p \(shortNumber(p)))" }
    package var lowerSupport: Double { 0 }
    package var hasAtomAtZero: Bool { true }
    package var containsBernoulli: Bool { true }
}
