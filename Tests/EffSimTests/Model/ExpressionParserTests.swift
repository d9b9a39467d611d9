import EffSim
import Foundation
import Testing

/// The expression grammar: precedence, functions, names and syntax errors with their columns.
@Suite struct ExpressionParserTests {
    typealias S = ExpressionSupport

    /// Each row as literals (folded at load time) and with names (evaluated per block):
    /// ^ binds tightest and to the right, then unary minus, then * /, then + -, left to right.
    @Test(arguments: [
        ("-2^2", -4.0), ("2^3^2", 512), ("1-2-3", -4), ("8/4/2", 1),
        ("2*3+4", 10), ("2+3*4", 14), ("(2+3)*4", 20), ("2^-1", 0.5), ("-2^-2", -0.25),
        ("2*-3", -6), ("--2", 2), ("-(2)^2", -4), ("(-2)^2", 4), ("2^3*2", 16), ("2*3^2", 18),
        ("1/2^2", 0.25), ("8-2^2", 4), ("-2*3", -6), ("2-3+4", 3), ("8/2*4", 16), ("8/(2*4)", 1),
    ])
    func precedenceAndAssociativity(text: String, expected: Double) throws {
        #expect(try S.compile(text).constantValue == expected, "\(text)")
        let named = text.replacingOccurrences(of: "2", with: "two").replacingOccurrences(of: "3", with: "three")
            .replacingOccurrences(of: "4", with: "four").replacingOccurrences(of: "8", with: "eight")
            .replacingOccurrences(of: "1", with: "one")
        #expect(try S.value(named, ["one": 1, "two": 2, "three": 3, "four": 4, "eight": 8]) == expected, "\(named)")
    }

    /// Numbers as JSON writes them, spaces anywhere between tokens.
    @Test func numbers() throws {
        #expect(try S.compile("3.14e23").constantValue == 3.14e23)
        #expect(try S.compile("1E+3 + 2.5e-1 + 0.5 + 0").constantValue == 1000.75)
        #expect(try S.compile(" \t2 *\n 3 ").constantValue == 6)
    }

    @Test(arguments: [
        ("exp(x)", ["x": 1.0], M_E), ("ln(x)", ["x": M_E], 1), ("log2(x)", ["x": 8], 3), ("log10(x)", ["x": 1000], 3),
        ("sqrt(x)", ["x": 16], 4), ("abs(x)", ["x": -3], 3), ("abs(x)", ["x": 3], 3),
        ("min(x, y, z)", ["x": 3, "y": 1, "z": 2], 1), ("max(x, y, z)", ["x": 3, "y": 1, "z": 2], 3),
        ("min(x, y)", ["x": -1, "y": 5], -1), ("max(x, -y)", ["x": -1, "y": 5], -1),
        ("sqrt(x^2 + y^2)", ["x": 3, "y": 4], 5),
    ])
    func functions(text: String, values: [String: Double], expected: Double) throws {
        #expect(try S.value(text, values) == expected, "\(text)")
    }

    /// NaN and infinities come out as they are, for the run to detect and report.
    @Test func nonFiniteValuesPassThrough() throws {
        #expect(try S.value("ln(x)", ["x": -1]).isNaN)
        #expect(try S.value("ln(x)", ["x": 0]) == -.infinity)
        #expect(try S.value("x / y", ["x": 0, "y": 0]).isNaN)
        #expect(try S.value("x / y", ["x": 1, "y": 0]) == .infinity)
        #expect(try S.value("exp(x)", ["x": 1000]) == .infinity)
        #expect(try S.value("sqrt(x)", ["x": -4]).isNaN)
        #expect(try S.value("x * y", ["x": 1e200, "y": 1e200]) == .infinity)
        // min and max do not drop a NaN argument (IEEE minNum would).
        #expect(try S.value("min(x, y)", ["x": .nan, "y": 1]).isNaN)
        #expect(try S.value("max(y, x)", ["x": .nan, "y": 1]).isNaN)
        #expect(try S.value("min(y, x, y)", ["x": .nan, "y": 1]).isNaN)
    }

