import EffSim
import Foundation
import Testing

/// `--out` and `--state` are checked before sampling, with a plain reason and exit status 2;
/// `--state` replaces nothing but a regular file.
@Suite struct OutputTargetTests {
    static let scenario = Support.scenarioPath("epoch-defaults.json")

    static func run(_ extra: [String], in dir: URL) throws -> Support.Result {
        try Support.effsim(["run", scenario, "--trials", "1000", "--quiet"] + extra, in: dir)
    }

    @Test func badOutputFoldersAreRefusedPlainly() throws {
        let dir = try Support.temporaryDirectory()
        try Data("x".utf8).write(to: dir.appendingPathComponent("regfile"))
        let cases: [([String], String)] = [
            (["--out", "regfile/sub"], "effsim: --out regfile/sub: regfile is a file, not a folder\n"),
            (["--out", "regfile"], "effsim: --out regfile: exists and is not a folder\n"),
            (["--out", ""], "effsim: --out: the path is empty; give a folder\n"),
            (["--shard", "1/1", "--state", ""], "effsim: --state: the path is empty; give a file name\n"),
            (["--shard", "1/1", "--state", "regfile/x.json"], "effsim: --state regfile/x.json: regfile is a file, not a folder\n"),
        ]
        for (args, message) in cases {
            let r = try Self.run(args, in: dir)
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr == message, "\(args): \(r.stderr)")
        }
        #expect(Support.files(in: dir) == ["regfile"])
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self")))
    func aFolderThatCannotHoldFilesIsNamed() throws {
        let r = try Self.run(["--out", "/proc"], in: try Support.temporaryDirectory())
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("effsim: --out /proc: cannot create files in /proc ("), "\(r.stderr)")
    }

    @Test func stateReplacesOnlyARegularFile() throws {
        let dir = try Support.temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("folder"), withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: dir.appendingPathComponent("elsewhere.txt"))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link.json").path, withDestinationPath: dir.appendingPathComponent("elsewhere.txt").path)
        // A folder is where the state goes: shard-K-of-N.json in it (Guides/Scale.md).
        let inFolder = try Self.run(["--shard", "1/1", "--state", "folder"], in: dir)
        #expect(inFolder.status == 0, "\(inFolder.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("folder/shard-1-of-1.json").path))
        for (target, kind) in [("/dev/null", "a device"), ("link.json", "a symbolic link")] {
            let r = try Self.run(["--shard", "1/1", "--state", target], in: dir)
            #expect(r.status == 2, "\(target)")
            #expect(r.stderr == "effsim: --state \(target): is \(kind); effsim replaces only a regular file\n", "\(r.stderr)")
        }
        var info = stat()
        #expect(lstat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR, "/dev/null is still a device")
        #expect(try String(contentsOf: dir.appendingPathComponent("elsewhere.txt"), encoding: .utf8) == "keep")
        // A regular file is replaced.
        try Data("old".utf8).write(to: dir.appendingPathComponent("state.json"))
        let r = try Self.run(["--shard", "1/1", "--state", "state.json"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try StateFile.load(path: dir.appendingPathComponent("state.json").path).trials == 1000)
    }

    /// Foundation's `deletingLastPathComponent` traps on "R" or "x/": `--out R` died with SIGILL.
    @Test func parentFolderOfShortPaths() {
        let cases = [("R", ""), ("x/", ""), ("a/b", "a"), ("a//b/", "a"), ("/b", "/"), ("/", "/"), ("", ""), ("ab/cd/e", "ab/cd"), ("./R", ".")]
        for (path, parent) in cases { #expect(ParentFolder.of(path) == parent, "\(path)") }
    }

    /// One-character and not-yet-existing output paths behave as longer ones do: created.
    @Test func oneCharacterAndMissingOutputPathsAreCreated() throws {
        let dir = try Support.temporaryDirectory()
        for out in ["R", "a/b", "c/"] {
            let r = try Self.run(["--out", out], in: dir)
            #expect(r.status == 0, "--out \(out): \(r.status) \(r.stderr)")
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(out).appendingPathComponent("run.json").path), "\(out)")
        }
        let sensitivity = try Support.effsim(["sensitivity", Self.scenario, "--trials", "1000", "--quiet", "--out", "S"], in: dir)
        #expect(sensitivity.status == 0, "\(sensitivity.stderr)")
        for state in ["s", "d/t"] {
            let r = try Self.run(["--shard", "1/1", "--state", state], in: dir)
            #expect(r.status == 0, "--state \(state): \(r.status) \(r.stderr)")
        }
        let merge = try Support.effsim(["merge", "s", "--out", "M", "--quiet"], in: dir)
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(Support.files(in: dir).filter { $0.hasSuffix("run.json") || $0.hasSuffix("sensitivity.json") || !$0.contains("/") || $0.hasPrefix("d/") }
                == ["M/run.json", "R/run.json", "S/sensitivity.json", "a/b/run.json", "c/run.json", "d/t", "s"])
    }
}
