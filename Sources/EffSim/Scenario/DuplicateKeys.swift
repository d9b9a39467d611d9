import Foundation

/// Finds keys that appear twice in one JSON object.
///
/// JSON parsers, Foundation's included, silently keep one of the two values of a repeated key,
/// so `{"trials": 100, "trials": 200}` would run 100 trials without a word. This scanner walks
/// text that already parsed as JSON and reports each repeat with its JSON path. Keys are compared
/// as decoded (`"tri\u0061ls"` is `"trials"`).
///
/// It also reports the other silent loss of a JSON reader: a whole number that a double cannot
/// hold exactly (beyond 2^53), which would run as a neighbouring number (9007199254740993 as
/// 9007199254740992).
struct DuplicateKeys {
    private let bytes: [UInt8]
    private var i = 0
    private(set) var found: [ValidationIssue] = []

    static func find(in text: [UInt8]) -> [ValidationIssue] {
        var scanner = DuplicateKeys(bytes: text)
        scanner.value(path: "")
        return scanner.found
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func value(path: String) {
        skipSpace()
        guard i < bytes.count else { return }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var seen: Set<String> = []
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] != UInt8(ascii: "}") else { i += 1; return }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                let key = Self.decoded(string())
                let child = path.isEmpty ? key : "\(path).\(key)"
                if !seen.insert(key).inserted {
                    found.append(ValidationIssue(path: child, message: "key \(Quoted.string(key)) appears more than once in this object; keep one"))
                }
                skipSpace()
                i += 1 // the colon
                value(path: child)
            }
        case UInt8(ascii: "["):
            i += 1
            var index = 0
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] != UInt8(ascii: "]") else { i += 1; return }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                value(path: "\(path)[\(index)]")
                index += 1
            }
        case UInt8(ascii: "\""):
            _ = string()
        default:
            // A number, true, false or null: up to the next delimiter.
            let start = i
            while i < bytes.count, !Self.delimiters.contains(bytes[i]) { i += 1 }
            let token = String(decoding: bytes[start..<i], as: UTF8.self)
            if let issue = Self.inexactInteger(token, path: path) { found.append(issue) }
        }
    }

    /// A whole number written without a fraction or exponent that reads as another number.
    static func inexactInteger(_ token: String, path: String) -> ValidationIssue? {
        let digits = token.hasPrefix("-") ? token.dropFirst() : Substring(token)
        guard digits.count > 15, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let x = Double(token) else { return nil }
        let read = String(format: "%.0f", x)
        guard read != token else { return nil }
        return ValidationIssue(path: path, message: "the whole number \(Quoted.string(token)) is beyond 2^53 and would be read as \(read); JSON numbers are exact only up to 2^53 = 9007199254740992")
    }

    /// A key's text with its JSON escapes decoded (the raw text when it cannot be).
    static func decoded(_ raw: String) -> String {
        guard raw.contains("\\") else { return raw }
        let json = Data(("\"" + raw + "\"").utf8)
        return (try? JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])) as? String ?? raw
    }

    private static let delimiters: Set<UInt8> = Set(",]} \t\r\n".utf8)

    /// The raw text of a string token (escapes left as written), advancing past its closing quote.
    private mutating func string() -> String {
        i += 1
        let start = i
        while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
            i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1
        }
        defer { i += 1 }
        return String(decoding: bytes[start..<min(i, bytes.count)], as: UTF8.self)
    }

    private mutating func skipSpace() {
        while i < bytes.count, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n")].contains(bytes[i]) { i += 1 }
    }
}
