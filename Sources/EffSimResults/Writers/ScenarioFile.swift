import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// The scenario file a results folder was written from, as `run.json` and `sensitivity.json`
/// record it (`scenarioFile`): its path relative to the folder, so the record stays the same
/// when the project is cloned elsewhere and a folder can tell "the same file, edited" (replaced
/// without `--force`) from "another file" (refused).
public enum ScenarioFile {
    /// The absolute, standardized form of `path` (relative paths are taken from the working folder).
    public static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// `file` as a path relative to `folder` (`../../Scenarios/gpt4.json`).
    public static func recorded(_ file: String, folder: String) -> String {
        relative(absolute(file), from: absolute(folder))
    }

    /// A recorded path back as an absolute one, read from the folder that holds the record.
    public static func resolve(_ recorded: String, folder: String) -> String {
        if recorded.hasPrefix("/") { return absolute(recorded) }
        return absolute((absolute(folder) as NSString).appendingPathComponent(recorded))
    }

    /// An absolute path as messages show it: relative to the working folder when inside it.
    public static func shown(_ path: String) -> String {
        let cwd = absolute(FileManager.default.currentDirectoryPath)
        let p = absolute(path)
        return p.hasPrefix(cwd + "/") ? String(p.dropFirst(cwd.count + 1)) : p
    }

    /// The path from folder `base` to `path`, both absolute.
    static func relative(_ path: String, from base: String) -> String {
        let to = path.split(separator: "/")
        let from = base.split(separator: "/")
        var common = 0
        while common < min(to.count, from.count), to[common] == from[common] { common += 1 }
        let parts = Array(repeating: "..", count: from.count - common) + to[common...].map(String.init)
        return parts.joined(separator: "/")
    }
}
