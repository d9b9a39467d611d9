import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// A results folder that cannot be read back: missing, damaged or edited files (exit status 2,
/// like any other bad input).
public struct DamagedFolderError: Error, CustomStringConvertible, Sendable {
    /// Every problem found, one per line.
    public var description: String
}
