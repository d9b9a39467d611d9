import EffSim
import Testing

/// Compiling and evaluating expressions over named values, for the Expression* suites.
enum ExpressionSupport {
    /// A scope with factors named by `names` (slots in order) and the given units.
    static func scope(_ names: [String], units: [String: String] = [:], outputs: [String] = []) -> ExpressionScope {
        func unit(_ id: String) -> UnitOfMeasure? {
            units[id].map { try! UnitOfMeasure.parse($0).get() }
        }
        return ExpressionScope(
            factors: names.enumerated().map { .init(id: $1, slot: $0, unit: unit($1)) },
            outputs: outputs.enumerated().map { .init(id: $1, slot: names.count + $0, unit: unit($1)) })
    }

    static func unit(_ text: String) -> UnitOfMeasure {
        try! UnitOfMeasure.parse(text).get()
    }

    /// The issues of an expression that must be refused, as `column N: message` lines.
    static func problems(_ text: String, _ scope: ExpressionScope = scope([]), declared: String? = nil,
                         usesUnits: Bool = false) -> [String] {
        switch CompiledExpression.compile(text, scope: scope, declaredUnit: declared.map(unit), usesUnits: usesUnits) {
        case .success: return ["accepted"]
        case let .failure(error): return error.issues.map(\.description)
        }
    }

    static func compile(_ text: String, _ scope: ExpressionScope = scope([]), declared: String? = nil,
                        usesUnits: Bool = false) throws -> CompiledExpression {
        try CompiledExpression.compile(text, scope: scope, declaredUnit: declared.map(unit), usesUnits: usesUnits).get()
    }

    /// Block evaluation: `columns[s]` holds slot s's values (all the same length).
    static func evaluate(_ c: CompiledExpression, _ columns: [[Double]]) -> [Double] {
        let n = columns.first?.count ?? 1
        let flat: [Double] = Array(columns.joined()) + [0]
        var out = [Double](repeating: -1, count: n)
        var scratch = [Double](repeating: .nan, count: max(1, c.registerCount * n))
        flat.withUnsafeBufferPointer { base in
            out.withUnsafeMutableBufferPointer { o in
                scratch.withUnsafeMutableBufferPointer { s in
                    c.evaluate(columns: base.baseAddress!, stride: n, count: n, into: o.baseAddress!, scratch: s.baseAddress!)
                }
            }
        }
        return out
    }

    /// The value of `text` with names bound to `values`, by block evaluation of one trial,
    /// after checking that the scalar reference gives the same bits.
    static func value(_ text: String, _ values: [String: Double] = [:]) throws -> Double {
        let names = values.keys.sorted()
        let c = try compile(text, scope(names))
        let block = evaluate(c, names.map { [values[$0]!] })[0]
        let scalar = c.value { values[names[$0]]! }
        #expect(same(block, scalar), "\(text): block \(block), scalar \(scalar)")
        return block
    }

    /// Equal bits, or both NaN.
    static func same(_ a: Double, _ b: Double) -> Bool {
        a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
    }
}

/// SplitMix64: a fixed-seed generator for random inputs.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
