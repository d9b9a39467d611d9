import Foundation

/// Reads JSON text (RFC 8259) into a `JSONValue` in one pass that keeps what Foundation's
/// parsers drop and a scenario reader needs:
///
/// - where a syntax error is (line and column, counted in characters from 1);
/// - keys given twice in one object, compared after their escapes are decoded
///   (`"tri\u0061ls"` is `"trials"`): other parsers silently keep one of the two values;
/// - whole numbers a double cannot hold exactly (beyond 2^53), which would otherwise be read as a
///   neighbouring number (9007199254740993 as 9007199254740992);
/// - nesting deeper than `maximumDepth`, refused before it can exhaust the stack;
/// - numbers a double cannot hold at all: beyond its range (1e999) or so small they would be read
///   as 0 (1e-400).
///
/// Object members keep the order in which they appear in the text.
package struct JSONParser {
    static let maximumDepth = 128

    private let bytes: [UInt8]
    private var i = 0
    private var depth = 0
    /// Problems that do not stop the parse (repeated keys, inexact numbers), with JSON paths.
    private(set) var problems: [ValidationIssue] = []

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
        // A UTF-8 byte order mark is not part of the document.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
    }

    /// A syntax error: what was expected, at a byte offset.
    struct SyntaxError: Error {
        var message: String
        var offset: Int
    }

    /// Parses a whole document; throws `SyntaxError`, or returns the value and the problems found.
    package static func parse(_ bytes: [UInt8]) throws -> (value: JSONValue, problems: [ValidationIssue]) {
        var parser = JSONParser(bytes)
        let value = try parser.value(path: .text(""))
        parser.skipSpace()
        guard parser.i == bytes.count else { throw parser.error("unexpected text after the document") }
        return (value, parser.problems)
    }

    /// Line and column (1-based, in characters) of a byte offset.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        let prefix = bytes[..<min(offset, bytes.count)]
        let line = prefix.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        let lineStart = prefix.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        // Count characters, not bytes: skip UTF-8 continuation bytes.
        let column = bytes[lineStart..<min(offset, bytes.count)].filter { $0 & 0xC0 != 0x80 }.count + 1
        return (line, column)
    }

    private func error(_ message: String) -> SyntaxError { SyntaxError(message: message, offset: i) }

    private var current: UInt8? { i < bytes.count ? bytes[i] : nil }

    private mutating func skipSpace() {
        while let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 }
    }

    /// A value's JSON path, rendered only when a problem names it: building "metrics[3].runs[7]"
    /// for each of a state file's millions of counts took most of a merge's time.
    enum Path {
        case text(String)
        case element(of: String, Int)

        var text: String {
            switch self {
            case let .text(s): s
            case let .element(parent, k): "\(parent)[\(k)]"
            }
        }
    }

    private mutating func value(path: Path) throws -> JSONValue {
        skipSpace()
        guard let c = current else { throw error("the document ends where a value was expected") }
        switch c {
        case UInt8(ascii: "{"): return try nested { try $0.object(path: path) }
        case UInt8(ascii: "["): return try nested { try $0.array(path: path) }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number(path: path))
        default: throw error("unexpected character \(Self.describe(c)) where a value was expected")
        }
    }

    private mutating func nested(_ body: (inout JSONParser) throws -> JSONValue) throws -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            throw error("arrays and objects nested deeper than \(Self.maximumDepth) levels")
        }
        return try body(&self)
    }

    private mutating func object(path: Path) throws -> JSONValue {
        i += 1  // {
        let path = path.text
        var members: [(key: String, value: JSONValue)] = []
        var seen: Set<String> = []
        skipSpace()
        if current == UInt8(ascii: "}") {
            i += 1
            return .object([])
        }
        while true {
            skipSpace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a key in double quotes") }
            let key = try string()
            let child = path.isEmpty ? key : "\(path).\(key)"
            if !seen.insert(key).inserted {
                problems.append(
                    ValidationIssue(
                        path: child,
                        message: "key \(Quoted.string(key)) appears more than once in this object; keep one"))
            }
            skipSpace()
            guard current == UInt8(ascii: ":") else { throw error("expected ':' after the key \"\(key)\"") }
            i += 1
            members.append((key, try value(path: .text(child))))
            skipSpace()
            switch current {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "}"):
                i += 1
                return .object(members)
            default: throw error("expected ',' or '}' after an object member")
            }
        }
    }

    private mutating func array(path: Path) throws -> JSONValue {
        i += 1  // [
        let path = path.text
        var items: [JSONValue] = []
        skipSpace()
        if current == UInt8(ascii: "]") {
            i += 1
            return .array([])
        }
        while true {
            items.append(try value(path: .element(of: path, items.count)))
            skipSpace()
            switch current {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "]"):
                i += 1
                return .array(items)
            default: throw error("expected ',' or ']' after an array element")
            }
        }
    }

    private mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard bytes.count - i >= w.count, Array(bytes[i..<(i + w.count)]) == w else {
            throw error("unexpected character \(Self.describe(bytes[i])) where a value was expected")
        }
        i += w.count
    }

    /// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    private mutating func number(path: Path) throws -> Double {
        let start = i
        func digits() -> Int {
            let from = i
            while let c = current, c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") { i += 1 }
            return i - from
        }
        let negative = current == UInt8(ascii: "-")
        if negative { i += 1 }
        if current == UInt8(ascii: "0") {
            i += 1
        } else if digits() == 0 {
            throw error("expected a digit in a number")
        }
        // A whole number of up to 15 digits (a state file's counts) is exact as a double: read
        // it without making a String.
        let integerEnd = i
        if integerEnd - start <= 15, current != UInt8(ascii: "."), current != UInt8(ascii: "e"),
            current != UInt8(ascii: "E")
        {
            var n = 0
            for b in bytes[(negative ? start + 1 : start)..<integerEnd] { n = n * 10 + Int(b - UInt8(ascii: "0")) }
            return negative ? -Double(n) : Double(n)
        }
        if current == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw error("expected a digit after the decimal point") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            i += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw error("expected a digit in the exponent") }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        guard let x = Double(text), x.isFinite else {
            i = start
            throw error("the number \(text) is beyond the range of a double")
        }
        // 1e-400 would be read as 0: refused like 1e999 rather than changed.
        if Self.underflowsToZero(text, x) {
            i = start
            throw error(
                "the number \(text) is below the smallest double (\(Double.leastNonzeroMagnitude)) and would be read as 0; write 0"
            )
        }
        if let issue = Self.inexactInteger(text, x, path: path.text) { problems.append(issue) }
        return x
    }

    /// Whether `text`, read as `x`, is a nonzero number that a double can only hold as 0 (1e-400).
    package static func underflowsToZero(_ text: String, _ x: Double) -> Bool {
        x == 0 && text.prefix(while: { $0 != "e" && $0 != "E" }).contains { ("1"..."9").contains($0) }
    }

    /// A whole number written without a fraction or exponent that a double holds as another number.
    static func inexactInteger(_ text: String, _ x: Double, path: String) -> ValidationIssue? {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard digits.count > 15, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let read = String(format: "%.0f", x)
        guard read != text else { return nil }
        return ValidationIssue(
            path: path,
            message:
                "the whole number \(Quoted.string(text)) is beyond 2^53 and would be read as \(read); JSON numbers are exact only up to 2^53 = 9007199254740992"
        )
    }

    private mutating func string() throws -> String {
        i += 1  // opening quote
        var scalars = String.UnicodeScalarView()
        var runStart = i
        func flush(_ end: Int) throws {
            guard runStart < end else { return }
            guard let s = String(validating: bytes[runStart..<end], as: UTF8.self) else {
                i = runStart
                throw error("the text is not valid UTF-8")
            }
            scalars.append(contentsOf: s.unicodeScalars)
        }
        while true {
            guard let c = current else { throw error("the document ends inside a string") }
            switch c {
            case UInt8(ascii: "\""):
                try flush(i)
                i += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                try flush(i)
                i += 1
                scalars.append(try escape())
                runStart = i
            case 0..<0x20:
                throw error(
                    "a control character (\(Self.describe(c))) inside a string; write it as an escape such as \\n")
            default:
                i += 1
            }
        }
    }

    private mutating func escape() throws -> Unicode.Scalar {
        guard let c = current else { throw error("the document ends inside a string") }
        i += 1
        switch c {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let unit = try hex4()
            if (0xD800..<0xDC00).contains(unit) {
                // A high surrogate must be followed by \u and a low one.
                guard current == UInt8(ascii: "\\"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "u") else {
                    throw error("a lone surrogate \\u\(String(unit, radix: 16, uppercase: true)) in a string")
                }
                i += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else {
                    throw error("a lone surrogate \\u\(String(unit, radix: 16, uppercase: true)) in a string")
                }
                return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(unit) else {
                throw error("a lone surrogate \\u\(String(unit, radix: 16, uppercase: true)) in a string")
            }
            return scalar
        default:
            i -= 1
            throw error("unknown escape \\\(Self.describe(c)) in a string")
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard bytes.count - i >= 4, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16)
        else {
            throw error("expected four hexadecimal digits after \\u")
        }
        i += 4
        return v
    }

    private static func describe(_ c: UInt8) -> String {
        (0x21...0x7E).contains(c) ? "'\(Character(Unicode.Scalar(c)))'" : String(format: "0x%02X", c)
    }
}
