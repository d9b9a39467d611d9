import Foundation

/// Decodes a `Decodable` from a `JSONValue` that `JSONParser` has already read, with the
/// `DecodingError`s (and coding paths) Foundation's `JSONDecoder` throws.
///
/// A state file is parsed once for the checks only this project's parser makes (repeated keys,
/// inexact numbers); decoding that tree, rather than the text again with `JSONDecoder`, took a
/// 3-shard merge of 4 MB of counts from about 9 s to a fraction of it.
package struct JSONValueDecoder {
    package static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try T(from: Node(value: value, codingPath: []))
    }

    /// A key of an object member or the index of an array element.
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue }
        init(intValue: Int) {
            stringValue = "Index \(intValue)"
            self.intValue = intValue
        }
    }

    /// One value and where it is: the decoder, and its single-value container.
    struct Node: Decoder, SingleValueDecodingContainer {
        let value: JSONValue
        let codingPath: [CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<K: CodingKey>(keyedBy type: K.Type) throws -> KeyedDecodingContainer<K> {
            guard case let .object(members) = value else { throw mismatch([String: JSONValue].self) }
            var byKey: [String: JSONValue] = [:]
            for m in members where byKey[m.key] == nil { byKey[m.key] = m.value }
            return KeyedDecodingContainer(Keyed<K>(members: byKey, order: members.map(\.key), codingPath: codingPath))
        }

        func unkeyedContainer() throws -> UnkeyedDecodingContainer {
            guard case let .array(items) = value else { throw mismatch([JSONValue].self) }
            return Unkeyed(items: items, codingPath: codingPath)
        }

        func singleValueContainer() throws -> SingleValueDecodingContainer { self }

        func mismatch(_ type: Any.Type) -> DecodingError {
            .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "found \(value.typeName)"))
        }

        func decodeNil() -> Bool { value == .null }

        package func decode(_ type: Bool.Type) throws -> Bool {
            guard case let .bool(b) = value else { throw mismatch(type) }
            return b
        }

        package func decode(_ type: String.Type) throws -> String {
            guard case let .string(s) = value else { throw mismatch(type) }
            return s
        }

        package func decode(_ type: Double.Type) throws -> Double {
            guard case let .number(x) = value else { throw mismatch(type) }
            return x
        }

        package func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

        /// A whole number that fits `T`, as JSONDecoder requires; otherwise `dataCorrupted`.
        func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
            guard case let .number(x) = value else { throw mismatch(type) }
            guard x == x.rounded(), let n = T(exactly: x) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: codingPath, debugDescription: "the number \(x) does not fit in \(type)"))
            }
            return n
        }

        package func decode(_ type: Int.Type) throws -> Int { try integer(type) }
        package func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
        package func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
        package func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
        package func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
        package func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
        package func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
        package func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
        package func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
        package func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

        package func decode<T: Decodable>(_ type: T.Type) throws -> T {
            // A state file's millions of counts: whole arrays of whole numbers in one step.
            if T.self == [Int].self, case let .array(items) = value {
                var counts: [Int] = []
                counts.reserveCapacity(items.count)
                for item in items {
                    guard case let .number(x) = item, let n = Int(exactly: x) else { return try T(from: self) }
                    counts.append(n)
                }
                return counts as! T
            }
            return try T(from: self)
        }
    }

    struct Keyed<K: CodingKey>: KeyedDecodingContainerProtocol {
        let members: [String: JSONValue]
        let order: [String]
        let codingPath: [CodingKey]

        var allKeys: [K] { order.compactMap { K(stringValue: $0) } }

        func contains(_ key: K) -> Bool { members[key.stringValue] != nil }

        func node(_ key: K) throws -> Node {
            guard let value = members[key.stringValue] else {
                throw DecodingError.keyNotFound(
                    key, .init(codingPath: codingPath, debugDescription: "no value for \(key.stringValue)"))
            }
            return Node(value: value, codingPath: codingPath + [key])
        }

        func decodeNil(forKey key: K) throws -> Bool { try node(key).decodeNil() }
        package func decode<T: Decodable>(_ type: T.Type, forKey key: K) throws -> T { try node(key).decode(type) }

        func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: K) throws -> KeyedDecodingContainer<N> {
            try node(key).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: K) throws -> UnkeyedDecodingContainer {
            try node(key).unkeyedContainer()
        }
        func superDecoder() throws -> Decoder {
            Node(value: .object(order.map { ($0, members[$0]!) }), codingPath: codingPath)
        }
        func superDecoder(forKey key: K) throws -> Decoder { try node(key) }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let items: [JSONValue]
        let codingPath: [CodingKey]
        var currentIndex = 0

        init(items: [JSONValue], codingPath: [CodingKey]) {
            self.items = items
            self.codingPath = codingPath
        }

        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }

        mutating func next() throws -> Node {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(
                    JSONValue.self,
                    .init(codingPath: codingPath + [Key(intValue: currentIndex)], debugDescription: "the array ends"))
            }
            defer { currentIndex += 1 }
            return Node(value: items[currentIndex], codingPath: codingPath + [Key(intValue: currentIndex)])
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, items[currentIndex] == .null else { return false }
            currentIndex += 1
            return true
        }

        /// A state file's millions of counts take this path: no coding path is built unless one is wrong.
        package mutating func decode(_ type: Int.Type) throws -> Int {
            if !isAtEnd, case let .number(x) = items[currentIndex], let n = Int(exactly: x) {
                currentIndex += 1
                return n
            }
            return try next().integer(type)
        }
        package mutating func decode(_ type: Double.Type) throws -> Double { try next().decode(type) }
        package mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            if T.self == Int.self { return try decode(Int.self) as! T }
            return try next().decode(type)
        }

        mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type) throws -> KeyedDecodingContainer<N> {
            try next().container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { try next().unkeyedContainer() }
        mutating func superDecoder() throws -> Decoder { try next() }
    }
}
