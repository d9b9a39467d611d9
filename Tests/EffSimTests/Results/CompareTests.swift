import EffSim
import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `effsim compare`: differences with their 95% Monte Carlo interval, from common random numbers
/// (scenario files) or from two finished folders.
@Suite struct CompareTests {
    /// 20 chunks: the full 20 batches of the batch-means interval.
    static let trials = 20 * 65_536

    static func scenario(_ factors: String, outputs: String = #"[{"id": "total", "groups": ["g"]}]"#, seed: Int = 7,
                         percentiles: String = "[10, 50, 90]") throws -> Scenario {
        try Support.scenario("""
        {"name": "c", "trials": \(trials), "seed": \(seed), "percentiles": \(percentiles), "thresholds": [10],
         "factors": [\(factors)], "outputs": \(outputs)}
        """)
    }

    static func lognormal(_ id: String, median: Double, sigma: Double, group: String = "g") -> String {
        #"{"id": "\#(id)", "group": "\#(group)", "distribution": {"type": "lognormal", "median": \#(median), "sigma": \#(sigma)}}"#
    }

    static func row(_ c: Comparison, _ metric: String, _ statistic: String) throws -> ComparisonRow {
        try #require(c.rows.first { $0.metric == metric && $0.statistic == statistic })
    }

    /// P(Z > z) for a standard normal.
    static func upper(_ z: Double) -> Double { 0.5 * erfc(z / 2.0.squareRoot()) }

    /// One lognormal factor's median doubled: the output's median goes from 3 to 6 (difference 3,
    /// ratio 2 trial by trial under common random numbers) and P(>10) from Q(ln(10/3)/s) to
    /// Q(ln(10/6)/s); both intervals cover the closed-form differences.
    @Test func aDoubledMedianIsFoundWithAnIntervalThatCoversIt() throws {
        let sigma = 0.5
        let a = try Self.scenario(Self.lognormal("x", median: 3, sigma: sigma))
        let b = try Self.scenario(Self.lognormal("x", median: 6, sigma: sigma))
        let c = try Comparison.sample(a, b, options: RunOptions(threads: 2)).comparison
        let p50 = try Self.row(c, "total", "p50")
        #expect(p50.lo95 <= 3 && 3 <= p50.hi95, "\(p50)")
        #expect(abs(try #require(p50.ratio) - 2) < 1e-3, "\(p50)")
        #expect(p50.isSignificant)
        let exceed = try Self.row(c, "total", "p_gt_10")
        let truth = Self.upper(log(10.0 / 6) / sigma) - Self.upper(log(10.0 / 3) / sigma)
        #expect(exceed.lo95 <= truth && truth <= exceed.hi95, "\(exceed) vs \(truth)")
        // A useful interval: well under a tenth of the difference.
        #expect(p50.hi95 - p50.lo95 < 0.3)
        #expect(c.onlyInA.isEmpty && c.onlyInB.isEmpty)
    }

    @Test func identicalInputsDifferByExactlyZero() throws {
        let a = try Self.scenario(Self.lognormal("x", median: 3, sigma: 0.5) + "," + Self.lognormal("y", median: 2, sigma: 0.7))
        let c = try Comparison.sample(a, a, options: RunOptions(threads: 2)).comparison
        #expect(!c.rows.isEmpty)
        for r in c.rows {
            #expect(r.difference == 0 && r.lo95 == 0 && r.hi95 == 0, "\(r)")
        }
    }

    /// Common random numbers: the same change compared with the same seed has a far narrower
    /// interval than with independent seeds.
    @Test func commonRandomNumbersNarrowTheInterval() throws {
        let other = Self.lognormal("y", median: 2, sigma: 0.7)
        let a = try Self.scenario(Self.lognormal("x", median: 3, sigma: 0.5) + "," + other)
        let b = try Self.scenario(Self.lognormal("x", median: 3.3, sigma: 0.5) + "," + other)
        let independent = try Self.scenario(Self.lognormal("x", median: 3.3, sigma: 0.5) + "," + other, seed: 99)
        let crn = try Self.row(Comparison.sample(a, b, options: RunOptions(threads: 2)).comparison, "total", "p50")
        let apart = try Self.row(Comparison.sample(a, independent, options: RunOptions(threads: 2)).comparison, "total", "p50")
        #expect((crn.hi95 - crn.lo95) * 3 < apart.hi95 - apart.lo95, "CRN \(crn), independent \(apart)")
    }

