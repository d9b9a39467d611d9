import EffSim
import Foundation
import Testing

/// The core loop (edit a CI, run, look) needs no --force: a results folder remembers the
/// scenario file that wrote it; another file writing into it is refused, naming both.
@Suite struct IterationTests {
    static func scenario(description: String, high: Double) -> String {
        """
        {"name": "cost", "description": "\(description)", "trials": 5000, "seed": 1,
         "factors": [{"id": "hours", "unit": "h", "distribution": {"type": "lognormal", "ci": [100, \(high)], "level": 0.9}},
                     {"id": "rate", "unit": "USD/h", "distribution": {"type": "fixed", "value": 2}}],
         "outputs": [{"id": "total", "unit": "USD", "expression": "hours * rate"}]}
        """
    }

    static func write(_ text: String, _ name: String, in dir: URL) throws {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    @Test func editingAndRunningAgainReplacesTheFolderWithoutForce() throws {
        let dir = try Support.temporaryDirectory()
        try Self.write(Self.scenario(description: "first", high: 400), "cost.json", in: dir)
        var r = try Support.effsim(["run", "cost.json", "--quiet"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let record = try RunRecord.load(directory: dir.appendingPathComponent("results/cost").path)
        #expect(record.scenarioFile == "../../cost.json")
        // Another description and another CI: another scenario fingerprint, the same file.
        try Self.write(Self.scenario(description: "second", high: 900), "cost.json", in: dir)
        r = try Support.effsim(["run", "cost.json", "--quiet"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr == "")
        let again = try RunRecord.load(directory: dir.appendingPathComponent("results/cost").path)
        #expect(again.scenarioFingerprint != record.scenarioFingerprint)
        // The sensitivity of the same file, edited once more, too.
        try Self.write(Self.scenario(description: "third", high: 700), "cost.json", in: dir)
        r = try Support.effsim(["sensitivity", "cost.json", "--quiet", "--trials", "2000"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(SensitivityRecord.load(directory: dir.appendingPathComponent("results/cost").path)?.scenarioFile == "../../cost.json")
        // Run from elsewhere, by another path to the same file: still the same file.
        r = try Support.effsim(["run", dir.appendingPathComponent("./cost.json").path, "--out", dir.appendingPathComponent("results/cost").path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test func anotherFileIsRefusedNamingBoth() throws {
        let dir = try Support.temporaryDirectory()
        try Self.write(Self.scenario(description: "a", high: 400), "a.json", in: dir)
        try Self.write(Self.scenario(description: "a", high: 400), "b.json", in: dir)
        #expect(try Support.effsim(["run", "a.json", "--quiet"], in: dir).status == 0)
        let before = try Data(contentsOf: dir.appendingPathComponent("results/a/summary.csv"))
        // The same document in another file: still another file.
        let message = "effsim: results/a: holds results of a.json, not of b.json; use another --out, or --force to replace them\n"
        var r = try Support.effsim(["run", "b.json", "--out", "results/a", "--quiet"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr == message)
        r = try Support.effsim(["sensitivity", "b.json", "--out", "results/a", "--quiet", "--trials", "2000"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr == message)
        #expect(try Data(contentsOf: dir.appendingPathComponent("results/a/summary.csv")) == before)
        // --force replaces it, and the folder then remembers b.json.
        r = try Support.effsim(["run", "b.json", "--out", "results/a", "--quiet", "--force"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try RunRecord.load(directory: dir.appendingPathComponent("results/a").path).scenarioFile == "../../b.json")
    }

    @Test func sweepAndCompareFoldersFollowTheSameRule() throws {
        let dir = try Support.temporaryDirectory()
        try Self.write(Self.scenario(description: "a", high: 400), "cost.json", in: dir)
        try Self.write(Self.scenario(description: "b", high: 900), "other.json", in: dir)
        let sweep = #"{"name": "s", "base": "cost.json", "trials": 2000, "parameters": [{"path": "seed", "values": [1, 2]}]}"#
        try Self.write(sweep, "a-sweep.json", in: dir)
        try Self.write(sweep.replacingOccurrences(of: "[1, 2]", with: "[3, 4]"), "b-sweep.json", in: dir)
        var r = try Support.effsim(["sweep", "a-sweep.json", "--quiet"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        r = try Support.effsim(["sweep", "a-sweep.json", "--quiet", "--trials", "3000"], in: dir)
        #expect(r.status == 0, "the same sweep file again: \(r.stderr)")
        r = try Support.effsim(["sweep", "b-sweep.json", "--quiet"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr == "effsim: results/sweeps/s: holds results of a-sweep.json, not of b-sweep.json; use another --out, or --force to replace them\n")
        #expect(try Support.effsim(["sweep", "b-sweep.json", "--quiet", "--force"], in: dir).status == 0)

        r = try Support.effsim(["compare", "cost.json", "other.json", "--trials", "140000", "--out", "cmp", "--quiet"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        r = try Support.effsim(["compare", "cost.json", "other.json", "--trials", "140000", "--out", "cmp", "--quiet"], in: dir)
        #expect(r.status == 0, "the same inputs again: \(r.stderr)")
        r = try Support.effsim(["compare", "cost.json", "cost.json", "--trials", "140000", "--out", "cmp", "--quiet"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr == "effsim: cmp: holds results of cost.json and other.json, not of cost.json and cost.json; use another --out, or --force to replace them\n")
        // A run's folder is not a compare's.
        #expect(try Support.effsim(["run", "cost.json", "--quiet"], in: dir).status == 0)
        r = try Support.effsim(["compare", "cost.json", "other.json", "--trials", "140000", "--out", "results/cost", "--quiet"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr == "effsim: results/cost: holds results of cost.json, not of cost.json and other.json; use another --out, or --force to replace them\n")
    }
}
