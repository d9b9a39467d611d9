import EffSim
import Foundation

/// A JSON answer as the API writes it. Numbers are kept as text, so that a statistic reaches the
/// page with exactly the digits summary.csv has (`CSVTable.number`), never re-rounded.
indirect enum JSONText: Sendable {
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
    var text: String {
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
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
