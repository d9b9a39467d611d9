import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// `sweep.json` beside `sweep.csv`, `compare.json` beside `compare.csv`: the files a sweep or a
/// compare folder was written from (relative to the folder, see `ScenarioFile`), so that the same
/// sweep, or the same two inputs, replace their folder and another one is refused (`FolderUpdate`).
public struct InputRecord: Codable, Equatable, Sendable {
    /// The effsim version that wrote it.
    public var effsimVersion: String
    /// The sweep file, or compare's A and B (files or folders), relative to the folder.
    public var files: [String]

    /// The record of `files` (as given on the command line) for a folder at `folder`.
    public init(files: [String], folder: String) {
        effsimVersion = EffSimVersion.string
        self.files = files.map { ScenarioFile.recorded($0, folder: folder) }
    }

    /// The file's text: keys sorted, indented, a final newline.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// The record `name` in a folder, nil when it has none or it cannot be read.
    public static func load(directory: String, name: String) -> InputRecord? {
        guard let data = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(name))
        else { return nil }
        return try? JSONDecoder().decode(InputRecord.self, from: data)
    }
}
