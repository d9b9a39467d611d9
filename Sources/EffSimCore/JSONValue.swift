import Foundation

/// A parsed JSON document that keeps the distinction between numbers, strings,
/// booleans and null, so validation can name the exact rule a value breaks
/// ("expected a number, found a string") instead of failing inside a decoder.
public indirect enum JSONValue: Equatable, Sendable {
    /// JSON `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, as a Double.
    case number(Double)
    /// A string.
    case string(String)
    /// An array, in order.
    case array([JSONValue])
    /// Keys keep the order in which they appear in the file.
    case object([(key: String, value: JSONValue)])

    /// Equal when of the same type with equal contents; objects must have the same keys in the same order.
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// A short name of the value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// An object's member `key` (the last one when repeated); nil when absent or not an object.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }
}

extension JSONValue: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes any JSON value; an object's keys come out sorted, since Foundation keeps no order.
    public init(from decoder: Decoder) throws {
        if var list = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !list.isAtEnd { items.append(try list.decode(JSONValue.self)) }
            self = .array(items)
            return
        }
        if let keyed = try? decoder.container(keyedBy: Key.self) {
            // Foundation does not promise key order; sort for reproducible messages.
            let keys = keyed.allKeys.sorted { $0.stringValue < $1.stringValue }
            self = .object(try keys.map { ($0.stringValue, try keyed.decode(JSONValue.self, forKey: $0)) })
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let b = try? single.decode(Bool.self) {
            self = .bool(b)
        } else if let d = try? single.decode(Double.self) {
            self = .number(d)
        } else {
            self = .string(try single.decode(String.self))
        }
    }

    /// Encodes the value as the JSON it stands for.
    public func encode(to encoder: Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case let .bool(b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case let .number(d):
            var c = encoder.singleValueContainer()
            try c.encode(d)
        case let .string(s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case let .array(items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(item) }
        case let .object(members):
            var c = encoder.container(keyedBy: Key.self)
            for m in members { try c.encode(m.value, forKey: Key(stringValue: m.key)) }
        }
    }
}

extension JSONValue {
    /// Compact JSON text with object keys sorted, so the same value always gives the same bytes
    /// (Foundation's encoder otherwise writes keys in hash order, which varies run to run).
    public var canonicalData: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every JSONValue is encodable: numbers are finite (the reader refuses others).
        return (try? encoder.encode(self)) ?? Data("null".utf8)
    }

    /// Parses JSON text in one pass (`JSONParser`). Throws `ScenarioError`: one line with the
    /// line and column when the text is not JSON; otherwise every repeated key and inexact whole
    /// number, each with its JSON path.
    public static func parse(_ data: Data, file: String) throws -> JSONValue {
        let (value, problems) = try parseListingProblems(data, file: file)
        guard problems.isEmpty else { throw ScenarioError(file: file, issues: problems) }
        return value
    }

    /// Like `parse`, but a document that is JSON comes back with its repeated keys and inexact
    /// numbers listed rather than thrown, so a reader can list them with its own problems.
    package static func parseListingProblems(_ data: Data, file: String) throws -> (JSONValue, [ValidationIssue]) {
        let bytes = Array(data)
        do {
            return try JSONParser.parse(bytes)
        } catch let e as JSONParser.SyntaxError {
            let (line, column) = JSONParser.position(of: e.offset, in: bytes)
            throw ScenarioError(
                file: file,
                issues: [
                    ValidationIssue(path: "", message: "not valid JSON: \(e.message) at line \(line), column \(column)")
                ])
        }
    }
}
