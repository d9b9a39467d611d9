import EffSim
import Foundation
import Testing

/// `imports`: another scenario's factors and outputs named `alias.id`, flattened at load.
@Suite struct ImportTests {
    /// A folder holding `files` (relative path -> text).
    static func folder(_ files: [String: String]) throws -> URL {
        let dir = try Support.temporaryDirectory()
        for (path, text) in files {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return dir
    }

    /// An imported scenario with a scenario-level floor, a factor without one, a correlation, a
    /// `groups` output, an expression over it, an output nobody uses, and settings of its own
    /// (trials, seed, thresholds, published) that the importer ignores.
    static let base = """
    {"name": "base", "trials": 5, "seed": 3, "floor": 1.0, "thresholds": [7],
     "factors": [{"id": "a", "group": "g", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.5}},
                 {"id": "b", "group": "g", "floor": null, "distribution": {"type": "normal", "mean": 1, "sd": 0.5}},
                 {"id": "k", "group": "h", "distribution": {"type": "uniform", "min": 0.5, "max": 3}}],
     "correlations": [{"between": ["a", "k"], "rank": 0.6}],
     "outputs": [{"id": "p", "groups": ["g"]}, {"id": "q", "expression": "p * k + 1"}, {"id": "unused", "expression": "a + b"}],
     "published": [{"metric": "p", "statistic": "p50", "value": 2}]}
    """

    static let top = """
    {"name": "top", "trials": 200000, "seed": 11,
     "imports": [{"as": "m", "file": "sub/base.json"}],
     "factors": [{"id": "c", "distribution": {"type": "lognormal", "median": 3, "sigma": 0.2}}],
     "correlations": [{"between": ["c", "m.a"], "rank": -0.3}],
     "outputs": [{"id": "r", "expression": "m.q * c"}]}
    """

    /// The same model in one file: the imported factors first, in the imported file's order,
    /// with the ids, groups and floors the import gives them, then the importer's own.
    static let oneFile = """
    {"name": "top", "trials": 200000, "seed": 11,
     "factors": [{"id": "m.a", "group": "m.g", "floor": 1.0, "distribution": {"type": "lognormal", "median": 2, "sigma": 0.5}},
                 {"id": "m.b", "group": "m.g", "floor": null, "distribution": {"type": "normal", "mean": 1, "sd": 0.5}},
                 {"id": "m.k", "group": "m.h", "floor": 1.0, "distribution": {"type": "uniform", "min": 0.5, "max": 3}},
                 {"id": "c", "group": "own", "distribution": {"type": "lognormal", "median": 3, "sigma": 0.2}}],
     "correlations": [{"between": ["m.a", "m.k"], "rank": 0.6}, {"between": ["c", "m.a"], "rank": -0.3}],
     "outputs": [{"id": "r", "expression": "m.q * c"}, {"id": "m.p", "groups": ["m.g"]},
                 {"id": "m.q", "expression": "m.p * m.k + 1"}]}
    """

    static func topScenario() throws -> (Scenario, URL) {
        let dir = try folder(["top.json": top, "sub/base.json": base])
        return (try ScenarioReader.load(path: dir.appendingPathComponent("top.json").path), dir)
    }

    @Test func importedPartsAreFlattenedUnderTheAlias() throws {
        let (s, _) = try Self.topScenario()
        #expect(s.factors.map(\.id) == ["m.a", "m.b", "m.k", "c"])
        #expect(s.factors.map(\.group) == ["m.g", "m.g", "m.h", ""])
        // The imported file's floors (scenario-level and per factor) are kept; the importer has none.
        #expect(s.factors.map(\.floor) == [1.0, nil, 1.0, nil])
        #expect(s.correlations.map { [Double($0.first), Double($0.second), $0.rank] } == [[0, 2, 0.6], [0, 3, -0.3]])
        // Its own outputs, then the imported ones they use (q uses p); "unused" is left out.
        #expect(s.outputs.map(\.id) == ["r", "m.p", "m.q"])
        #expect(s.outputs[2].expression?.text == "m.p * m.k + 1")
        #expect(s.outputs[1].factorIndices == [0, 1])
        // Its trials, seed, thresholds and published figures are the importer's.
        #expect(s.trials == 200_000 && s.seed == 11 && s.thresholds == Scenario.defaultThresholds && s.published.isEmpty)
        #expect(s.importedParts.factors == 3 && s.importedParts.correlations == 1 && s.importedParts.outputs == 2)
        #expect(s.imports.map(\.alias) == ["m"] && s.imports[0].file == "sub/base.json")
        try s.validate()
    }

    /// The rule: an importing scenario samples exactly what one file samples when that file lists
    /// the imported factors first, in import order (each import's own imports before its own
    /// factors), with the same floors and correlations, and the same seed: factor order decides
    /// which draws of a chunk's stream each factor gets (`ChunkSampler.drawBlock`), and the ids
    /// do not enter the draws. So every statistic is equal bit for bit, with every generator and
    /// sampler.
    @Test(arguments: [(RandomGenerator.taus2, SamplerKind.pseudo), (.philox, .pseudo), (.taus2, .sobol)])
    func statisticsEqualTheModelWrittenInOneFile(generator: RandomGenerator, sampler: SamplerKind) throws {
        let (composed, _) = try Self.topScenario()
        let single = try Support.scenario(Self.oneFile)
        let options = RunOptions(threads: 2, generator: generator, sampler: sampler)
        let a = MetricLayout(composed).rows(try Engine.run(composed, options: options).metrics)
        let b = MetricLayout(single).rows(try Engine.run(single, options: options).metrics)
        #expect(a.map(\.metric) == ["r", "m.p", "m.q", "m.a", "m.b", "m.k", "c"])
        #expect(a == b)
    }

    /// A scenario with imports may have no factors of its own; the document written for a run
    /// holds each imported document, and reads back into the same scenario without the files.
    @Test func theDocumentHoldsTheImportedDocuments() throws {
        let dir = try Self.folder(["ec.json": """
            {"name": "ec", "imports": [{"as": "eff", "file": "seed.json"}], "outputs": [{"id": "x", "expression": "2 * eff.compute"}]}
            """])
        try FileManager.default.copyItem(atPath: Support.scenarioPath("seed-2024.json"), toPath: dir.appendingPathComponent("seed.json").path)
        let s = try ScenarioReader.load(path: dir.appendingPathComponent("ec.json").path)
        #expect(s.factors.count == 6 && s.importedParts.factors == 6)
        guard case let .array(entries)? = s.document["imports"], entries.count == 1 else {
            Issue.record("no imports in \(s.document)")
            return
        }
        #expect(entries[0]["as"] == .string("eff") && entries[0]["file"] == .string("seed.json"))
        #expect(entries[0]["scenario"]?["name"] == .string("seed-2024"))
        #expect(s.document["factors"] == .array([]))
        let elsewhere = try Support.temporaryDirectory().appendingPathComponent("record.json").path
        #expect(try ScenarioReader.read(s.document, file: elsewhere) == s)
    }

    static func problems(_ files: [String: String], main: String = "top.json") throws -> (dir: String, issues: [String]) {
        let dir = try folder(files)
        do {
            _ = try ScenarioReader.load(path: dir.appendingPathComponent(main).path)
            return (dir.path, [])
        } catch let e as ScenarioError {
            return (dir.path, e.issues.map(\.description))
        }
    }

    @Test func badImportsAreRefusedWithTheirPaths() throws {
        let (dir, found) = try Self.problems([
            "top.json": """
            {"name": "top", "imports": [{"as": "m", "file": "sub/base.json"}, {"as": "gone", "file": "missing.json"},
                                        {"as": "e-f", "file": "sub/base.json"}, {"as": "m", "file": "sub/base.json"},
                                        {"as": "loop", "file": "loop.json"}],
             "factors": [{"id": "m.extra", "distribution": {"type": "fixed", "value": 2}}],
             "outputs": [{"id": "x", "expression": "m.q * m.nothing"}, {"id": "y", "expression": "gone.z"}]}
            """,
            "sub/base.json": Self.base,
            "loop.json": #"{"name": "loop", "imports": [{"as": "t", "file": "top.json"}], "outputs": [{"id": "o", "expression": "1"}]}"#,
        ])
        #expect(found == [
            "imports[1].file: cannot read \(dir)/missing.json (missing or not readable; a path is relative to the importing file's folder)",
            "imports[4]: \(dir)/loop.json: imports[0].file: an import cycle: \(dir)/top.json -> \(dir)/loop.json -> \(dir)/top.json; a scenario cannot import itself, directly or through others",
            "imports[2].as: \"e-f\" must be a name of letters, digits and '_' that starts with a letter or '_' (expressions write \"e-f\".id without backquotes)",
            "imports[3].as: \"m\" is already used at imports[0]; give each import its own name",
            "outputs[0].expression: unknown name \"m.nothing\": the scenario imported as \"m\" (\(dir)/sub/base.json) has no factor or output \"nothing\" (factors: a, b, k; outputs: p, q, unused)",
            "factors[0].id: id \"m.extra\" starts with \"m.\", which names the scenario imported as \"m\"; choose another id",
        ], "\(found)")
    }

    /// `imports: []` would leave a scenario without any factor.
    @Test func anEmptyImportListIsRefused() throws {
        let (_, found) = try Self.problems(["top.json": #"{"name": "top", "imports": [], "outputs": [{"id": "x", "expression": "2"}]}"#])
        #expect(found == ["imports: must list at least one import (or leave \"imports\" out)"], "\(found)")
    }

    /// A problem inside an imported file names that file and its own path in it.
    @Test func aBrokenImportedFileIsNamed() throws {
        let (dir, found) = try Self.problems([
            "top.json": #"{"name": "top", "imports": [{"as": "m", "file": "sub/base.json"}], "outputs": [{"id": "x", "expression": "m.q"}]}"#,
            "sub/base.json": Self.base.replacingOccurrences(of: "\"sigma\": 0.5", with: "\"sigma\": -1"),
        ])
        #expect(found == [
            "imports[0]: \(dir)/sub/base.json: factors[0].distribution.sigma: must be > 0 (got -1)",
            "imports[0]: \(dir)/sub/base.json: correlations[0].between[0]: no factor has id \"a\"",
        ], "\(found)")
    }

    /// Imports nest at most `ImportResolver.maximumDepth` deep.
    @Test func importsNestAtMostEightDeep() throws {
        func chain(_ levels: Int) -> [String: String] {
            var files = ["f\(levels).json": #"{"name": "leaf", "factors": [{"id": "x", "distribution": {"type": "fixed", "value": 2}}], "outputs": [{"id": "y", "expression": "x"}]}"#]
            for k in 0..<levels {
                files["f\(k).json"] = #"{"name": "n\#(k)", "imports": [{"as": "i", "file": "f\#(k + 1).json"}], "outputs": [{"id": "o", "expression": "i.x"}]}"#
                    .replacingOccurrences(of: "i.x", with: "i." + (k + 1 == levels ? "x" : "o"))
            }
            return files
        }
        #expect(ImportResolver.maximumDepth == 8)
        #expect(try Self.problems(chain(8), main: "f0.json").issues == [])
        let (dir, found) = try Self.problems(chain(9), main: "f0.json")
        let deepest = (0...8).map { "\(dir)/f\($0).json" }.joined(separator: " -> ")
        #expect(found.count == 1 && found[0].hasSuffix("imports[0].file: imports nest deeper than 8 (\(deepest) -> \(dir)/f9.json); import fewer levels"), "\(found)")
    }

    /// A file reached by two paths is one set of factors: sampled once, named by the first path;
    /// the second path's names are refused with the first's.
    @Test func aFileReachedTwiceIsSampledOnce() throws {
        let d = #"{"name": "d", "factors": [{"id": "x", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.5}}], "outputs": [{"id": "y", "expression": "x * 2"}]}"#
        let files = [
            "d.json": d,
            "p.json": #"{"name": "p", "imports": [{"as": "d", "file": "d.json"}], "outputs": [{"id": "py", "expression": "d.y + 1"}]}"#,
            "sub/q.json": #"{"name": "q", "imports": [{"as": "d2", "file": "../d.json"}], "outputs": [{"id": "qy", "expression": "d2.y - d2.x"}]}"#,
            "top.json": #"{"name": "top", "trials": 1000, "imports": [{"as": "p", "file": "p.json"}, {"as": "q", "file": "sub/q.json"}], "outputs": [{"id": "t", "expression": "p.py * q.qy"}]}"#,
        ]
        let dir = try Self.folder(files)
        let s = try ScenarioReader.load(path: dir.appendingPathComponent("top.json").path)
        #expect(s.factors.map(\.id) == ["p.d.x"])
        #expect(s.outputs.map(\.id) == ["t", "p.py", "p.d.y", "q.qy"])
        #expect(s.outputs[3].expression?.text == "p.d.y - p.d.x")
        // q.qy = 2x - x = x, x drawn once: the factor's column (its logs) trial for trial, to
        // the few ulps of exp(log x) (another draw of x would differ by order 1).
        let columns = try Engine.samples(s)
        let worst = zip(columns[1 + 3], columns[0]).map { abs($0 / exp($1) - 1) }.max() ?? .nan
        #expect(columns[0].count == 1000 && worst < 1e-13, "\(worst)")
        var other = files
        other["top.json"] = files["top.json"]!.replacingOccurrences(of: "p.py * q.qy", with: "q.d2.x")
        let (_, found) = try Self.problems(other)
        #expect(found.count == 1 && found[0].hasPrefix("outputs[0].expression: \"q.d2.x\" names what \"p.d.x\" names: "), "\(found)")
        #expect(found.first?.hasSuffix("a file reached by two paths is one set of factors, named by the first path; write \"p.d.x\"") == true, "\(found)")
    }

    /// Names of an imported scenario read as one name: `eff.compute`, no backquotes needed.
    @Test func dottedNamesReadAsOneName() throws {
        let parsed = try ParsedExpression.parse("eff.compute * res.x_1 + `h-1`").get()
        #expect(parsed.referencedNames == ["eff.compute", "res.x_1", "h-1"])
        #expect(parsed.renamingNames { "m.\($0)" } == "m.eff.compute * m.res.x_1 + `m.h-1`")
    }
}
