import CGSL
import EffSimCore
import Foundation

/// A weighted mixture of two or more distributions: with probability `weight` a draw comes from
/// that component. Weights are > 0 and sum to 1 (within 1e-9); a component is not a mixture.
public struct Mixture: Sendable, Equatable {
    /// One component: its weight and its distribution.
    public struct Component: Sendable, Equatable {
        /// The chance a draw comes from this component, > 0.
        public let weight: Double
        /// The component's law (not a mixture).
        public let distribution: Distribution

        /// A component (checked by `Mixture.init`).
        public init(weight: Double, distribution: Distribution) {
            self.weight = weight
            self.distribution = distribution
        }
    }

    /// How far the weights' sum may be from 1.
    public static let weightTolerance = 1e-9

    /// The components, in the order given.
    public let components: [Component]
    /// Running sums of the weights; the last is 1 exactly (it absorbs the rounding).
    let cumulative: [Double]

    /// A mixture of two or more components; throws a `DistributionError` listing every broken rule
    /// (weights > 0 summing to 1 within `weightTolerance`, no nested mixture).
    public init(_ components: [Component]) throws {
        var rules = ParameterRules()
        rules.require(components.count >= 2, "components", "must list two or more components (got \(components.count))")
        var weightsOK = true
        for (i, c) in components.enumerated() {
            weightsOK = rules.positive(c.weight, "components[\(i)].weight") && weightsOK
            if case .mixture = c.distribution {
                rules.require(false, "components[\(i)].distribution", "a mixture cannot contain a mixture")
            }
        }
        let sum = components.reduce(0) { $0 + $1.weight }
        if weightsOK && !components.isEmpty {
            rules.require(
                abs(sum - 1) <= Self.weightTolerance, "components",
                "the weights must sum to 1 (within 1e-9); they sum to \(String(format: "%.12g", sum))")
        }
        try rules.check()
        self.components = components
        var running = 0.0
        cumulative = components.indices.map { i in
            running += components[i].weight
            return i == components.count - 1 ? 1 : running
        }
    }

    /// P(X <= x) = sum of weight_i · F_i(x).
    public func cdf(_ x: Double) -> Double {
        Swift.min(components.reduce(0) { $0 + $1.weight * $1.distribution.cdf(x) }, 1)
    }

    /// inf{x : cdf(x) >= p}, by bisection on the CDF to full precision. The answer lies between
    /// the smallest and the largest of the components' p-quantiles.
    public func quantile(_ p: Double) -> Double {
        let qs = components.map { $0.distribution.quantile(p) }
        var lo = qs.min()!
        var hi = qs.max()!
        if lo == hi || cdf(lo) >= p { return lo }
        // Invariant: cdf(lo) < p <= cdf(hi).
        for _ in 0..<2100 {
            let mid = lo + (hi - lo) / 2
            if mid <= lo || mid >= hi { break }
            if cdf(mid) >= p { hi = mid } else { lo = mid }
        }
        return hi
    }

    /// The component chosen by a uniform u in [0, 1).
    @inline(__always)
    package func component(_ u: Double) -> Distribution {
        var k = 0
        while k < cumulative.count - 1 && u >= cumulative[k] { k += 1 }
        return components[k].distribution
    }

    package var document: JSONValue {
        .object([
            ("type", .string("mixture")),
            (
                "components",
                .array(
                    components.map {
                        .object([("weight", .number($0.weight)), ("distribution", $0.distribution.document)])
                    })
            ),
        ])
    }
}

extension Mixture: DistributionLaw {
    package static let typeName = "mixture"
    package static let keys: Set<String> = ["type", "components"]
    package static let requiredKeys = ["components"]
    /// The keys of one component.
    static let componentKeys: Set<String> = ["weight", "distribution"]

    /// Each component's `weight` and `distribution` (which cannot be a mixture itself).
    package static func read(_ value: JSONValue, at path: String, with reader: inout ScenarioReader) throws
        -> Distribution?
    {
        guard let items = reader.array(value["components"], at: "\(path).components") else { return nil }
        var components: [(weight: Double, distribution: Distribution)] = []
        for (i, item) in items.enumerated() {
            let at = "\(path).components[\(i)]"
            guard reader.object(item, at: at, allowed: componentKeys, required: ["weight", "distribution"]) != nil
            else { continue }
            let weight = reader.number(item["weight"], at: "\(at).weight", rule: .any)
            let d = reader.distribution(item["distribution"], at: "\(at).distribution", insideMixture: true)
            if let weight, let d { components.append((weight, d)) }
        }
        guard components.count == items.count else { return nil }
        return try .mixture(components: components)
    }

    package var summary: String {
        "mixture(" + components.map { "\(shortNumber($0.weight)) \($0.distribution.summary)" }.joined(separator: "; ")
            + ")"
    }
    package var lowerSupport: Double { components.map(\.distribution.lowerSupport).min()! }
    package var reachesNonPositive: Bool { components.contains { $0.distribution.reachesNonPositive } }
    package var hasAtomAtZero: Bool { components.contains { $0.distribution.hasAtomAtZero } }
    package var containsBernoulli: Bool { components.contains { $0.distribution.containsBernoulli } }
}
