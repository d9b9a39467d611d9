import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// A folder of shard state files, as a job array writes them: `--state FOLDER/` puts shard K of
/// N's state in `FOLDER/shard-K-of-N.json`, and `effsim merge FOLDER` reads every `.json` file in it.
public enum StateFolder {
    /// Where `--state` puts shard `shard`'s file: `state` itself, or `shard-K-of-N.json` in it
    /// when it names an existing folder or ends in `/`.
    public static func path(_ state: String, shard: Shard) -> String {
        var isDirectory: ObjCBool = false
        let folder =
            state.hasSuffix("/")
            || (FileManager.default.fileExists(atPath: state, isDirectory: &isDirectory) && isDirectory.boolValue)
        return folder ? (state as NSString).appendingPathComponent(shard.stateFileName) : state
    }

    /// The files `merge` reads: each argument that is a folder is replaced by the `.json` files in
    /// it, shard-K-of-N files in the order of K, others by name. A folder without one is refused.
    public static func expand(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        var problems: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
                .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
                .sorted { order($0) < order($1) }
            if names.isEmpty {
                problems.append("\(Quoted.path(path)): a folder with no state files (shard-K-of-N.json) in it")
            }
            files += names.map { (path as NSString).appendingPathComponent($0) }
        }
        guard problems.isEmpty else { throw OutputError(description: problems.joined(separator: "\n")) }
        return files
    }

    /// Sorts shard-K-of-N.json by N then K, before other names.
    private static func order(_ name: String) -> (Int, Int, String) {
        let parts = name.dropLast(".json".count).split(separator: "-")
        if parts.count == 4, parts[0] == "shard", parts[2] == "of", let k = Int(parts[1]), let n = Int(parts[3]) {
            return (n, k, name)
        }
        return (Int.max, Int.max, name)
    }

    /// The kinds of shard state, by format: what `merge` makes of them.
    public static let kinds = [
        StateFile.format: "run", SweepState.format: "sweep", SensitivityState.format: "sensitivity analysis",
    ]

    /// The kind of state a file holds, from its `format` key (nil when it has none).
    public static func format(ofFile path: String) -> String? {
        FileManager.default.contents(atPath: path).flatMap(format(of:))
    }

    /// The `format` key of a state file's text (nil when it has none).
    static func format(of data: Data) -> String? {
        struct Format: Decodable { var format: String }
        return try? JSONDecoder().decode(Format.self, from: data).format
    }
}
