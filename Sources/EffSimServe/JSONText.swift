import EffSim
import Foundation

/// A JSON answer as the API writes it. Numbers are kept as text, so that a statistic reaches the
/// page with exactly the digits summary.csv has (`CSVTable.number`), never re-rounded.
package indirect enum JSONText: Sendable {
    case null
    case bool(Bool)
    /// A finite number, written as given (a CSV field, or `CSVTable.number`).
    case number(String)
    case string(String)
    case array([JSONText])
    /// Members in the order given.
    case object([(String, JSONText)])

    /// A finite double in summary.csv's digits.
    static func number(_ x: Double) -> JSONText { .number(CSVTable.number(x)) }

    /// A whole number.
    static func number(_ n: Int) -> JSONText { .number(String(n)) }

    /// The compact text.
    package var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .number(n): out += n
        case let .string(s): Self.quote(s, into: &out)
        case let .array(items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case let .object(members):
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                Self.quote(key, into: &out)
                out += ":"
                value.write(into: &out)
            }
            out += "}"
        }
    }

    /// A JSON string: quotes, backslashes and controls escaped; `<` too, so that no answer can
    /// close a script element it might be pasted into.
    static func quote(_ s: String, into out: inout String) {
        // Byte by byte over the UTF-8 (every escaped character but U+2028 and U+2029 is ASCII),
        // appended to the answer in one piece: the charts' SVG text is most of an answer.
        var bytes: [UInt8] = [0x22]
        bytes.reserveCapacity(s.utf8.count + 16)
        let hex = Array("0123456789abcdef".utf8)
        var utf8 = Array(s.utf8)[...]
        while let b = utf8.popFirst() {
            switch b {
            case 0x22: bytes += [0x5C, 0x22]  // \"
            case 0x5C: bytes += [0x5C, 0x5C]  // \\
            case 0x0A: bytes += [0x5C, 0x6E]  // \n
            case 0x0D: bytes += [0x5C, 0x72]  // \r
            case 0x09: bytes += [0x5C, 0x74]  // \t
            case 0x3C: bytes += Array("\\u003c".utf8)
            case 0..<0x20: bytes += Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 15)]]
            case 0xE2
            where utf8.count >= 2 && utf8[utf8.startIndex] == 0x80
                && (utf8[utf8.startIndex + 1] == 0xA8 || utf8[utf8.startIndex + 1] == 0xA9):
                // U+2028 and U+2029, which end a line in JavaScript source.
                bytes += Array("\\u202".utf8) + [utf8[utf8.startIndex + 1] == 0xA8 ? 0x38 : 0x39]
                utf8.removeFirst(2)
            default: bytes.append(b)
            }
        }
        bytes.append(0x22)
        out += String(decoding: bytes, as: UTF8.self)
    }
}
