import EffSimCore

/// A unit: `1` or a product of user symbols with integer powers, e.g. `FLOP/(GPU*s)`.
///
/// Symbols are the user's own words; there are no conversion tables, so `h` and `s` are as
/// unrelated as `GPU` and `token` until an expression multiplies by a constant such as
/// `3600[s/h]`. Named `UnitOfMeasure` because Foundation already has a class `Unit`.
///
/// Normal form (`normalForm`), used wherever a unit is written out: symbols with a positive
/// power, sorted by Unicode scalar values (so upper case before lower case: `FLOP*GPU*h`),
/// joined by `*`, each power above 1 written `^k`; then `/` and the symbols with a negative
/// power, sorted the same way with their powers made positive, in parentheses when there is more
/// than one (`FLOP/(GPU*s)`, `m/s^2`). `1` stands for an empty numerator (`1/s`); a dimensionless
/// unit is the empty string. Two units are equal exactly when their normal forms are.
public struct UnitOfMeasure: Hashable, Sendable, CustomStringConvertible {
    /// Symbol -> power, never 0.
    public private(set) var powers: [String: Int]

    /// The unit with no symbols (written `1`, normal form empty).
    public static let dimensionless = UnitOfMeasure(powers: [:])

    /// The unit `symbol` to the power 1.
    public init(symbol: String) {
        powers = [symbol: 1]
    }

    private init(powers: [String: Int]) {
        self.powers = powers.filter { $0.value != 0 }
    }

    /// Whether the unit has no symbols.
    public var isDimensionless: Bool { powers.isEmpty }

    /// The product: powers of each symbol added (those summing to 0 dropped).
    public static func * (a: UnitOfMeasure, b: UnitOfMeasure) -> UnitOfMeasure {
        UnitOfMeasure(powers: a.powers.merging(b.powers, uniquingKeysWith: +))
    }

    /// The quotient: `a` times `b` to the power -1.
    public static func / (a: UnitOfMeasure, b: UnitOfMeasure) -> UnitOfMeasure {
        a * b.raised(to: -1)
    }

    /// The unit to the integer power `k`: every power multiplied by `k` (`k` = 0 gives dimensionless).
    public func raised(to k: Int) -> UnitOfMeasure {
        UnitOfMeasure(powers: powers.mapValues { $0 * k })
    }

    /// The unit raised to a real exponent, or nil when a power would not be whole
    /// (`m^2` to 0.5 is `m`; `m` to 0.5 is nil).
    public func raised(toReal e: Double) -> UnitOfMeasure? {
        var result: [String: Int] = [:]
        for (symbol, p) in powers {
            let q = Double(p) * e
            let k = q.rounded()
            guard q.isFinite, abs(q - k) <= 1e-9 * max(1, abs(q)), abs(k) < Double(Int32.max) else { return nil }
            result[symbol] = Int(k)
        }
        return UnitOfMeasure(powers: result)
    }

    /// The normal form described on the type; empty for a dimensionless unit.
    public var normalForm: String {
        func side(_ sign: Int) -> [String] {
            powers.filter { $0.value * sign > 0 }
                .sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
                .map { abs($0.value) == 1 ? $0.key : "\($0.key)^\(abs($0.value))" }
        }
        let up = side(1)
        let down = side(-1)
        if up.isEmpty && down.isEmpty { return "" }
        let numerator = up.isEmpty ? "1" : up.joined(separator: "*")
        if down.isEmpty { return numerator }
        return numerator + "/" + (down.count == 1 ? down[0] : "(" + down.joined(separator: "*") + ")")
    }

    /// The normal form, with `1` for a dimensionless unit: what messages show.
    public var description: String {
        isDimensionless ? "1" : normalForm
    }
}
