import EffSim
import Foundation
import Testing

/// Results that cannot go stale or be clobbered: fingerprints, the default folder named after the
/// scenario file, the refusal to replace another scenario's folder, the folder swapped in as one
/// unit, and the lock.
@Suite struct ResultsFolderRuleTests {
    static let seed2024 = Support.scenarioPath("seed-2024.json")
    static let epoch = Support.scenarioPath("epoch-defaults.json")

    /// Every file of a folder with its bytes.
    static func snapshot(_ dir: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in Support.files(in: dir) { result[name] = try Data(contentsOf: dir.appendingPathComponent(name)) }
        return result
    }

    static func run(_ args: [String], in dir: URL? = nil) throws -> Support.Result {
        let r = try Support.effsim(args, in: dir)
        #expect(r.status == 0, "\(args): \(r.stderr)")
        return r
    }

    // MARK: Fingerprints

    @Test func scenarioFingerprintIgnoresTrialsSeedAndKeyOrder() throws {
        let a = try JSONValue.parse(Data(#"{"name": "x", "trials": 5, "seed": 1, "factors": [{"id": "f", "v": 2}]}"#.utf8), file: "a")
        let b = try JSONValue.parse(Data(#"{"factors": [{"v": 2, "id": "f"}], "seed": 9, "name": "x"}"#.utf8), file: "b")
        let c = try JSONValue.parse(Data(#"{"name": "x", "factors": [{"id": "f", "v": 3}]}"#.utf8), file: "c")
        #expect(Fingerprint.scenario(a) == Fingerprint.scenario(b))
        #expect(Fingerprint.scenario(a) != Fingerprint.scenario(c))
        #expect(Fingerprint.draws(a, seed: 1, rng: .taus2, sampler: .pseudo) != Fingerprint.draws(a, seed: 2, rng: .taus2, sampler: .pseudo))
        #expect(Fingerprint.draws(a, seed: 1, rng: .taus2, sampler: .pseudo) != Fingerprint.draws(a, seed: 1, rng: .taus2, sampler: .sobol))
        #expect(Fingerprint.run(a, trials: 10, seed: 1, rng: .taus2, sampler: .pseudo) != Fingerprint.run(a, trials: 11, seed: 1, rng: .taus2, sampler: .pseudo))
        // FNV-1a 64 of "a" (published test vector).
        #expect(Fingerprint.hash(Data("a".utf8)) == "af63dc4c8601ec8c")
    }

    @Test func runAndSensitivityRecordTheirFingerprints() throws {
        let dir = try Support.temporaryDirectory()
        _ = try Self.run(["run", Self.seed2024, "--trials", "20000", "--out", dir.path, "--quiet"])
        _ = try Self.run(["sensitivity", Self.seed2024, "--trials", "5000", "--out", dir.path, "--quiet"])
        let run = try RunRecord.load(directory: dir.path)
        let sensitivity = try #require(SensitivityRecord.load(directory: dir.path))
        #expect(run.fingerprint == Fingerprint.run(run.scenario, trials: 20000, seed: run.seed, rng: .taus2, sampler: .pseudo))
        #expect(sensitivity.drawsFingerprint == run.drawsFingerprint)
        #expect(sensitivity.fingerprint != run.fingerprint, "different trial counts")
        #expect(sensitivity.trials == 5000)
    }

    // MARK: The folder rule

    /// cp seed-2024.json narrow.json, edit, run --report: the copy goes to results/narrow and the
    /// reference run (with its sensitivity) is untouched.
    @Test func aNarrowedCopyGoesToItsOwnFolder() throws {
        let dir = try Support.temporaryDirectory()
        let original = try String(contentsOfFile: Self.seed2024, encoding: .utf8)
        try original.write(to: dir.appendingPathComponent("seed-2024.json"), atomically: true, encoding: .utf8)
        let narrowed = original.replacingOccurrences(of: "\"sigma\": 0.8425", with: "\"sigma\": 0.4")
        #expect(narrowed != original, "the edit must change the scenario")
        try narrowed.write(to: dir.appendingPathComponent("narrow.json"), atomically: true, encoding: .utf8)
        _ = try Self.run(["sensitivity", "seed-2024.json", "--trials", "5000", "--quiet"], in: dir)
        _ = try Self.run(["run", "seed-2024.json", "--trials", "20000", "--report", "--quiet"], in: dir)
        let reference = dir.appendingPathComponent("results/seed-2024")
        #expect(FileManager.default.fileExists(atPath: reference.appendingPathComponent("tornado.svg").path))
        let before = try Self.snapshot(reference)

        let r = try Self.run(["run", "narrow.json", "--trials", "20000", "--report", "--quiet"], in: dir)
        #expect(r.stderr.isEmpty)
        #expect(try Self.snapshot(reference) == before)
        let narrow = dir.appendingPathComponent("results/narrow")
        #expect(Support.files(in: narrow).contains("report.html"))
        #expect(!Support.files(in: narrow).contains { $0.hasPrefix("sensitivity") || $0 == "tornado.svg" })
        #expect(try Support.files(in: dir.appendingPathComponent("results")).count == before.count + Support.files(in: narrow).count)
    }

    /// Writing another scenario into a results folder: exit 2, both named, the folder untouched;
    /// with --force it is replaced and the old scenario's sensitivity is not carried over.
    @Test func anotherScenarioIsRefusedUnlessForced() throws {
        let dir = try Support.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        _ = try Self.run(["run", Self.seed2024, "--trials", "20000", "--out", out.path, "--report", "--quiet"])
        _ = try Self.run(["sensitivity", Self.seed2024, "--trials", "5000", "--out", out.path, "--quiet"])
        let before = try Self.snapshot(out)

        for command in ["run", "sensitivity"] {
            let r = try Support.effsim([command, Self.epoch, "--trials", "1000", "--out", out.path, "--quiet"])
            #expect(r.status == 2)
            // Another scenario file: both files named.
            #expect(r.stderr.hasPrefix("effsim: \(out.path): holds results of "), "\(r.stderr)")
            #expect(r.stderr.contains("seed-2024.json, not of ") && r.stderr.contains("epoch-defaults.json;"), "\(r.stderr)")
            #expect(r.stderr.contains("use another --out, or --force to replace them"))
            #expect(r.stdout.isEmpty)
            #expect(try Self.snapshot(out) == before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out"], "no staging folder or lock left")
        }

        let r = try Self.run(["run", Self.epoch, "--trials", "1000", "--out", out.path, "--report", "--force", "--quiet"])
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        let files = Support.files(in: out)
        #expect(!files.contains("sensitivity.csv") && !files.contains("tornado.svg"), "\(files)")
        #expect(try RunRecord.load(directory: out.path).scenarioName == "epoch-defaults")
    }

    @Test func theSameScenarioWithAnotherSeedReplacesTheRun() throws {
        let out = try Support.temporaryDirectory().appendingPathComponent("out")
        _ = try Self.run(["run", Self.epoch, "--trials", "1000", "--out", out.path, "--report", "--quiet"])
        _ = try Self.run(["sensitivity", Self.epoch, "--trials", "1000", "--out", out.path, "--quiet"])
        _ = try Self.run(["run", Self.epoch, "--trials", "2000", "--seed", "5", "--out", out.path, "--quiet"])
        #expect(try RunRecord.load(directory: out.path).seed == 5)
        // The sensitivity was of seed 1's draws and the old report of the old run: neither stays.
        #expect(Support.files(in: out) == ["histogram.csv", "precision.csv", "run.json", "summary.csv"])
    }

    /// A sensitivity of the same draws survives a rerun with another trial count and is drawn.
    @Test func aSensitivityOfTheSameDrawsCarriesOver() throws {
        let out = try Support.temporaryDirectory().appendingPathComponent("out")
        _ = try Self.run(["sensitivity", Self.seed2024, "--trials", "5000", "--out", out.path, "--quiet"])
        let r = try Self.run(["run", Self.seed2024, "--trials", "30000", "--out", out.path, "--report", "--quiet"])
        #expect(r.stderr.isEmpty)
        #expect(Support.files(in: out).contains("tornado.svg"))
    }

    /// A sensitivity.csv of other draws, or without sensitivity.json, is left out with a note.
    @Test func aMismatchingSensitivityIsNotDrawn() throws {
        let out = try Support.temporaryDirectory().appendingPathComponent("out")
        _ = try Self.run(["run", Self.seed2024, "--trials", "20000", "--out", out.path, "--quiet"])
        _ = try Self.run(["sensitivity", Self.seed2024, "--trials", "5000", "--seed", "9", "--out", out.path, "--quiet"])
        var r = try Self.run(["report", out.path, "--quiet"])
        let csv = out.appendingPathComponent("sensitivity.csv").path
        #expect(r.stderr == "effsim: note: \(csv) left out of the report: it is from seed 9, rng taus2, sampler pseudo; the run used seed 2024, rng taus2, sampler pseudo\n")
        #expect(!Support.files(in: out).contains("tornado.svg"))
        #expect(try !String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8).contains("tornado"))

        // A sensitivity.json of another scenario, put there by hand.
        let other = try Support.temporaryDirectory()
        _ = try Self.run(["sensitivity", Self.epoch, "--trials", "1000", "--out", other.path, "--quiet"])
        try FileManager.default.removeItem(at: out.appendingPathComponent("sensitivity.json"))
        try FileManager.default.copyItem(at: other.appendingPathComponent("sensitivity.json"), to: out.appendingPathComponent("sensitivity.json"))
        r = try Self.run(["report", out.path, "--quiet"])
        #expect(r.stderr.hasPrefix("effsim: note: \(csv) left out of the report: it is from scenario \"epoch-defaults\" (fingerprint "), "\(r.stderr)")

        // A sensitivity.csv with no sensitivity.json (written by an older effsim).
        try FileManager.default.removeItem(at: out.appendingPathComponent("sensitivity.json"))
        r = try Self.run(["report", out.path, "--quiet"])
        #expect(r.stderr == "effsim: note: \(csv) left out of the report: no readable sensitivity.json says which run it belongs to (rerun 'effsim sensitivity')\n")
        #expect(!Support.files(in: out).contains("tornado.svg"))
    }

    // MARK: One unit

    /// Starts effsim with EFFSIM_PAUSE_BEFORE_SWAP, waits until it has staged the new folder, and
    /// sends it `signal`.
    static func killAfterStaging(_ args: [String], signal: Int32) throws -> Int32 {
        let p = Process()
        p.executableURL = Support.binary
        p.arguments = args
        p.environment = ProcessInfo.processInfo.environment.merging(["EFFSIM_PAUSE_BEFORE_SWAP": "60"]) { $1 }
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        var seen = ""
        while !seen.contains("effsim: staged ") {
            let data = err.fileHandleForReading.availableData
            if data.isEmpty { break }
            seen += String(decoding: data, as: UTF8.self)
        }
        #expect(seen.hasPrefix("effsim: staged "), "\(seen)")
        kill(p.processIdentifier, signal)
        p.waitUntilExit()
        return p.terminationStatus
    }

    @Test func aKilledRunLeavesTheOldFolderWhole() throws {
        let parent = try Support.temporaryDirectory()
        let out = parent.appendingPathComponent("out")
        _ = try Self.run(["run", Self.seed2024, "--trials", "20000", "--out", out.path, "--report", "--quiet"])
        let before = try Self.snapshot(out)
        let rerun = ["run", Self.seed2024, "--trials", "30000", "--seed", "2", "--out", out.path, "--report", "--quiet"]

        // SIGTERM: the handler removes the staging folder and the lock.
        let status = try Self.killAfterStaging(rerun, signal: SIGTERM)
        #expect(status == 128 + SIGTERM)
        #expect(try Self.snapshot(out) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["out"])

        // SIGKILL: nothing runs, the old folder is whole; the next writer removes the leftovers.
        _ = try Self.killAfterStaging(rerun, signal: SIGKILL)
        #expect(try Self.snapshot(out) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).sorted().contains(".out.lock"))
        _ = try Self.run(rerun)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["out"])
        #expect(try RunRecord.load(directory: out.path).seed == 2)
        #expect(try Set(Self.snapshot(out).keys) == Set(before.keys))
    }

    @Test func aSecondWriterIsRefusedWhileTheFirstRuns() throws {
        let parent = try Support.temporaryDirectory()
        let out = parent.appendingPathComponent("out")
        let lock = parent.appendingPathComponent(".out.lock")
        // A live process named effsim (a copy of sleep) stands for a running writer.
        let fake = parent.appendingPathComponent("effsim")
        try FileManager.default.copyItem(atPath: "/bin/sleep", toPath: fake.path)
        let writer = Process()
        writer.executableURL = fake
        writer.arguments = ["60"]
        try writer.run()
        defer { writer.terminate() }
        try "\(writer.processIdentifier)\n".write(to: lock, atomically: true, encoding: .utf8)
        let r = try Support.effsim(["run", Self.epoch, "--trials", "1000", "--out", out.path, "--quiet"])
        #expect(r.status == 1)
        #expect(r.stderr == "effsim: \(out.path): being written by effsim process \(writer.processIdentifier) (lock \(lock.path)); wait for it to finish\n")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        writer.terminate()
        writer.waitUntilExit()
        try FileManager.default.removeItem(at: fake)

        // A lock whose pid now belongs to another program (this test process) is stale too.
        try "\(getpid())\n".write(to: lock, atomically: true, encoding: .utf8)
        let reused = try Support.effsim(["run", Self.epoch, "--trials", "1000", "--out", out.path, "--quiet"])
        #expect(reused.status == 0, "\(reused.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["out"])
        try FileManager.default.removeItem(at: out)

        // A lock whose process is gone is stale: taken over and removed.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        try "\(gone.processIdentifier)\n".write(to: lock, atomically: true, encoding: .utf8)
        _ = try Self.run(["run", Self.epoch, "--trials", "1000", "--out", out.path, "--quiet"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["out"])
    }

    @Test func anOutputPathThatIsAFileIsRefused() throws {
        let parent = try Support.temporaryDirectory()
        let file = parent.appendingPathComponent("plain")
        try "keep me".write(to: file, atomically: true, encoding: .utf8)
        let r = try Support.effsim(["run", Self.epoch, "--trials", "1000", "--out", file.path, "--quiet"])
        #expect(r.status == 2)
        #expect(r.stderr == "effsim: --out \(file.path): exists and is not a folder\n")
        #expect(try String(contentsOf: file, encoding: .utf8) == "keep me")
    }
}

/// `effsim run DIR/run.json` runs a finished run again from its own record.
@Suite struct RunRecordRerunTests {
    @Test func aRunJsonRunsAgainToTheSameFiles() throws {
        let parent = try Support.temporaryDirectory()
        let first = parent.appendingPathComponent("first")
        var r = try Support.effsim(["run", Support.scenarioPath("seed-2024.json"), "--trials", "20000", "--seed", "5", "--rng", "mt19937",
                                    "--bins", "40", "--out", first.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let before = try ResultsFolderRuleTests.snapshot(first)
        // Elsewhere: the same files, byte for byte.
        let again = parent.appendingPathComponent("again")
        r = try Support.effsim(["run", first.appendingPathComponent("run.json").path, "--out", again.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try ResultsFolderRuleTests.snapshot(again) == before)
        // By default into its own folder, which it replaces with identical files.
        r = try Support.effsim(["run", "first/run.json", "--quiet"], in: parent)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try ResultsFolderRuleTests.snapshot(first) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).sorted() == ["again", "first"])
    }
}

/// A crash or SIGKILL while a folder is staged leaves `.NAME.lock` and `.NAME.staging-PID`; the
/// next writer takes both away. A refused write leaves no folder it created for `--out a/b`.
@Suite struct LeftoverTests {
    static let epoch = Support.scenarioPath("epoch-defaults.json")

    /// With a one-character name the next run trapped before it could clean up.
    @Test(arguments: ["x", "results-x"])
    func aDeadWritersLockAndStagingFolderAreRemoved(name: String) throws {
        let parent = try Support.temporaryDirectory()
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        try "\(gone.processIdentifier)\n".write(to: parent.appendingPathComponent(".\(name).lock"), atomically: true, encoding: .utf8)
        let staging = parent.appendingPathComponent(".\(name).staging-\(gone.processIdentifier)")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
        try Data("half".utf8).write(to: staging.appendingPathComponent("summary.csv"))
        let r = try Support.effsim(["run", Self.epoch, "--trials", "1000", "--out", name, "--quiet"], in: parent)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == [name])
    }

    @Test func aRefusedWriteRemovesTheFoldersItCreated() throws {
        let parent = try Support.temporaryDirectory()
        try Data(#"{"name": "ys", "trials": 1000, "floor": null, "factors": [{"id": "a", "group": "g", "distribution": {"type": "normal", "mean": 1, "sd": 1}}], "outputs": [{"id": "y", "expression": "a", "years": 4}]}"#.utf8)
            .write(to: parent.appendingPathComponent("ys.json"))
        let r = try Support.effsim(["run", "ys.json", "--out", "a/b/c", "--quiet"], in: parent)
        #expect(r.status == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["ys.json"])
    }
}
