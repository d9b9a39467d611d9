import EffSimCore

/// One token of an expression and the 1-based column of its first character.
struct ExpressionToken: Equatable {
    enum Kind: Equatable {
        /// A number as JSON writes it, with the unit in brackets that follows it, if any.
        case number(Double, text: String, unit: UnitOfMeasure?)
        /// A bare name (`peak_flops`) or the inside of a backquoted one (`` `h100-sxm` ``).
        case name(String, backquoted: Bool)
        /// One of `+ - * / ^ ( ) ,`.
        case symbol(Character)
        case end
    }

    var kind: Kind
    var column: Int

    /// How a message names the token: `"*"`, `name "x"`, `number 2`, `the end of the expression`.
    var shown: String {
        switch kind {
        case let .number(_, text, _): "number \(text)"
        case let .name(n, _): "name \"\(n)\""
        case let .symbol(c): "\"\(c)\""
        case .end: "the end of the expression"
        }
    }
}

/// Splits an expression into tokens, collecting every lexical problem.
///
/// Numbers follow JSON (`0`, `-` excluded: it is the unary minus; `3.14e23`, no leading zeros,
/// digits on both sides of `.`), optionally followed by a unit in brackets. A bare name is a
/// letter or `_` then letters, digits and `_`, possibly several such parts joined by `.`
/// (`eff.compute`: an output of the scenario imported as `eff`); any other id goes in backquotes.
struct ExpressionLexer {
    let chars: [Character]
    var i = 0
    var tokens: [ExpressionToken] = []
    var issues: [ExpressionIssue] = []

    init(_ text: String) {
        chars = Array(text)
    }

    static func tokens(_ text: String) -> (tokens: [ExpressionToken], issues: [ExpressionIssue]) {
        var lexer = ExpressionLexer(text)
        lexer.run()
        return (lexer.tokens, lexer.issues)
    }

    private var column: Int { i + 1 }

    private func isDigit(_ k: Int) -> Bool {
        k < chars.count && chars[k].isASCII && chars[k].isNumber
    }

    private func isNameStart(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c == "_")
    }

    private func isNameChar(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "_")
    }

    private mutating func run() {
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace {
                i += 1
            } else if isDigit(i) || (c == "." && !(i > 0 && isNameChar(chars[i - 1]))) {
                number()
            } else if isNameStart(c) {
                let start = i
                while i < chars.count,
                    isNameChar(chars[i]) || (chars[i] == "." && i + 1 < chars.count && isNameStart(chars[i + 1]))
                { i += 1 }
                tokens.append(
                    ExpressionToken(kind: .name(String(chars[start..<i]), backquoted: false), column: start + 1))
            } else if c == "`" {
                backquoted()
            } else if "+-*/^(),".contains(c) {
                tokens.append(ExpressionToken(kind: .symbol(c), column: column))
                i += 1
            } else if c == "[" {
                issues.append(
                    ExpressionIssue(column: column, message: "a unit in brackets must follow a number, as in 3600[s/h]")
                )
                skipBrackets()
            } else {
                // mfu.2024: an id with "." (or "-") needs backquotes.
                let hint =
                    c == "." && i > 0 && isNameChar(chars[i - 1])
                    ? "; write ids that hold \".\" or \"-\" in backquotes" : ""
                issues.append(ExpressionIssue(column: column, message: "unexpected character \"\(c)\"" + hint))
                i += 1
            }
        }
        tokens.append(ExpressionToken(kind: .end, column: chars.count + 1))
    }

    private mutating func number() {
        let start = i
        var problem: String?
        if chars[i] == "." {
            problem = "needs a digit before \".\""
        } else if chars[i] == "0", isDigit(i + 1) {
            problem = "has a leading zero"
        }
        while isDigit(i) { i += 1 }
        if i < chars.count, chars[i] == "." {
            i += 1
            if !isDigit(i) { problem = problem ?? "needs a digit after \".\"" }
            while isDigit(i) { i += 1 }
        }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            i += 1
            if i < chars.count, chars[i] == "+" || chars[i] == "-" { i += 1 }
            if !isDigit(i) { problem = problem ?? "needs digits in its exponent" }
            while isDigit(i) { i += 1 }
        }
        // 2x or 1.5e3e: the number runs into a name; say so rather than "expected an operator".
        while i < chars.count, isNameChar(chars[i]) || chars[i] == "." {
            problem = problem ?? "runs into \"\(chars[i])\""
            i += 1
        }
        let text = String(chars[start..<i])
        var value = Double(text) ?? .nan
        if problem == nil, !value.isFinite { problem = "is out of range" }
        if problem == nil, JSONParser.underflowsToZero(text, value) {
            problem = "is below the smallest double and would be read as 0"
        }
        if let problem {
            issues.append(ExpressionIssue(column: start + 1, message: "number \(text) \(problem)"))
            value = .nan
        }
        var unit: UnitOfMeasure?
        var k = i
        while k < chars.count, chars[k].isWhitespace { k += 1 }
        if k < chars.count, chars[k] == "[" {
            i = k + 1
            let open = i
            while i < chars.count, chars[i] != "]" { i += 1 }
            if i == chars.count {
                issues.append(ExpressionIssue(column: k + 1, message: "unit \"[\" is not closed by \"]\""))
            } else {
                switch UnitOfMeasure.parse(String(chars[open..<i]), firstColumn: open + 1) {
                case let .success(u): unit = u
                case let .failure(issue): issues.append(issue)
                }
                i += 1
            }
        }
        tokens.append(ExpressionToken(kind: .number(value, text: text, unit: unit), column: start + 1))
    }

    private mutating func backquoted() {
        let open = i
        i += 1
        let start = i
        while i < chars.count, chars[i] != "`" { i += 1 }
        if i == chars.count {
            issues.append(ExpressionIssue(column: open + 1, message: "backquoted name is not closed by \"`\""))
            return
        }
        let name = String(chars[start..<i])
        i += 1
        if name.isEmpty {
            issues.append(ExpressionIssue(column: open + 1, message: "empty backquoted name"))
            return
        }
        tokens.append(ExpressionToken(kind: .name(name, backquoted: true), column: open + 1))
    }

    private mutating func skipBrackets() {
        while i < chars.count, chars[i] != "]" { i += 1 }
        if i < chars.count { i += 1 }
    }
}
