import EffSim
import Foundation
import Testing

/// `imports` end to end: refusals at load, and `run.json` re-running a composed model alone.
@Suite struct ImportCLITests {
    /// A missing import, an unknown `as.id` and a cycle: exit 2, every problem with the file
    /// and JSON path, nothing written.
    @Test func badImportsAreRefusedBeforeSampling() throws {
        let dir = try ImportTests.folder([
            "top.json": """
            {"name": "top", "imports": [{"as": "m", "file": "base.json"}, {"as": "gone", "file": "nope.json"}, {"as": "c", "file": "c.json"}],
             "outputs": [{"id": "x", "expression": "m.q * m.z"}]}
            """,
            "base.json": ImportTests.base,
            "c.json": #"{"name": "c", "imports": [{"as": "t", "file": "top.json"}], "outputs": [{"id": "o", "expression": "1"}]}"#,
        ])
        let file = dir.appendingPathComponent("top.json").path, d = dir.path
        let out = dir.appendingPathComponent("out").path
        for command in [["run", file, "--out", out], ["validate", file]] {
            let r = try Support.effsim(command)
            #expect(r.status == 2, "\(command)")
            #expect(r.stdout.isEmpty)
            #expect(r.stderr == """
            effsim: \(file): invalid scenario (3 problems)
            effsim: \(file): imports[1].file: cannot read \(d)/nope.json (missing or not readable; a path is relative to the importing file's folder)
            effsim: \(file): imports[2]: \(d)/c.json: imports[0].file: an import cycle: \(file) -> \(d)/c.json -> \(file); a scenario cannot import itself, directly or through others
            effsim: \(file): outputs[0].expression: unknown name "m.z": the scenario imported as "m" (\(d)/base.json) has no factor or output "z" (factors: a, b, k; outputs: p, q, unused)

            """, "\(r.stderr)")
        }
        #expect(Support.files(in: dir) == ["base.json", "c.json", "top.json"])
    }

    /// validate reads the imports: the shipped composed scenario counts its imported factors and
    /// the imported outputs it uses.
    @Test func validateAcceptsTheShippedComposedScenario() throws {
        let path = Support.scenarioPath("effective-compute-2024.json")
        let r = try Support.effsim(["validate", path])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        #expect(r.stdout == "ok: \(path) (effective-compute-2024: 14 factors, 5 outputs)\n", "\(r.stdout)")
    }

    /// run.json records every imported document: run alone, in a folder without the imported
    /// files, it gives the same files; an edit to the imported file gives another fingerprint.
    @Test func runJSONAloneRerunsTheComposedModel() throws {
        let (_, dir) = try ImportTests.topScenario()
        let first = dir.appendingPathComponent("first")
        var r = try Support.effsim(["run", dir.appendingPathComponent("top.json").path, "--trials", "20000", "--out", first.path])
        #expect(r.status == 0, "\(r.stderr)")
        let elsewhere = try Support.temporaryDirectory()
        try FileManager.default.copyItem(at: first.appendingPathComponent("run.json"), to: elsewhere.appendingPathComponent("record.json"))
        let again = elsewhere.appendingPathComponent("again")
        r = try Support.effsim(["run", elsewhere.appendingPathComponent("record.json").path, "--out", again.path])
        #expect(r.status == 0, "\(r.stderr)")
        for name in ["summary.csv", "precision.csv", "histogram.csv", "run.json"] {
            let a = try Data(contentsOf: first.appendingPathComponent(name)), b = try Data(contentsOf: again.appendingPathComponent(name))
            #expect(a == b || name == "run.json", "\(name)")
        }
        #expect(try RunRecord.load(directory: first.path).fingerprint == RunRecord.load(directory: again.path).fingerprint)
        try Data(ImportTests.base.replacingOccurrences(of: "\"max\": 3", with: "\"max\": 4").utf8).write(to: dir.appendingPathComponent("sub/base.json"))
        let edited = dir.appendingPathComponent("edited")
        r = try Support.effsim(["run", dir.appendingPathComponent("top.json").path, "--trials", "20000", "--out", edited.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try RunRecord.load(directory: edited.path).fingerprint != RunRecord.load(directory: first.path).fingerprint)
    }
}
