import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// CSV text as written by every effsim file: comma-separated, "\n" line ends, a header row,
/// fields quoted only when they hold a comma, quote or line break.
public struct CSVTable {
    /// The text so far, every line ended by "\n".
    public private(set) var text: String

    /// A table holding its header row.
    public init(header: [String]) {
        text = ""
        append(header)
    }

    /// Appends a row, quoting fields that need it.
    public mutating func append(_ fields: [String]) {
        text += fields.map(CSVTable.escape).joined(separator: ",") + "\n"
    }

    /// The field, quoted when it holds a comma, a quote, a line feed or a carriage return.
    /// Bytes, not Characters: the test is cheaper and a "\r\n" (one Character, equal to
    /// neither "\r" nor "\n") is caught too.
    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 })
        else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A number in Swift's shortest form that reads back to the same double (17 significant
    /// digits at most), e.g. 413.27155, 0.2703, 3.14e+23.
    public static func number(_ x: Double) -> String { "\(x)" }
}
