import EffSim
import Foundation
import Testing

/// Helpers shared by the test files: scenario builders and running the real binary.
enum Support {
    /// The repository root (this file is Tests/EffSimTests/Support/Support.swift).
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func scenarioPath(_ name: String) -> String { root.appendingPathComponent("Scenarios/\(name)").path }

    /// The effsim executable: `EFFSIM_BINARY` (`make test` sets it to the binary `make build`
    /// made), else the one built beside the test bundle.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["EFFSIM_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("effsim"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("effsim"),
            root.appendingPathComponent(".build/release/effsim"),
            root.appendingPathComponent(".build/debug/effsim"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `effsim args...` in `directory` and captures its output and exit status.
    static func effsim(_ args: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        if let directory { p.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// The folder that holds this test process's temporary folders, removed when it exits
    /// (tests made some 130 folders a run, and left them all behind).
    static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("effsim-tests-\(getpid())")
        atexit { try? FileManager.default.removeItem(at: Support.scratch) }
        return url
    }()

    /// A fresh empty folder in ``scratch``.
    static func temporaryDirectory() throws -> URL {
        let url = scratch.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Files in a folder, recursively, relative paths sorted.
    static func files(in directory: URL) -> [String] {
        (FileManager.default.enumerator(atPath: directory.path)?.allObjects as? [String] ?? []).filter {
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path, isDirectory: &isDir)
            return !isDir.boolValue
        }.sorted()
    }

    /// The issues a distribution's constructor reports, as `path: message` (empty when it builds).
    static func distributionIssues(_ build: () throws -> Distribution) -> [String] {
        do {
            _ = try build()
            return []
        } catch let error as DistributionError {
            return error.issues.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    /// A scenario from JSON text (fails the test when it is invalid).
    static func scenario(_ json: String) throws -> Scenario {
        try ScenarioReader.parse(Data(json.utf8), file: "inline.json")
    }

    /// A one-factor scenario: {"name": "t", "trials": .., "seed": .., "factors": [factor]}.
    static func oneFactor(_ distribution: String, floor: String = "null", trials: Int = 200_000, seed: Int = 7) throws -> Scenario {
        try scenario("""
        {"name": "t", "trials": \(trials), "seed": \(seed), "floor": \(floor),
         "factors": [{"id": "x", "group": "g", "distribution": \(distribution)}]}
        """)
    }
}
