import EffSim
import Foundation
import Synchronization

/// The one scenario file `effsim serve` reads and writes (no request names a path): its text as
/// loaded or last saved, and the guard against overwriting a change made on disk meanwhile.
public final class EditedScenarioFile: Sendable {
    /// The path given on the command line; messages name the file by it, as `effsim validate` does.
    public let path: String
    /// The bytes as loaded or last saved: what `GET /api/scenario` returns and what the file on
    /// disk must still hold for a save to go ahead.
    private let known: Mutex<Data>

    /// Reads and validates the file: the server does not start on an invalid scenario.
    public init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(
                file: path,
                issues: [ValidationIssue(path: "", message: "cannot read the file (missing or not readable)")])
        }
        _ = try ScenarioReader.parse(data, file: path)
        known = Mutex(data)
    }

    /// The document as loaded or last saved.
    public var text: Data { known.withLock { $0 } }

    /// Why a save was refused.
    public enum SaveError: Error, Equatable {
        /// The scenario breaks a rule: nothing written.
        case invalid(ScenarioError)
        /// The file on disk is no longer what was loaded or last saved: nothing written.
        case changedOnDisk
    }

    /// Validates `data` as a scenario and writes it in place of the file, atomically (`AtomicFiles`:
    /// a temporary file in the same folder, then a rename: a reader never sees half a file); refused when the
    /// file changed on disk since it was loaded or last saved.
    public func save(_ data: Data) throws {
        do { _ = try ScenarioReader.parse(data, file: path) } catch let error as ScenarioError {
            throw SaveError.invalid(error)
        }
        try known.withLock { known in
            guard FileManager.default.contents(atPath: path) == known else { throw SaveError.changedOnDisk }
            let folder = ParentFolder.of(path)
            var files = AtomicFiles(directory: folder.isEmpty ? "." : folder)
            try files.stage((path as NSString).lastPathComponent, data)
            try files.commit()
            known = data
        }
    }
}
