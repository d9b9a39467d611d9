import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// Parameter values as text, for messages, sweep.csv and the report.
extension Sweep {
    /// `path=value, ...` for messages, escaped (`Quoted.bare`): a swept string reaches the terminal.
    public func label(_ values: [JSONValue]) -> String {
        zip(parameters, values).map { Quoted.bare("\($0.path)=\(Sweep.text($1))") }.joined(separator: ", ")
    }

    /// A parameter value as a CSV field: numbers as written in JSON, strings bare, others as JSON.
    public static func text(_ v: JSONValue) -> String {
        switch v {
        case let .number(x): return formatNumber(x)
        case let .string(s): return s
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        default:
            return String(decoding: v.canonicalData, as: UTF8.self)
        }
    }
}