    // MARK: The command

    static func write(_ scenario: String, _ name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try scenario.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func document(_ factors: String, outputs: String, percentiles: String = "[10, 50, 90]") -> String {
        """
        {"name": "c", "trials": 131072, "seed": 3, "percentiles": \(percentiles), "thresholds": [10],
         "factors": [\(factors)], "outputs": \(outputs)}
        """
    }

    @Test func compareWritesTheTableAndListsMetricsInOnlyOne() throws {
        let dir = try Support.temporaryDirectory()
        let x = Self.lognormal("x", median: 3, sigma: 0.5)
        let a = try Self.write(Self.document(x, outputs: #"[{"id": "total", "groups": ["g"]}]"#), "a.json", in: dir)
        let b = try Self.write(Self.document(Self.lognormal("x", median: 6, sigma: 0.5) + "," + Self.lognormal("z", median: 2, sigma: 0.1, group: "h"),
                                             outputs: #"[{"id": "total", "groups": ["g"]}, {"id": "extra", "groups": ["h"]}]"#), "b.json", in: dir)
        let r = try Support.effsim(["compare", a, b], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let out = dir.appendingPathComponent("results/compare-a-vs-b")
        let csv = try String(contentsOf: out.appendingPathComponent("compare.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv[0] == "metric,statistic,a,b,ratio,difference,lo95,hi95")
        #expect(csv.dropFirst().map { $0.split(separator: ",").prefix(2).joined(separator: ",") } == [
            "total,mean", "total,p10", "total,p50", "total,p90", "total,p_gt_10",
            "x,mean", "x,p10", "x,p50", "x,p90", "x,p_gt_10", "x,floor_share",
        ])
        #expect(try String(contentsOf: out.appendingPathComponent("only-in-one.csv"), encoding: .utf8) == "metric,in\nextra,b\nz,b\n")
        #expect(r.stdout.contains("\nonly in b: extra, z\n"), "\(r.stdout)")
        // Led by what moved most relative to its interval, marked when the interval excludes 0.
        let first = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("total ") })
        #expect(first.hasSuffix("*"), "\(first)")
    }

    @Test func compareOfTwoFoldersNeedsTheSameStatistics() throws {
        let dir = try Support.temporaryDirectory()
        let x = Self.lognormal("x", median: 3, sigma: 0.5)
        let outputs = #"[{"id": "total", "groups": ["g"]}]"#
        let a = try Self.write(Self.document(x, outputs: outputs), "a.json", in: dir)
        let other = try Self.write(Self.document(x, outputs: outputs, percentiles: "[50]"), "other.json", in: dir)
        for (file, folder) in [(a, "ra"), (other, "rother")] {
            let r = try Support.effsim(["run", file, "--trials", "20000", "--out", dir.appendingPathComponent(folder).path, "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let ra = dir.appendingPathComponent("ra").path
        // The same run twice: differences of exactly 0.
        var r = try Support.effsim(["compare", ra, ra, "--out", dir.appendingPathComponent("same").path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try String(contentsOf: dir.appendingPathComponent("same/compare.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(!rows.isEmpty && rows.allSatisfy { $0.hasSuffix(",0.0,0.0,0.0") }, "\(rows)")

        r = try Support.effsim(["compare", ra, dir.appendingPathComponent("rother").path, "--out", dir.appendingPathComponent("x").path])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("effsim: \(ra) and \(dir.appendingPathComponent("rother").path) report different statistics ("), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x").path))

        r = try Support.effsim(["compare", ra, a])
        #expect(r.status == 2)
        #expect(r.stderr == "effsim: compare takes two scenario files or two results folders; \(ra) is a folder, \(a) is not\n")

        r = try Support.effsim(["compare", a, a, "--show", "p50,p77", "--out", dir.appendingPathComponent("y").path])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("effsim: --show: no statistic \"p77\" in this comparison"), "\(r.stderr)")
    }

    @Test func tooFewTrialsForAnIntervalIsRefused() throws {
        let dir = try Support.temporaryDirectory()
        let a = try Self.write(Self.document(Self.lognormal("x", median: 3, sigma: 0.5), outputs: #"[{"id": "total", "groups": ["g"]}]"#), "a.json", in: dir)
        let r = try Support.effsim(["compare", a, a, "--trials", "1000", "--out", dir.appendingPathComponent("o").path])
        #expect(r.status == 2)
        #expect(r.stderr == "effsim: compare needs at least 131072 trials (two chunks of 65536) for the interval of a difference; this run has 1000\n")
    }

    /// compare.html: well-formed, self-contained, both runs' histograms and exceedance curves overlaid per shared output, the factor
    /// that differs as written in each file.
    @Test func compareReportDrawsBothRunsAndTheFactorsThatDiffer() throws {
        let dir = try Support.temporaryDirectory()
        let outputs = #"[{"id": "total", "groups": ["g"]}]"#
        let a = try Self.write(Self.document(Self.lognormal("x", median: 3, sigma: 0.5) + "," + Self.lognormal("y", median: 2, sigma: 0.7), outputs: outputs), "a.json", in: dir)
        let b = try Self.write(Self.document(Self.lognormal("x", median: 6, sigma: 0.5) + "," + Self.lognormal("y", median: 2, sigma: 0.7), outputs: outputs), "b.json", in: dir)
        let out = dir.appendingPathComponent("cmp")
        let r = try Support.effsim(["compare", a, b, "--report", "--out", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let data = try Data(contentsOf: out.appendingPathComponent("compare.html"))
        let html = String(decoding: data, as: UTF8.self)
        #expect(XMLParser(data: data).parse(), "compare.html is well-formed")
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("<link"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 2, "histograms and exceedance curves for the one output")
        // Each chart overlays both runs: a histogram outline and an exceedance curve per run.
        for run in ["a", "b"] {
            #expect(html.components(separatedBy: "<g class=\"series\" data-run=\"\(run)\">\n    <polyline class=\"outline\"").count - 1 == 1, "\(run)'s histogram")
            #expect(html.components(separatedBy: "<g class=\"series\" data-run=\"\(run)\">\n    <polyline class=\"curve\"").count - 1 == 1, "\(run)'s curve")
        }
        // As the record has them: the floor (none by default) is spelled out.
        #expect(html.contains(#"<tr><td>x</td><td>{&quot;median&quot;:3,&quot;sigma&quot;:0.5,&quot;type&quot;:&quot;lognormal&quot;}, floor null</td><td>{&quot;median&quot;:6,"#), "\(html)")
        #expect(!html.contains("<tr><td>y</td><td>{"), "y is the same in both")
    }

    /// A series is one chart with both fans (not one pair of charts per index value), a
    /// crossing time one chart with both P(crossed by x) curves and each run's P(never).
    @Test func compareReportOverlaysSeriesFansAndCrossingCurves() throws {
        let dir = try Support.temporaryDirectory()
        func model(_ growth: Int) -> String {
            """
            {"name": "s", "trials": 131072, "seed": 3, "percentiles": [10, 50, 90],
             "factors": [{"id": "c0", "unit": "FLOP", "distribution": {"type": "fixed", "value": 1e25}},
                         {"id": "g", "distribution": {"type": "lognormal", "median": \(growth), "sigma": 0.3}}],
             "outputs": [{"id": "flop", "unit": "FLOP", "over": {"id": "year", "from": 2024, "to": 2034, "step": 1, "unit": "yr"},
                          "expression": "c0 * g ^ ((year - 2024[yr]) / 1[yr])"},
                         {"id": "when", "first": {"series": "flop", "above": 1e27}}]}
            """
        }
        let a = try Self.write(model(2), "a.json", in: dir), b = try Self.write(model(3), "b.json", in: dir)
        let out = dir.appendingPathComponent("cmp")
        let r = try Support.effsim(["compare", a, b, "--report", "--out", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let data = try Data(contentsOf: out.appendingPathComponent("compare.html"))
        let html = String(decoding: data, as: UTF8.self)
        #expect(XMLParser(data: data).parse(), "compare.html is well-formed")
        #expect(html.components(separatedBy: "<svg").count - 1 == 2, "one fan overlay and one crossing overlay")
        #expect(html.contains("<h3>flop</h3>") && html.contains("<h3>when</h3>") && !html.contains("<h3>flop[year="))
        for run in ["a", "b"] {
            #expect(html.components(separatedBy: "<g class=\"series\" data-run=\"\(run)\">\n    <polygon class=\"band\"").count - 1 == 1, "\(run)'s fan")
            #expect(html.components(separatedBy: "<g class=\"series\" data-run=\"\(run)\">\n    <polyline class=\"curve\"").count - 1 == 1, "\(run)'s crossing curve")
            #expect(html.contains("\(run) ") && html.contains("never by 2034"), "\(run)'s P(never)")
        }
    }

    // MARK: Extreme values and units

    /// Medians of 1e200 and 2e200: differences beyond 1e154, whose squares overflowed, gave
    /// intervals of -inf/inf. Under common random numbers b = 2a trial by trial, so the p50
    /// difference is a's median, 1e200 up to its Monte Carlo error, inside a finite interval.
    @Test func valuesBeyond1e154GiveFiniteIntervals() throws {
        let a = try Self.scenario(Self.lognormal("x", median: 1e200, sigma: 1))
        let b = try Self.scenario(Self.lognormal("x", median: 2e200, sigma: 1))
        let c = try Comparison.sample(a, b, options: RunOptions(threads: 2)).comparison
        for r in c.rows { #expect(r.lo95.isFinite && r.hi95.isFinite && r.lo95 <= r.difference && r.difference <= r.hi95, "\(r)") }
        let p50 = try Self.row(c, "total", "p50")
        // 5 standard errors of a sample median of a lognormal(sigma 1): sqrt(0.25 / n) / f(median), f = 1 / (m sqrt(2 pi)).
        let se = (0.25 / Double(Self.trials)).squareRoot() * 1e200 * (2 * Double.pi).squareRoot()
        #expect(abs(p50.difference - 1e200) < 5 * se + 1e-4 * 1e200, "\(p50)")
        #expect(abs(try #require(p50.ratio) - 2) < 1e-3)
    }

    /// Two folders of values near 1e200: their precision.csv intervals combine with hypot.
    @Test func foldersOfHugeValuesCompareWithFiniteIntervals() throws {
        let dir = try Support.temporaryDirectory()
        for (name, median) in [("a", 1e200), ("b", 3e200)] {
            let file = try Self.write(Self.document(Self.lognormal("x", median: median, sigma: 1), outputs: #"[{"id": "total", "groups": ["g"]}]"#), "\(name).json", in: dir)
            let r = try Support.effsim(["run", file, "--trials", "20000", "--out", name, "--quiet"], in: dir)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let r = try Support.effsim(["compare", "a", "b", "--out", "c", "--quiet"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try String(contentsOf: dir.appendingPathComponent("c/compare.csv"), encoding: .utf8)
        #expect(!csv.contains("inf") && !csv.contains("nan"), "\(csv)")
    }

    /// The same model with a factor in s and in h compared as ratio 1 with no word of units.
    @Test func outputsInDifferentUnitsAreRefusedAndTheUnitIsWritten() throws {
        let dir = try Support.temporaryDirectory()
        func model(_ unit: String) -> String {
            Self.document(#"{"id": "t", "group": "g", "unit": "\#(unit)", "distribution": {"type": "lognormal", "median": 3, "sigma": 1}}"#,
                          outputs: #"[{"id": "o", "unit": "\#(unit)", "expression": "2 * t"}]"#)
        }
        let a = try Self.write(model("s"), "a.json", in: dir), b = try Self.write(model("h"), "b.json", in: dir)
        let refused = try Support.effsim(["compare", a, b, "--out", "c"], in: dir)
        #expect(refused.status == 2)
        #expect(refused.stderr == "effsim: cannot compare across units (effsim has no conversion tables): \"o\" is in \"s\" in a and in \"h\" in b; \"t\" is in \"s\" in a and in \"h\" in b\n", "\(refused.stderr)")
        #expect(Support.files(in: dir) == ["a.json", "b.json"])
        let same = try Support.effsim(["compare", a, a, "--out", "c", "--quiet"], in: dir)
        #expect(same.status == 0, "\(same.stderr)")
        let csv = try String(contentsOf: dir.appendingPathComponent("c/compare.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv[0] == "metric,statistic,a,b,ratio,difference,lo95,hi95,unit")
        #expect(csv.dropFirst().allSatisfy { $0.hasSuffix(",s") }, "\(csv)")
    }
}
