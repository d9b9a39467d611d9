import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// A place in a JSON document, as a sweep names it: keys joined by dots, each optionally
/// followed by selectors in brackets.
///
/// - `trials`, `factors[unpublished].distribution.ci[1]`
/// - `[2]` an array element by 0-based index; `[unpublished]` (or `["unpublished"]`) the element
///   of an array of objects whose `"id"` is that string; `[*]` every element. A selector of digits
///   only is an index: quote an id made of digits (`["2024"]`).
/// - `imports[eff]` is the scenario imported as `eff` (the entry whose `"as"` is `eff`, and in it
///   the imported document the reader filled in): `imports[eff].factors[moe].distribution.ci[1]`.
///
/// Setting through a path replaces the value there; a missing last key is added (the scenario
/// reader then judges it). Under `[*]`, elements where the rest of the path does not exist are
/// skipped (e.g. `factors[*].distribution.level` leaves a factor given by median and sigma alone),
/// but the path must reach at least one place.
public struct JSONPath: Sendable, Equatable, CustomStringConvertible {
    /// One step of a path: `.key` (`a.b`), `.index` (`[2]`, 0-based), `.id` (`[unpublished]`: the
    /// element whose `"id"` is that string) or `.all` (`[*]`: every element).
    public enum Step: Sendable, Equatable {
        /// An object's member by key (`a.b`).
        case key(String)
        /// An array element by 0-based index (`[2]`).
        case index(Int)
        /// The element of an array of objects whose `"id"` is this string (`[unpublished]`).
        case id(String)
        /// Every element of an array (`[*]`).
        case all
    }

    /// The steps from the document's root, in order.
    public let steps: [Step]
    /// The path exactly as written.
    public let description: String

    /// Parses a path such as `factors[unpublished].distribution.ci[1]`; throws a `JSONPathError`
    /// saying where it does not parse.
    public init(_ text: String) throws {
        description = text
        var steps: [Step] = []
        var rest = Substring(text)
        func bad(_ why: String) -> JSONPathError { JSONPathError(description: "path \(Quoted.string(text)): \(why)") }
        guard !text.isEmpty else { throw bad("is empty") }
        while !rest.isEmpty {
            if rest.first == "." {
                guard !steps.isEmpty else { throw bad("starts with '.'") }
                rest = rest.dropFirst()
                guard let next = rest.first, next != "[", next != "." else { throw bad("needs a key after '.'") }
            } else if !steps.isEmpty && rest.first != "[" {
                throw bad("expected '.' or '[' before \(Quoted.string(String(rest)))")
            }
            if rest.first == "[" {
                guard let close = rest.firstIndex(of: "]") else { throw bad("'[' without ']'") }
                let selector = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
                if selector.count >= 2, selector.first == "\"", selector.last == "\"" {
                    steps.append(.id(String(selector.dropFirst().dropLast())))
                    continue
                }
                if selector == "*" {
                    steps.append(.all)
                } else if let i = Int(selector), i >= 0 {
                    steps.append(.index(i))
                } else if selector.isEmpty || selector.contains(where: { $0 == "[" || $0 == "\"" }) {
                    throw bad("\"[\(selector)]\" is not an index, an id or *")
                } else {
                    steps.append(.id(String(selector)))
                }
            } else {
                let end = rest.firstIndex { $0 == "." || $0 == "[" || $0 == "]" } ?? rest.endIndex
                let key = rest[..<end]
                guard !key.isEmpty else { throw bad("has an empty key") }
                steps.append(.key(String(key)))
                rest = rest[end...]
                if rest.first == "]" { throw bad("']' without '['") }
            }
        }
        self.steps = steps
    }

    /// The document with `value` at every place the path names.
    public func setting(_ value: JSONValue, in document: JSONValue) throws -> JSONValue {
        var places = 0
        let result = try set(value, in: document, from: 0, under: false, at: "", places: &places)
        if places == 0 {
            throw JSONPathError(
                description: "path \(Quoted.string(description)) reaches no value (no element under [*] has it)")
        }
        return result
    }

    /// Sets the value at steps[k...] below `node`, which sits at `location`. Under a wildcard,
    /// a missing key or id leaves the node unchanged instead of failing.
    private func set(
        _ value: JSONValue, in node: JSONValue, from k: Int, under wildcard: Bool,
        at location: String, places: inout Int
    ) throws -> JSONValue {
        guard k < steps.count else {
            places += 1
            return value
        }
        let isLast = k == steps.count - 1
        func fail(_ why: String) throws -> JSONValue {
            if wildcard { return node }
            throw JSONPathError(
                description:
                    "path \(Quoted.string(description)): \(location.isEmpty ? "the document" : location) \(why)")
        }
        switch steps[k] {
        case let .key(key):
            guard case var .object(members) = node else {
                return try fail("is \(node.typeName), not an object with key \(Quoted.string(key))")
            }
            let here = location.isEmpty ? key : "\(location).\(key)"
            if let i = members.lastIndex(where: { $0.key == key }) {
                members[i].value = try set(
                    value, in: members[i].value, from: k + 1, under: wildcard, at: here, places: &places)
            } else if isLast && !wildcard {
                members.append((key, value))
                places += 1
            } else {
                return try fail("has no key \(Quoted.string(key))")
            }
            return .object(members)
        case let .index(i):
            guard case var .array(items) = node else { return try fail("is \(node.typeName), not an array") }
            guard i < items.count else { return try fail("has \(items.count) elements; [\(i)] is out of range") }
            items[i] = try set(
                value, in: items[i], from: k + 1, under: wildcard, at: "\(location)[\(i)]", places: &places)
            return .array(items)
        case let .id(id):
            guard case var .array(items) = node else { return try fail("is \(node.typeName), not an array") }
            let ids = items.compactMap { item -> String? in
                if case let .string(s)? = item["id"] ?? item["as"] { return s } else { return nil }
            }
            if let i = items.firstIndex(where: { $0["id"] == nil && $0["as"] == .string(id) }),
                case var .object(fields) = items[i],
                let s = fields.lastIndex(where: { $0.key == "scenario" })
            {
                // An import: the path goes on in the imported document.
                fields[s].value = try set(
                    value, in: fields[s].value, from: k + 1, under: wildcard, at: "\(location)[\(id)]", places: &places)
                items[i] = .object(fields)
                return .array(items)
            }
            guard let i = items.firstIndex(where: { $0["id"] == .string(id) }) else {
                return try fail("has no element with id \(Quoted.string(id)) (ids: \(ids.joined(separator: ", ")))")
            }
            items[i] = try set(
                value, in: items[i], from: k + 1, under: wildcard, at: "\(location)[\(id)]", places: &places)
            return .array(items)
        case .all:
            guard case var .array(items) = node else { return try fail("is \(node.typeName), not an array") }
            for i in items.indices {
                items[i] = try set(
                    value, in: items[i], from: k + 1, under: true, at: "\(location)[\(i)]", places: &places)
            }
            return .array(items)
        }
    }
}

/// A path that does not parse, or does not reach a value in a document.
public struct JSONPathError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong, for the message.
    public var description: String

    /// An error with its message.
    public init(description: String) { self.description = description }
}
