import EffSimCore
import Foundation

extension UnitOfMeasure {
    /// The message for a declared unit that differs from the inferred one:
    /// `unit is GPU*s, declared GPU*h (a 3600[s/h] missing?)`.
    ///
    /// When the two differ by one symbol over another (s against h), the message suggests the
    /// conversion constant. Units carry no conversion tables; this hint alone knows common time
    /// symbols and the decimal prefixes k M G T P E (`1e12[FLOP/TFLOP]`), and names the pair
    /// otherwise (`a conversion between param and token missing?`).
    public static func mismatchMessage(inferred: UnitOfMeasure, declared: UnitOfMeasure) -> String {
        let message = "unit is \(inferred), declared \(declared)"
        if inferred.isDimensionless {
            return message + " (to give a dimensionless result a unit, multiply it by 1[\(declared)])"
        }
        let ratio = inferred / declared
        guard ratio.powers.count == 2,
            let extra = ratio.powers.first(where: { $0.value == 1 })?.key,
            let missing = ratio.powers.first(where: { $0.value == -1 })?.key
        else { return message }
        guard let (small, large, factor) = conversion(extra, missing) else {
            let pair = [extra, missing].sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            return message + " (a conversion between \(pair[0]) and \(pair[1]) missing?)"
        }
        return message + " (a \(conversionNumber(factor))[\(small)/\(large)] missing?)"
    }

    /// Seconds in common time symbols, for the hint only.
    private static let seconds: [String: Double] = [
        "ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "sec": 1,
        "min": 60, "h": 3600, "hr": 3600, "hour": 3600, "d": 86400, "day": 86400,
        "week": 604_800, "wk": 604_800, "yr": 31_557_600, "year": 31_557_600,
    ]

    private static let prefixes: [Character: Double] = ["k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18]

    /// (smaller symbol, larger symbol, how many smaller in one larger), when the hint knows both.
    private static func conversion(_ a: String, _ b: String) -> (String, String, Double)? {
        func ordered(_ x: Double, _ y: Double) -> (String, String, Double) {
            x <= y ? (a, b, y / x) : (b, a, x / y)
        }
        if let x = seconds[a], let y = seconds[b] { return ordered(x, y) }
        func split(_ s: String) -> (Double, String) {
            if s.count > 1, let p = prefixes[s.first!] { return (p, String(s.dropFirst())) }
            return (1, s)
        }
        let (x, baseA) = split(a)
        let (y, baseB) = split(b)
        return baseA == baseB ? ordered(x, y) : nil
    }

    /// 3600, 86400, 1e12: whole numbers below a million as digits, larger powers of ten as 1eK.
    private static func conversionNumber(_ x: Double) -> String {
        let k = Foundation.log10(x).rounded()
        if x >= 1e6, Foundation.pow(10, k) == x { return "1e\(Int(k))" }
        return formatNumber(x)
    }
}
