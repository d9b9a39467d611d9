import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// Writes a set of files into a folder all at once or not at all.
///
/// Each file is first written beside its destination under a temporary name; only when all are
/// written are they renamed into place (rename is atomic within a file system). A failure before
/// that removes the temporaries, so a folder never holds a half-written result.
public struct AtomicFiles {
    /// The folder the files go to (created when the first is staged).
    public let directory: String
    private var staged: [(temporary: String, final: String)] = []

    /// Files for `directory`; nothing is written until `stage`.
    public init(directory: String) {
        self.directory = directory
    }

    /// Writes `contents` to a temporary file that `commit()` will rename to `name`.
    public mutating func stage(_ name: String, _ contents: String) throws {
        try stage(name, Data(contents.utf8))
    }

    /// Writes `data` to a temporary file that `commit()` will rename to `name`.
    public mutating func stage(_ name: String, _ data: Data) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let final = (directory as NSString).appendingPathComponent(name)
            let temporary = (directory as NSString).appendingPathComponent(
                ".\(name).\(ProcessInfo.processInfo.processIdentifier).tmp")
            try data.write(to: URL(fileURLWithPath: temporary))
            staged.append((temporary, final))
        } catch {
            discard()
            throw OutputError(description: "cannot write \(name) in \(directory): \(error.localizedDescription)")
        }
    }

    /// Moves every staged file into place.
    public mutating func commit() throws {
        for (temporary, final) in staged {
            if rename(temporary, final) != 0 {
                let reason = String(cString: strerror(errno))
                discard()
                throw OutputError(description: "cannot move \(temporary) to \(final): \(reason)")
            }
        }
        staged = []
    }

    /// Removes the temporaries not yet committed.
    public mutating func discard() {
        for (temporary, _) in staged { try? FileManager.default.removeItem(atPath: temporary) }
        staged = []
    }
}

/// A file that could not be read or written, or a record that is not one effsim wrote.
public struct OutputError: Error, CustomStringConvertible, Sendable {
    /// The message, naming the file.
    public var description: String
}
