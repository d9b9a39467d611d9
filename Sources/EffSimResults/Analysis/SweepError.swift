import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// A sweep file that was refused, or grid points that do not validate.
public struct SweepError: Error, CustomStringConvertible, Sendable {
    /// The sweep file.
    public var file: String
    /// Every problem found, each a line of the message.
    public var problems: [String]

    /// A head line with the count, then each problem prefixed with the file.
    public var description: String {
        let head = "\(file): invalid sweep (\(problems.count) problem\(problems.count == 1 ? "" : "s"))"
        return ([head] + problems.map { "\(file): \($0)" }).joined(separator: "\n")
    }
}
