import CGSL
import EffSimCore
import Foundation

/// One elicited quantile, `[probability, value]` in a scenario: "10% 1.25x" is (0.1, 1.25),
/// P(X <= 1.25) = 0.1. The laws fitted to quantiles (`Metalog`, and `LogNormal` and `Normal`
/// through two of them) keep the points as given, so a record shows what the user wrote.
public struct QuantilePoint: Sendable, Equatable {
    /// The cumulative probability, strictly between 0 and 1.
    public let probability: Double
    /// The value at that probability.
    public let value: Double

    public init(probability: Double, value: Double) {
        self.probability = probability
        self.value = value
    }

    /// Phi^-1(probability): the standard normal score of the point.
    var normalScore: Double { gsl_cdf_ugaussian_Pinv(probability) }

    /// `[probability, value]`, as a scenario writes it.
    var document: JSONValue { .array([.number(probability), .number(value)]) }

    /// The points as a scenario's `quantiles` array.
    static func document(_ points: [QuantilePoint]) -> JSONValue { .array(points.map(\.document)) }

    /// `[p, x]` for messages.
    var text: String { "[\(formatNumber(probability)), \(formatNumber(value))]" }
}

extension ParameterRules {
    /// The rules every list of quantile points keeps, reported at `quantiles[i]`: `count`
    /// points, each probability strictly between 0 and 1, each value finite, both strictly
    /// increasing from one point to the next (a quantile function cannot fall or stay flat).
    /// Returns whether they all hold.
    @discardableResult
    mutating func quantilePoints(_ points: [QuantilePoint], count: ClosedRange<Int>) -> Bool {
        let expected =
            count.lowerBound == count.upperBound ? "\(count.lowerBound)" : "\(count.lowerBound) to \(count.upperBound)"
        guard
            require(
                count.contains(points.count), "quantiles",
                "expected \(expected) [probability, value] pairs, found \(points.count)")
        else { return false }
        var good = true
        for (i, point) in points.enumerated() {
            let p = point.probability
            good =
                (finite(p, "quantiles[\(i)][0]")
                    && require(
                        p > 0 && p < 1, "quantiles[\(i)][0]",
                        "a probability must be strictly between 0 and 1 (got \(formatNumber(p)))"))
                && good
            good = finite(point.value, "quantiles[\(i)][1]") && good
        }
        guard good else { return false }
        for i in points.indices.dropFirst() {
            let (a, b) = (points[i - 1], points[i])
            good =
                require(
                    a.probability < b.probability, "quantiles[\(i)]",
                    "pairs must be in increasing order of probability: \(b.text) follows \(a.text)") && good
            good =
                require(
                    a.value < b.value, "quantiles[\(i)]",
                    "values must increase with probability: \(b.text) follows \(a.text)") && good
        }
        return good
    }
}
