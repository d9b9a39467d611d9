import EffSim
import Foundation
import Testing

/// `run.json` read back: every field passes the rules of the scenario and options it came from
/// (exit status 2, every problem listed), and the commands that take a scenario take a record.
@Suite struct RunRecordTests {
    /// A finished run's folder `f` in a fresh folder; returns (the fresh folder, f's run.json text).
    static func finished() throws -> (URL, String) {
        let dir = try Support.temporaryDirectory()
        let r = try Support.effsim(["run", Support.scenarioPath("epoch-defaults.json"), "--trials", "2000", "--out", "f", "--quiet"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        return (dir, try String(contentsOf: dir.appendingPathComponent("f/run.json"), encoding: .utf8))
    }

    static func edit(_ text: String, _ pattern: String, _ replacement: String) -> String {
        text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
    }

    /// binsPerDecade 0 trapped (division by zero in run, a range in report), -1 wrote a garbage
    /// histogram.csv, 1025 to 2^53 passed though --bins refuses them.
    @Test(arguments: ["0", "-1", "1025", "9007199254740992"])
    func binsPerDecadeFollowsTheBinsRule(bins: String) throws {
        let (dir, text) = try Self.finished()
        try Self.edit(text, #""binsPerDecade" : \d+"#, "\"binsPerDecade\" : \(bins)").write(to: dir.appendingPathComponent("f/run.json"), atomically: true, encoding: .utf8)
        let message = "effsim: f/run.json: binsPerDecade: \(bins) is neither from 1 to 1024 nor one of 20, 40, 80, 160, 320, 640, 1280, 2560, 5120\n"
        let run = try Support.effsim(["run", "f/run.json", "--quiet"], in: dir)
        #expect(run.status == 2 && run.stderr == message, "\(run.status) \(run.stderr)")
        let report = try Support.effsim(["report", "f", "--quiet"], in: dir)
        #expect(report.status == 2 && report.stderr == message, "\(report.status) \(report.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("f/report.html").path))
    }

    /// The default resolution rises to 20 · 2^k up to 5120 for a narrow output, beyond what
    /// `--bins` accepts; the read-back rule refused the run's own run.json (brain-simulation.json
    /// stopped with "binsPerDecade: 2560 is not from 1 to 1024" when writing its report).
    @Test func aNarrowOutputsFineResolutionReadsBack() throws {
        let dir = try Support.temporaryDirectory()
        let scenario = """
            {"name": "narrow", "trials": 20000, "seed": 3, "factors": [{"id": "k", "floor": null,
              "distribution": {"type": "normal", "mean": 100, "sd": 0.01}}],
             "outputs": [{"id": "k_out", "expression": "k"}]}
            """
        try scenario.write(to: dir.appendingPathComponent("narrow.json"), atomically: true, encoding: .utf8)
        let run = try Support.effsim(["run", "narrow.json", "--report", "--quiet"], in: dir)
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.status) \(run.stderr)")
        let text = try String(contentsOf: dir.appendingPathComponent("results/narrow/run.json"), encoding: .utf8)
        #expect(text.contains("\"binsPerDecade\" : 5120"))
        let again = try Support.effsim(["run", "results/narrow/run.json", "--quiet"], in: dir)
        #expect(again.status == 0 && again.stderr.isEmpty, "\(again.status) \(again.stderr)")
    }

    /// A repeated key and a fingerprint that does not match the contents were accepted.
    @Test func repeatedKeysAndAForeignFingerprintAreRefused() throws {
        let (dir, text) = try Self.finished()
        let fingerprint = try #require(text.firstMatch(of: #/"fingerprint" : "([0-9a-f]{16})"/#)?.1)
        try Self.edit(text, #""fingerprint" : "[0-9a-f]+""#, #""fingerprint" : "0000000000000000""#)
            .write(to: dir.appendingPathComponent("f/run.json"), atomically: true, encoding: .utf8)
        let foreign = try Support.effsim(["run", "f/run.json", "--quiet"], in: dir)
        #expect(foreign.status == 2)
        #expect(foreign.stderr == "effsim: f/run.json: fingerprint: \"0000000000000000\" does not match the record's scenario and settings (\(fingerprint)); the file was edited or damaged\n", "\(foreign.stderr)")
        try text.replacingOccurrences(of: "{\n", with: "{\n  \"trials\" : 7,\n", options: .anchored)
            .write(to: dir.appendingPathComponent("f/run.json"), atomically: true, encoding: .utf8)
        let repeated = try Support.effsim(["report", "f", "--quiet"], in: dir)
        #expect(repeated.status == 2)
        #expect(repeated.stderr.hasPrefix("effsim: f/run.json: trials: key \"trials\" appears more than once in this object; keep one\n"), "\(repeated.stderr)")
    }

    /// validate and compare refused a run.json that run accepts ("unknown key" x 8).
    @Test func validateAndCompareTakeARunRecord() throws {
        let (dir, _) = try Self.finished()
        let validate = try Support.effsim(["validate", "f/run.json"], in: dir)
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout == "ok: f/run.json (epoch-defaults: 2 factors, 2 outputs)\n", "\(validate.stdout)")
        let compare = try Support.effsim(["compare", "f/run.json", "f/run.json", "--trials", "131072", "--out", "c", "--quiet"], in: dir)
        #expect(compare.status == 0, "\(compare.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("c/compare.csv").path))
    }

    /// A damaged results folder is bad input, exit status 2, as everywhere else (report exited 1).
    @Test func reportOfADamagedFolderExitsTwo() throws {
        let (dir, _) = try Self.finished()
        try "metric,kind\n".write(to: dir.appendingPathComponent("f/summary.csv"), atomically: true, encoding: .utf8)
        let r = try Support.effsim(["report", "f", "--quiet"], in: dir)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("effsim: f/summary.csv: "), "\(r.stderr)")
    }
}
