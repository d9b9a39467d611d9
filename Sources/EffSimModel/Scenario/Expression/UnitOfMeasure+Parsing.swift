import EffSimCore

extension UnitOfMeasure {
    /// Reads a unit as written in a scenario (`"unit": "FLOP/(GPU*s)"`) or in brackets after a
    /// number (`3600[s/h]`).
    ///
    /// Grammar, spaces allowed between tokens:
    ///
    ///     unit    := product
    ///     product := power (("*" | "/") power)*        left to right: FLOP/s/GPU = FLOP/(GPU*s)
    ///     power   := atom ("^" integer)?
    ///     atom    := symbol | "1" | "(" product ")"
    ///     integer := "-"? digits | "(" "-"? digits ")"
    ///     symbol  := (letter | "_") (letter | digit | "_")*
    ///
    /// Columns in the returned problem are 1-based and counted from `firstColumn`, the column
    /// of the unit's first character in the text that holds it.
    public static func parse(_ text: String, firstColumn: Int = 1) -> Result<UnitOfMeasure, ExpressionIssue> {
        var reader = UnitReader(chars: Array(text), firstColumn: firstColumn)
        do {
            reader.skipSpaces()
            if reader.atEnd {
                throw ExpressionIssue(column: firstColumn, message: "empty unit (write 1 for a dimensionless one)")
            }
            let unit = try reader.product()
            reader.skipSpaces()
            if !reader.atEnd {
                throw reader.issue("expected \"*\", \"/\" or the end of the unit, found \"\(reader.chars[reader.i])\"")
            }
            return .success(unit)
        } catch let issue as ExpressionIssue {
            return .failure(issue)
        } catch {
            preconditionFailure("UnitReader throws only ExpressionIssue")
        }
    }
}

/// A recursive-descent reader over the characters of one unit.
private struct UnitReader {
    let chars: [Character]
    let firstColumn: Int
    var i = 0

    var atEnd: Bool { i >= chars.count }

    func issue(_ message: String) -> ExpressionIssue {
        ExpressionIssue(column: firstColumn + i, message: message)
    }

    func found() -> String {
        atEnd ? "the end of the unit" : "\"\(chars[i])\""
    }

    mutating func skipSpaces() {
        while !atEnd, chars[i].isWhitespace { i += 1 }
    }

    mutating func product() throws -> UnitOfMeasure {
        var unit = try power()
        while true {
            skipSpaces()
            guard !atEnd, chars[i] == "*" || chars[i] == "/" else { return unit }
            let divide = chars[i] == "/"
            i += 1
            let next = try power()
            unit = divide ? unit / next : unit * next
        }
    }

    mutating func power() throws -> UnitOfMeasure {
        let base = try atom()
        skipSpaces()
        guard !atEnd, chars[i] == "^" else { return base }
        i += 1
        skipSpaces()
        let parenthesised = !atEnd && chars[i] == "("
        if parenthesised {
            i += 1
            skipSpaces()
        }
        let start = i
        if !atEnd, chars[i] == "-" { i += 1 }
        while !atEnd, chars[i].isASCII, chars[i].isNumber { i += 1 }
        guard let k = Int(String(chars[start..<i])), abs(k) <= 1000 else {
            i = start
            throw issue("expected a whole power from -1000 to 1000 after \"^\", found \(found())")
        }
        if parenthesised {
            skipSpaces()
            guard !atEnd, chars[i] == ")" else { throw issue("expected \")\", found \(found())") }
            i += 1
        }
        return base.raised(to: k)
    }

    mutating func atom() throws -> UnitOfMeasure {
        skipSpaces()
        guard !atEnd else { throw issue("expected a unit symbol, found the end of the unit") }
        let c = chars[i]
        if c == "(" {
            let open = i
            i += 1
            let inner = try product()
            skipSpaces()
            guard !atEnd, chars[i] == ")" else {
                throw issue("expected \")\" to close \"(\" at column \(firstColumn + open), found \(found())")
            }
            i += 1
            return inner
        }
        if c == "1" {
            i += 1
            return .dimensionless
        }
        guard c.isLetter || c == "_" else { throw issue("expected a unit symbol, found \(found())") }
        let start = i
        while !atEnd, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
        return UnitOfMeasure(symbol: String(chars[start..<i]))
    }
}
