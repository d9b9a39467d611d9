/// Finds keys that appear twice in one JSON object.
///
/// JSON parsers, Foundation's included, silently keep one of the two values of a repeated key,
/// so `{"trials": 100, "trials": 200}` would run 100 trials without a word. This scanner walks
/// text that already parsed as JSON and reports each repeat with its JSON path.
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
                let key = string()
                let child = path.isEmpty ? key : "\(path).\(key)"
                if !seen.insert(key).inserted {
                    found.append(ValidationIssue(path: child, message: "key \"\(key)\" appears more than once in this object; keep one"))
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
            while i < bytes.count, !Self.delimiters.contains(bytes[i]) { i += 1 }
        }
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
