import EffSimCore
import Foundation

/// An expression that is a product, quotient or power of names with constant exponents, times
/// a positive constant, written in logs:
///
///     log y = logConstant + sum over terms of coefficient * log(value of slot)
///
/// e.g. `6[FLOP/(param*token)] * params * tokens` is log 6 + log params + log tokens, and
/// `flop / (peak * mfu * 3600[s/h])` is -log 3600 + log flop - log peak - log mfu.
/// Such an output can stay in log space like a `groups` output, but only when every slot it
/// reads is known to be positive (the caller knows which factors and outputs are).
public struct LogForm: Equatable, Sendable {
    /// One name's term: `coefficient * log(value of slot)`.
    public struct Term: Equatable, Sendable {
        /// The column index whose values the term reads.
        public var slot: Int
        /// The constant exponent of that slot's value (never 0 in `terms`).
        public var coefficient: Double
    }

    /// One term per slot, by increasing slot; terms whose coefficients cancel (x/x) are dropped.
    public var terms: [Term]
    /// The natural log of the constant factor.
    public var logConstant: Double

    init?(_ tree: ResolvedExpression) {
        guard let (coefficients, constant) = Self.decompose(tree) else { return nil }
        terms = coefficients.filter { $0.value != 0 }.sorted { $0.key < $1.key }
            .map { Term(slot: $0.key, coefficient: $0.value) }
        logConstant = constant
    }

    private static func decompose(_ e: ResolvedExpression) -> ([Int: Double], Double)? {
        switch e {
        case let .constant(c):
            return c > 0 ? ([:], Foundation.log(c)) : nil
        case let .slot(s):
            return ([s: 1], 0)
        case let .binary(.multiply, a, b), let .binary(.divide, a, b):
            guard let (x, cx) = decompose(a), let (y, cy) = decompose(b) else { return nil }
            let sign: Double = if case .binary(.divide, _, _) = e { -1 } else { 1 }
            return (x.merging(y.mapValues { sign * $0 }, uniquingKeysWith: +), cx + sign * cy)
        case let .binary(.power, a, .constant(k)):
            return scaled(a, by: k)
        case let .function(.sqrt, a):
            return scaled(a, by: 0.5)
        default:
            return nil
        }
    }

    private static func scaled(_ e: ResolvedExpression, by k: Double) -> ([Int: Double], Double)? {
        guard let (x, c) = decompose(e) else { return nil }
        return (x.mapValues { k * $0 }, k * c)
    }

    /// Writes log y for `count` trials; `logColumn(s)` points at the natural logs of slot s.
    public func evaluate(
        count n: Int, logColumn: (Int) -> UnsafePointer<Double>, into output: UnsafeMutablePointer<Double>
    ) {
        output.update(repeating: logConstant, count: n)
        for term in terms {
            let x = logColumn(term.slot)
            let c = term.coefficient
            if c == 1 {
                for i in 0..<n { output[i] += x[i] }
            } else {
                for i in 0..<n { output[i] += c * x[i] }
            }
        }
    }
}
