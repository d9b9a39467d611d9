import EffSimCore

/// An expression read and checked for syntax, not yet for names and units.
///
/// Grammar (spaces allowed between tokens):
///
///     sum     := product (("+" | "-") product)*
///     product := unary (("*" | "/") unary)*
///     unary   := "-" unary | power
///     power   := primary ("^" unary)?           right-associative: 2^3^2 = 2^9; -2^2 = -(2^2)
///     primary := number ("[" unit "]")? | name | `any id` | function "(" sum ("," sum)* ")" | "(" sum ")"
///
/// A name directly followed by `(` is a function call, so a factor may be called `ln`.
///
/// Parsing, checking and compiling recurse over the tree, so its size is bounded as JSON nesting
/// is: at most `maximumNesting` levels of parentheses, calls, unary minus and powers, and at most
/// `maximumOperators` binary operators and function arguments (25,000 nested parentheses or a sum
/// of 60,000 terms overflowed the stack).
public struct ParsedExpression: Equatable, Sendable {
    /// The expression as written.
    public var text: String
    /// Its syntax tree.
    public var syntax: ExpressionSyntax

    /// Reads `text`. Lexical problems (bad characters, numbers, units in brackets, unclosed
    /// backquotes) are all listed; otherwise the first syntax error, together with every unknown
    /// function and wrong argument count met before it.
    public static func parse(_ text: String) -> Result<ParsedExpression, ExpressionError> {
        let (tokens, lexical) = ExpressionLexer.tokens(text)
        if !lexical.isEmpty { return .failure(ExpressionError(lexical)) }
        var parser = ExpressionParser(tokens: tokens)
        do {
            if case .end = tokens[0].kind {
                throw ExpressionIssue(column: 1, message: "empty expression")
            }
            let tree = try parser.sum()
            let next = parser.tokens[parser.k]
            if next.kind != .end {
                let what = next.kind == .symbol(")") ? "\")\" without a matching \"(\"" : next.shown
                throw ExpressionIssue(
                    column: next.column, message: "expected an operator or the end of the expression, found \(what)")
            }
            if !parser.issues.isEmpty { return .failure(ExpressionError(parser.issues)) }
            return .success(ParsedExpression(text: text, syntax: tree))
        } catch let issue as ExpressionIssue {
            return .failure(ExpressionError(parser.issues + [issue]))
        } catch {
            preconditionFailure("ExpressionParser throws only ExpressionIssue")
        }
    }

    /// Factor and output ids the expression uses, in order of first appearance.
    public var referencedNames: [String] { syntax.referencedNames }

    /// Whether a number carries a unit in brackets (a scenario with one uses units).
    public var containsUnitLiteral: Bool { syntax.containsUnitLiteral }

    /// The deepest nesting of parentheses, function calls, unary minus and powers.
    public static let maximumNesting = 128
    /// The most binary operators and function arguments beyond the first.
    public static let maximumOperators = 1000
}

/// Recursive descent over the tokens; throws at the first syntax error.
private struct ExpressionParser {
    let tokens: [ExpressionToken]
    var k = 0
    /// Problems that do not stop parsing: unknown functions and argument counts.
    var issues: [ExpressionIssue] = []
    /// Levels of nesting open at the current token.
    var nesting = 0
    /// Binary operators and extra arguments read so far.
    var operators = 0

    var current: ExpressionToken { tokens[k] }

    func isSymbol(_ c: Character) -> Bool {
        current.kind == .symbol(c)
    }

    mutating func sum() throws -> ExpressionSyntax {
        try chain("+-") { try $0.product() }
    }

    mutating func product() throws -> ExpressionSyntax {
        try chain("*/") { try $0.unary() }
    }

    /// operand (op operand)*, grouped to the left, for the operators in `symbols`.
    mutating func chain(_ symbols: String, _ operand: (inout Self) throws -> ExpressionSyntax) throws
        -> ExpressionSyntax
    {
        var left = try operand(&self)
        while case let .symbol(c) = current.kind, symbols.contains(c), let op = BinaryOperator(rawValue: String(c)) {
            let column = current.column
            try countOperator(at: column)
            k += 1
            left = .binary(op, left, try operand(&self), column: column)
        }
        return left
    }

    mutating func unary() throws -> ExpressionSyntax {
        if isSymbol("-") {
            let column = current.column
            k += 1
            return .negate(try nested(at: column) { try $0.unary() }, column: column)
        }
        return try power()
    }

    mutating func power() throws -> ExpressionSyntax {
        let base = try primary()
        guard isSymbol("^") else { return base }
        let column = current.column
        try countOperator(at: column)
        k += 1
        return .binary(.power, base, try nested(at: column) { try $0.unary() }, column: column)
    }

    mutating func primary() throws -> ExpressionSyntax {
        let token = current
        switch token.kind {
        case let .number(value, _, unit):
            k += 1
            return .number(value, unit: unit, column: token.column)
        case let .name(name, backquoted):
            k += 1
            if !backquoted, isSymbol("(") { return try call(name, column: token.column) }
            return .name(name, column: token.column)
        case .symbol("("):
            k += 1
            let inner = try nested(at: token.column) { try $0.sum() }
            try close(openedAt: token.column)
            return inner
        default:
            throw ExpressionIssue(
                column: token.column, message: "expected a number, a name, a function or \"(\", found \(token.shown)")
        }
    }

    /// `body` one level deeper; throws past `ParsedExpression.maximumNesting` levels.
    mutating func nested(at column: Int, _ body: (inout Self) throws -> ExpressionSyntax) throws -> ExpressionSyntax {
        guard nesting < ParsedExpression.maximumNesting else {
            throw ExpressionIssue(
                column: column,
                message:
                    "nested deeper than \(ParsedExpression.maximumNesting) levels (parentheses, calls, unary minus and powers); split the expression into several outputs"
            )
        }
        nesting += 1
        defer { nesting -= 1 }
        return try body(&self)
    }

    /// One more binary operator or argument; throws past `ParsedExpression.maximumOperators`.
    mutating func countOperator(at column: Int) throws {
        operators += 1
        guard operators <= ParsedExpression.maximumOperators else {
            throw ExpressionIssue(
                column: column,
                message:
                    "more than \(ParsedExpression.maximumOperators) operators and arguments; split the expression into several outputs"
            )
        }
    }

    mutating func close(openedAt column: Int) throws {
        guard isSymbol(")") else {
            throw ExpressionIssue(
                column: current.column,
                message: "expected \")\" to close \"(\" at column \(column), found \(current.shown)")
        }
        k += 1
    }

    /// `name(` has been read up to the name; reads the arguments and checks their count.
    mutating func call(_ name: String, column: Int) throws -> ExpressionSyntax {
        let open = current.column
        k += 1
        var args = [try nested(at: open) { try $0.sum() }]
        while isSymbol(",") {
            try countOperator(at: current.column)
            k += 1
            args.append(try nested(at: open) { try $0.sum() })
        }
        try close(openedAt: open)
        guard let function = ExpressionFunction(rawValue: name) else {
            issues.append(
                ExpressionIssue(
                    column: column, message: "unknown function \"\(name)\" (functions: \(ExpressionFunction.list))"))
            return .call(.abs, args, column: column)
        }
        if function.isVariadic, args.count < 2 {
            issues.append(ExpressionIssue(column: column, message: "\(name) takes two or more arguments, found 1"))
        } else if !function.isVariadic, args.count != 1 {
            issues.append(ExpressionIssue(column: column, message: "\(name) takes one argument, found \(args.count)"))
        }
        return .call(function, args, column: column)
    }
}