    @Test func arityOfFunctions() {
        #expect(S.problems("min(1)") == ["column 1: min takes two or more arguments, found 1"])
        #expect(S.problems("2 * max(3)") == ["column 5: max takes two or more arguments, found 1"])
        #expect(S.problems("exp(1, 2)") == ["column 1: exp takes one argument, found 2"])
        #expect(S.problems("sqrt(1, 2, 3) + foo(1) + abs(1)") == [
            "column 1: sqrt takes one argument, found 3",
            "column 17: unknown function \"foo\" (functions: exp, ln, log2, log10, sqrt, abs, min, max)",
        ])
        #expect(S.problems("min()") == ["column 5: expected a number, a name, a function or \"(\", found \")\""])
    }

    /// Ids that hold - or . go in backquotes; a backquoted name is never a function.
    @Test func backquotedNames() throws {
        #expect(try S.value("`h100-sxm` * `mfu.2024`", ["h100-sxm": 3, "mfu.2024": 0.5]) == 1.5)
        #expect(try S.value("`2024gain` + `x`", ["2024gain": 2, "x": 1]) == 3)
        #expect(try S.compile("`a-b` * c", S.scope(["c", "a-b"])).referencedNames == ["a-b", "c"])
        #expect(S.problems("`ln`(2)", S.scope(["ln"])) == ["column 5: expected an operator or the end of the expression, found \"(\""])
        #expect(try S.value("ln * ln(ln)", ["ln": M_E]) == M_E)
        // Written without backquotes, such an id reads as a subtraction or a stray ".": say so.
        #expect(S.problems("`h100-sxm` + h100-sxm * 2", S.scope(["h100-sxm"])) == [
            "column 14: unknown name \"h100\" (factors: h100-sxm; outputs: none); write `h100-sxm` in backquotes",
            "column 19: unknown name \"sxm\" (factors: h100-sxm; outputs: none); write `h100-sxm` in backquotes",
        ])
        #expect(S.problems("mfu.2024 * 2", S.scope(["mfu.2024"]))
            == ["column 4: unexpected character \".\"; write ids that hold \".\" or \"-\" in backquotes"])
        #expect(S.problems("a - b", S.scope(["x-y"]))
            == ["column 1: unknown name \"a\" (factors: x-y; outputs: none)", "column 5: unknown name \"b\" (factors: x-y; outputs: none)"])
    }

    @Test func referencedNamesInOrderOfFirstUse() throws {
        let parsed = try ParsedExpression.parse("b * a + max(b, `c-d`) / a").get()
        #expect(parsed.referencedNames == ["b", "a", "c-d"])
        #expect(!parsed.containsUnitLiteral)
        #expect(try ParsedExpression.parse("x * 3600[s/h]").get().containsUnitLiteral)
    }

    @Test(arguments: [
        ("1 +", "column 4: expected a number, a name, a function or \"(\", found the end of the expression"),
        ("(1 + 2", "column 7: expected \")\" to close \"(\" at column 1, found the end of the expression"),
        ("max(1, (2)", "column 11: expected \")\" to close \"(\" at column 4, found the end of the expression"),
        ("1 + 2)", "column 6: expected an operator or the end of the expression, found \")\" without a matching \"(\""),
        ("a b", "column 3: expected an operator or the end of the expression, found name \"b\""),
        ("2 ** 3", "column 4: expected a number, a name, a function or \"(\", found \"*\""),
        ("2^", "column 3: expected a number, a name, a function or \"(\", found the end of the expression"),
        ("+2", "column 1: expected a number, a name, a function or \"(\", found \"+\""),
        ("", "column 1: empty expression"),
        ("   ", "column 1: empty expression"),
        ("1, 2", "column 2: expected an operator or the end of the expression, found \",\""),
        ("01", "column 1: number 01 has a leading zero"),
        ("x * .5", "column 5: number .5 needs a digit before \".\""),
        ("1.", "column 1: number 1. needs a digit after \".\""),
        ("2 * 1e", "column 5: number 1e needs digits in its exponent"),
        ("2x", "column 1: number 2x runs into \"x\""),
        ("1e999", "column 1: number 1e999 is out of range"),
        ("1e-400", "column 1: number 1e-400 is below the smallest double and would be read as 0"),
        ("a # b", "column 3: unexpected character \"#\""),
        ("a × b", "column 3: unexpected character \"×\""),
        ("`abc", "column 1: backquoted name is not closed by \"`\""),
        ("1 + ``", "column 5: empty backquoted name"),
        ("x[s]", "column 2: a unit in brackets must follow a number, as in 3600[s/h]"),
        ("3600[s/h", "column 5: unit \"[\" is not closed by \"]\""),
        ("3600[s/]", "column 8: expected a unit symbol, found the end of the unit"),
        ("3[]", "column 3: empty unit (write 1 for a dimensionless one)"),
    ])
    func syntaxErrorsNameTheColumn(text: String, message: String) {
        #expect(S.problems(text) == [message], "\(text)")
    }

    /// Lexical problems are all listed; so are unknown names and unknown functions.
    @Test func everyProblemIsListed() {
        #expect(S.problems("a # b $ 01") == [
            "column 3: unexpected character \"#\"",
            "column 7: unexpected character \"$\"",
            "column 9: number 01 has a leading zero",
        ])
        let scope = S.scope(["peak", "mfu"], outputs: ["flop"])
        #expect(S.problems("flop / (peak * mfu_now) + mfu_now * gpus", scope) == [
            "column 16: unknown name \"mfu_now\" (factors: peak, mfu; outputs: flop)",
            "column 37: unknown name \"gpus\" (factors: peak, mfu; outputs: flop)",
        ])
    }

    /// The unknown-name message of the issue, exactly; "none" for an empty list.
    @Test func unknownNameMessage() {
        let scope = S.scope(["peak", "mfu"], outputs: ["flop", "hours"])
        #expect(S.problems("flop / (peak * mfu_now)", scope)
            == ["column 16: unknown name \"mfu_now\" (factors: peak, mfu; outputs: flop, hours)"])
        #expect(S.problems("`a-b`", S.scope(["x"])) == ["column 1: unknown name \"a-b\" (factors: x; outputs: none)"])
    }

    /// Constant parts are folded at load time; one that is not finite is refused there.
    @Test func constantFolding() throws {
        #expect(try S.compile("2 * 3 + 4^0.5").constantValue == 8)
        #expect(try S.compile("x * (2 * 3)", S.scope(["x"])).constantValue == nil)
        #expect(S.problems("x * ln(0)", S.scope(["x"])) == ["column 5: this constant part evaluates to -inf"])
        #expect(S.problems("1 + 0/0") == ["column 6: this constant part evaluates to NaN"])
        #expect(S.problems("1e308 * 10 - 1") == ["column 7: this constant part evaluates to inf"])
    }

    /// The tree is bounded like JSON nesting: 25,000 parentheses or a sum of 60,000 terms
    /// overflowed the stack in the parser and the code generator.
    @Test func nestingAndLengthAreBounded() {
        let deepest = String(repeating: "(", count: 128) + "1" + String(repeating: ")", count: 128)
        #expect(S.problems(deepest) == ["accepted"])
        let tooDeep = String(repeating: "(", count: 25_000) + "1" + String(repeating: ")", count: 25_000)
        #expect(S.problems(tooDeep) == ["column 129: nested deeper than 128 levels (parentheses, calls, unary minus and powers); split the expression into several outputs"])
        #expect(S.problems(String(repeating: "-", count: 200) + "1") == ["column 129: nested deeper than 128 levels (parentheses, calls, unary minus and powers); split the expression into several outputs"])
        #expect(S.problems(Array(repeating: "2", count: 200).joined(separator: "^")).first?.hasPrefix("column 258: nested deeper than 128 levels") == true)
        #expect(S.problems(Array(repeating: "1", count: 1001).joined(separator: "+")) == ["accepted"])
        #expect(S.problems(Array(repeating: "1", count: 60_000).joined(separator: "+")) == ["column 2002: more than 1000 operators and arguments; split the expression into several outputs"])
        #expect(S.problems("max(" + Array(repeating: "1", count: 1002).joined(separator: ",") + ")") == ["column 2006: more than 1000 operators and arguments; split the expression into several outputs"])
    }
}
