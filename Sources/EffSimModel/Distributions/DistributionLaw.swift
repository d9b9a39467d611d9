import EffSimCore
import Foundation

/// One probability law, everything about it in its own file: the `type` name it is read from,
/// how its JSON object is read (shape here, parameter rules in its throwing initialiser), its
/// document (written back as given), its CDF, quantile and support.
///
/// `Distribution` dispatches through `law` (its `cdf` and `quantile` switch on the concrete law,
/// for speed), and the reader looks a `type` up in `Distribution.laws`: adding a law is its file,
/// one line in that list and in `law`, its case in `Distribution` (with its line in `cdf` and
/// `quantile`), the schema and its tests (Guides/Developing.md, "Adding a distribution"). The
/// sampling loop keeps its own fast paths (`FactorSampler`); a law without one is sampled
/// through `quantile`.
package protocol DistributionLaw: Sendable {
    /// The `type` it is read from, e.g. `"lognormal"`.
    static var typeName: String { get }
    /// The keys its object may hold, `type` included.
    static var keys: Set<String> { get }
    /// The keys it cannot do without, besides `type` (a law with several forms checks them itself).
    static var requiredKeys: [String] { get }
    /// The law read from `value` (an object whose keys were checked against `keys`), or nil with
    /// the shape's issues added to `reader`; throws the parameters' `DistributionError`.
    static func read(_ value: JSONValue, at path: String, with reader: inout ScenarioReader) throws -> Distribution?

    /// The law as a scenario writes it, in the form its parameters were given.
    var document: JSONValue { get }
    /// A short human description, e.g. `uniform(min 1, max 2)`.
    var summary: String { get }
    /// P(X <= x).
    func cdf(_ x: Double) -> Double
    /// The p-quantile, inf{x : P(X <= x) >= p}, for 0 < p < 1.
    func quantile(_ p: Double) -> Double
    /// The greatest lower bound of the values it takes.
    var lowerSupport: Double { get }
    /// Whether a draw can be 0 or below (default: a lower support at or below 0).
    var reachesNonPositive: Bool { get }
    /// Whether it, or a component of it, puts mass on 0 itself (default: no).
    var hasAtomAtZero: Bool { get }
    /// Whether it, or a component of it, is a Bernoulli (default: no).
    var containsBernoulli: Bool { get }
    /// The quantiles it was fitted to (default: none).
    var givenQuantiles: [QuantilePoint] { get }
}

extension DistributionLaw {
    package static var requiredKeys: [String] { [] }
    package var reachesNonPositive: Bool { lowerSupport <= 0 }
    package var hasAtomAtZero: Bool { false }
    package var containsBernoulli: Bool { false }
    package var givenQuantiles: [QuantilePoint] { [] }
}

extension Distribution {
    /// Every law a scenario can name, by `type`: the reader's one table.
    package static let laws: [any DistributionLaw.Type] = [
        LogNormal.self, Normal.self, Metalog.self, FixedValue.self, Uniform.self, LogUniform.self,
        Triangular.self, PERT.self, BetaDistribution.self, Bernoulli.self, Mixture.self,
    ]

    /// The law whose `type` is `name`, if any.
    package static func law(named name: String) -> (any DistributionLaw.Type)? {
        laws.first { $0.typeName == name }
    }

    /// The law this case holds.
    package var law: any DistributionLaw {
        switch self {
        case let .logNormal(d): return d
        case let .normal(d): return d
        case let .fixed(d): return d
        case let .uniform(d): return d
        case let .logUniform(d): return d
        case let .triangular(d): return d
        case let .pert(d): return d
        case let .beta(d): return d
        case let .bernoulli(d): return d
        case let .mixture(d): return d
        case let .metalog(d): return d
        }
    }
}

/// A parameter in a summary: four significant digits.
func shortNumber(_ x: Double) -> String { String(format: "%.4g", x) }

extension ScenarioReader {
    /// The number at `object[key]`, checked at `path.key`; nil (with the issue) when absent or not a number.
    mutating func parameter(_ object: JSONValue, _ key: String, at path: String) -> Double? {
        number(object[key], at: "\(path).\(key)", rule: .any)
    }

    /// An optional number at `object[key]`: .some(nil) when absent, .none when not a number.
    mutating func optionalParameter(_ object: JSONValue, _ key: String, at path: String) -> Double?? {
        object[key] == nil ? .some(nil) : parameter(object, key, at: path).map { Optional<Double>.some($0) }
    }

    /// `min` and `max`, both required.
    mutating func bounds(_ object: JSONValue, at path: String) -> (min: Double, max: Double)? {
        let lo = parameter(object, "min", at: path)
        let hi = parameter(object, "max", at: path)
        guard let lo, let hi else { return nil }
        return (lo, hi)
    }
}
