import EffSimCore
import Foundation

/// The tree of an expression as written, with the column of each operator, name and number.
/// Parentheses leave no node: they only shape the tree.
public indirect enum ExpressionSyntax: Equatable, Sendable {
    /// A number, with its unit when written in brackets (`3600[s/h]`).
    case number(Double, unit: UnitOfMeasure?, column: Int)
    /// A factor or output id (backquotes removed).
    case name(String, column: Int)
    /// Unary minus; `column` is the minus sign's.
    case negate(ExpressionSyntax, column: Int)
    /// `column` is the operator's.
    case binary(BinaryOperator, ExpressionSyntax, ExpressionSyntax, column: Int)
    /// `column` is the function name's.
    case call(ExpressionFunction, [ExpressionSyntax], column: Int)

    /// The column of the operator, name, number or function that makes this node.
    public var column: Int {
        switch self {
        case let .number(_, _, c), let .name(_, c), let .negate(_, c), let .binary(_, _, _, c), let .call(_, _, c): c
        }
    }

    /// Names in order of first appearance, each once.
    public var referencedNames: [String] {
        var seen = Set<String>()
        var names: [String] = []
        func visit(_ e: ExpressionSyntax) {
            switch e {
            case .number: break
            case let .name(n, _): if seen.insert(n).inserted { names.append(n) }
            case let .negate(a, _): visit(a)
            case let .binary(_, a, b, _):
                visit(a)
                visit(b)
            case let .call(_, args, _): args.forEach(visit)
            }
        }
        visit(self)
        return names
    }

    /// Whether any number carries a unit in brackets: a scenario with one uses units.
    public var containsUnitLiteral: Bool {
        switch self {
        case let .number(_, unit, _): unit != nil
        case .name: false
        case let .negate(a, _): a.containsUnitLiteral
        case let .binary(_, a, b, _): a.containsUnitLiteral || b.containsUnitLiteral
        case let .call(_, args, _): args.contains { $0.containsUnitLiteral }
        }
    }
}

/// The binary operators of an expression; the raw value is the symbol as written.
public enum BinaryOperator: String, Sendable, CaseIterable {
    /// `+`, `-`, `*`, `/` and `^` (power, as C's pow).
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case power = "^"

    /// The IEEE double result, NaN and infinities included; shared by constant folding, the
    /// scalar reference and the block evaluator so all three give the same bits.
    @inline(__always)
    func apply(_ x: Double, _ y: Double) -> Double {
        switch self {
        case .add: x + y
        case .subtract: x - y
        case .multiply: x * y
        case .divide: x / y
        case .power: ExpressionMath.power(x, y)
        }
    }
}

/// The functions an expression may call.
public enum ExpressionFunction: String, Sendable, CaseIterable {
    /// exp, natural log, log base 2, log base 10, square root and absolute value take one
    /// argument; min and max two or more. The raw value is the name as written.
    case exp, ln, log2, log10, sqrt, abs, min, max

    /// min and max take two or more arguments; the others exactly one.
    public var isVariadic: Bool { self == .min || self == .max }

    static var list: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// A one-argument function's value; NaN and infinities as C's libm gives them.
    @inline(__always)
    func apply(_ x: Double) -> Double {
        switch self {
        case .exp: Foundation.exp(x)
        case .ln: Foundation.log(x)
        case .log2: Foundation.log2(x)
        case .log10: Foundation.log10(x)
        case .sqrt: x.squareRoot()
        case .abs: Swift.abs(x)
        case .min, .max: preconditionFailure("\(rawValue) takes two or more arguments")
        }
    }

    /// One step of min or max; a NaN argument makes the result NaN, so the run can report it
    /// (Swift.min and IEEE minNum would drop it).
    @inline(__always)
    func apply(_ x: Double, _ y: Double) -> Double {
        if x.isNaN || y.isNaN { return .nan }
        switch self {
        case .min: return y < x ? y : x
        case .max: return y > x ? y : x
        default: preconditionFailure("\(rawValue) takes one argument")
        }
    }
}

enum ExpressionMath {
    /// x^y as C's pow, except that y == 2 is x*x (the same value, faster).
    @inline(__always)
    static func power(_ x: Double, _ y: Double) -> Double {
        y == 2 ? x * x : Foundation.pow(x, y)
    }
}
