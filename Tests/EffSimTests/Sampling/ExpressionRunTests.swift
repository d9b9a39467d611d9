import CGSL
import EffSim
import Foundation
import Testing

/// Expression outputs sampled: their quantiles against closed forms, the run-time stop on a
/// value that is not a positive finite number, per-output years and sensitivity.
@Suite struct ExpressionRunTests {
    static func rows(_ s: Scenario) throws -> [String: SummaryRow] {
        let rows = MetricLayout(s).rows(try Engine.run(s).metrics)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.metric, $0) })
    }

    /// A sum (evaluated on values) and a log: x ~ uniform(1, 2), so x + 3 ~ uniform(4, 5), and
    /// ln(y) for y lognormal(median e^2, sigma 0.1) is normal(2, 0.1).
    @Test func quantilesOfASumAndALogMatchTheirClosedForms() throws {
        let n = 200_000
        let s = try Support.scenario("""
        {"name": "t", "trials": \(n), "seed": 3, "floor": null, "percentiles": [5, 50, 95],
         "factors": [{"id": "x", "group": "g", "distribution": {"type": "uniform", "min": 1, "max": 2}},
                     {"id": "three", "group": "g", "distribution": {"type": "fixed", "value": 3}},
                     {"id": "y", "group": "h", "distribution": {"type": "lognormal", "median": 7.38905609893065, "sigma": 0.1}}],
         "outputs": [{"id": "sum", "expression": "x + three"}, {"id": "logged", "expression": "ln(y)"}]}
        """)
        let r = try Self.rows(s)
        for (i, p) in [0.05, 0.5, 0.95].enumerated() {
            // Binomial error of the sample quantile: sqrt(p(1-p)/n) / density, 5 standard errors.
            let se = (p * (1 - p) / Double(n)).squareRoot()
            let sumTruth = 4 + p
            #expect(abs(r["sum"]!.percentiles[i] - sumTruth) < 5 * se / 1.0 + 6e-5 * sumTruth)
            let logTruth = 2 + gsl_cdf_gaussian_Pinv(p, 0.1)
            let density = exp(-0.5 * pow((logTruth - 2) / 0.1, 2)) / (0.1 * (2 * Double.pi).squareRoot())
            #expect(abs(r["logged"]!.percentiles[i] - logTruth) < 5 * se / density + 6e-5 * logTruth)
        }
    }

    /// `a * b` as an expression (kept in logs) and as groups give the same draws.
    @Test func aProductExpressionEqualsTheGroupsOutput() throws {
        let s = try Support.scenario("""
        {"name": "t", "trials": 100000, "seed": 5,
         "factors": [{"id": "a", "group": "g", "distribution": {"type": "lognormal", "median": 3, "sigma": 0.5}},
                     {"id": "b", "group": "h", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.7}}],
         "outputs": [{"id": "grouped", "groups": ["g", "h"]}, {"id": "written", "expression": "a * b"}]}
        """)
        let r = try Self.rows(s)
        #expect(r["grouped"]!.percentiles == r["written"]!.percentiles)
        #expect(r["grouped"]!.exceedance == r["written"]!.exceedance)
    }

    /// ln(x - 1.5) for x ~ uniform(1, 2) is NaN for half the trials and negative for the rest:
    /// the run stops with the output, its expression, the count in the first failing chunk and one trial.
    @Test func aValueThatIsNotPositiveAndFiniteStopsTheRun() throws {
        let s = try Support.scenario("""
        {"name": "t", "trials": 200000, "seed": 1, "floor": null,
         "factors": [{"id": "x", "group": "g", "distribution": {"type": "uniform", "min": 1, "max": 2}}],
         "outputs": [{"id": "ok", "expression": "x"}, {"id": "bad", "expression": "ln(x - 1.5) + 10"}]}
        """)
        for threads in [1, 2] {
            do {
                _ = try Engine.run(s, options: RunOptions(threads: threads))
                Issue.record("the run was accepted")
            } catch let e as OutputValueError {
                #expect(e.output == "bad")
                #expect(e.expression == "ln(x - 1.5) + 10")
                #expect(e.chunk == 0)
                #expect(e.chunkTrials == Engine.chunkSize)
                // About half of a chunk's uniforms fall below 1.5: binomial, 5 standard deviations.
                #expect(abs(Double(e.failedTrials) - Double(Engine.chunkSize) / 2) < 5 * (Double(Engine.chunkSize) / 4).squareRoot())
                #expect(e.value.isNaN)
                #expect(e.factorValues.count == 1 && e.factorValues[0].id == "x" && e.factorValues[0].value < 1.5)
                #expect(e.description.hasPrefix(#"output "bad" = ln(x - 1.5) + 10 is not a number (NaN) in "#))
            }
        }
    }

    @Test func outputsChooseTheirOwnPerYearRows() throws {
        let s = try Support.scenario("""
        {"name": "t", "trials": 50000, "seed": 2, "years": 4,
         "factors": [{"id": "a", "group": "g", "distribution": {"type": "lognormal", "median": 16, "sigma": 0.3}}],
         "outputs": [{"id": "inherits", "groups": ["g"]},
                     {"id": "declines", "groups": ["g"], "years": null},
                     {"id": "own", "expression": "a ^ 2", "years": 2},
                     {"id": "none", "expression": "a * 2"}]}
        """)
        #expect(s.perYearNames == ["inherits_per_year", "own_per_year"])
        let r = try Self.rows(s)
        let p50 = s.percentiles.firstIndex(of: 50)!
        // Per-year rows are monotone maps of their output: the median maps exactly (bin centres).
        #expect(abs(r["inherits_per_year"]!.percentiles[p50] / pow(r["inherits"]!.percentiles[p50], 0.25) - 1) < 2e-4)
        #expect(abs(r["own_per_year"]!.percentiles[p50] / pow(r["own"]!.percentiles[p50], 0.5) - 1) < 2e-4)
    }

    /// For log-linear expressions the variance shares are exact splits, as for groups: the share
    /// of a factor raised to k in log Y = k log a + log b is k^2 s_a^2 / (k^2 s_a^2 + s_b^2).
    @Test func sensitivityCoversExpressionOutputs() throws {
        let s = try Support.scenario("""
        {"name": "t", "trials": 100000, "seed": 9, "floor": null,
         "factors": [{"id": "a", "group": "g", "distribution": {"type": "lognormal", "median": 3, "sigma": 0.5}},
                     {"id": "b", "group": "g", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.5}}],
         "outputs": [{"id": "y", "expression": "a^2 * b"}, {"id": "z", "expression": "a + b"}]}
        """)
        let rows = try Sensitivity.analyse(s)
        let y = rows.filter { $0.output == "y" }
        #expect(y.map(\.factor) == ["a", "b"])
        #expect(abs(y[0].varianceShare - 0.8) < 0.02)
        #expect(abs(y[1].varianceShare - 0.2) < 0.02)
        // Pinning a at its p90 (3 e^{1.2816 * 0.5}) leaves median(b) = 2 for the rest.
        let a90 = 3 * exp(gsl_cdf_ugaussian_Pinv(0.9) * 0.5)
        #expect(abs(y[0].medianAtP90 / (a90 * a90 * 2) - 1) < 0.01)
        let z = rows.filter { $0.output == "z" }
        #expect(z.count == 2 && z.allSatisfy { $0.scale == .log && $0.varianceShare > 0.2 && $0.varianceShare < 0.8 })
        #expect(z[0].medianAtP10 < z[0].medianAtP90)
    }
}

/// Expression outputs of any sign: a difference is summarised where its values lie, and its
/// sensitivity is a share of Var(Y) (scale `value`).
@Suite struct SignedExpressionTests {
    @Test func aDifferenceAcrossZeroHasItsClosedFormQuantilesAndAValueScaleShare() throws {
        let n = 100_000
        let s = try Support.scenario("""
        {"name": "t", "trials": \(n), "seed": 4, "floor": null, "percentiles": [10, 50, 90], "thresholds": [0],
         "factors": [{"id": "x", "group": "g", "distribution": {"type": "uniform", "min": 1, "max": 3}}],
         "outputs": [{"id": "d", "expression": "x - 2"}]}
        """)
        let row = MetricLayout(s).rows(try Engine.run(s).metrics).first { $0.metric == "d" }!
        // x - 2 is uniform on [-1, 1]: quantile 2p - 1, density 1/2; P(d > 0) = 1/2.
        for (i, p) in [0.1, 0.5, 0.9].enumerated() {
            let se = (p * (1 - p) / Double(n)).squareRoot() / 0.5
            #expect(abs(row.percentiles[i] - (2 * p - 1)) < 5 * se + 1e-4)
        }
        #expect(abs(row.exceedance[0]! - 0.5) < 5 * (0.25 / Double(n)).squareRoot())
        let rows = try Sensitivity.analyse(s)
        #expect(rows.count == 1 && rows[0].scale == .value)
        // d is a function of x alone: the bin means explain all but the within-bin spread (1 / bins^2).
        #expect(rows[0].varianceShare > 0.99)
        #expect(abs(rows[0].medianAtP10 - (-0.8)) < 1e-9 && abs(rows[0].medianAtP90 - 0.8) < 1e-9)
    }
}

/// A factor without a floor that can be <= 0 (a normal across zero) enters sensitivity as
/// values: net = gain + loss with independent normals, sd 1 and 2, so the first-order shares of
/// Var(net) are 1/5 and 4/5, and the tornado pins each at its p10/p90 (mean ± 1.2816 sd).
@Suite struct SignedFactorSensitivityTests {
    @Test func sharesOfVarianceForASumOfNormals() throws {
        let s = try Support.scenario("""
        {"name": "t", "trials": 100000, "seed": 6, "floor": null,
         "factors": [{"id": "gain", "group": "g", "distribution": {"type": "normal", "mean": 1, "sd": 1}},
                     {"id": "loss", "group": "h", "distribution": {"type": "normal", "mean": -1, "sd": 2}}],
         "outputs": [{"id": "net", "expression": "gain + loss"}]}
        """)
        let rows = try Sensitivity.analyse(s)
        #expect(rows.map(\.factor) == ["gain", "loss"])
        #expect(rows.allSatisfy { $0.scale == .value })
        // 100 bins of 1,000 draws: the bin-mean estimate is within a few 0.01 of the share.
        #expect(abs(rows[0].varianceShare - 0.2) < 0.03)
        #expect(abs(rows[1].varianceShare - 0.8) < 0.03)
        // Median of net with gain pinned at 1 + 1.2816: that plus median(loss) = -1 (MC error ~0.01).
        #expect(abs(rows[0].medianAtP90 - 1.2816) < 0.05)
    }
}

/// The command line's side of a run-time failure: exit status 2, the message, no folder.
@Suite struct ExpressionCLITests {
    @Test func aRunTimeNaNExitsWithStatus2AndWritesNothing() throws {
        let dir = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("nan.json")
        try Data("""
        {"name": "nan", "trials": 1000, "seed": 1, "floor": null,
         "factors": [{"id": "x", "group": "g", "distribution": {"type": "fixed", "value": 2}}],
         "outputs": [{"id": "bad", "expression": "ln(1 - x) * x"}]}
        """.utf8).write(to: file)
        let result = try Support.effsim(["run", file.path, "--out", dir.appendingPathComponent("out").path, "--quiet"])
        #expect(result.status == 2)
        #expect(result.stderr == "effsim: \(file.path): output \"bad\" = ln(1 - x) * x is not a number (NaN) in 1000 of the 1000 trials of chunk 0; trial 0 drew x = 2; nothing was written\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
        #expect(Support.files(in: dir) == ["nan.json"])
    }
}

/// A product kept in logs overflows only when its value would: 1e200 * 1e200 stops the run, a
/// product of tiny values (1e-200 * 1e-200, a log far below any double's) is kept.
@Suite struct LogFormRangeTests {
    @Test func overflowStopsButATinyProductIsKept() throws {
        func scenario(_ value: String) throws -> Scenario {
            try Support.scenario("""
            {"name": "t", "trials": 1000, "seed": 1, "floor": null,
             "factors": [{"id": "a", "group": "g", "distribution": {"type": "lognormal", "median": \(value), "sigma": 0.1}}],
             "outputs": [{"id": "p", "expression": "a * a"}]}
            """)
        }
        #expect(throws: OutputValueError.self) { try Engine.run(try scenario("1e200")) }
        let tiny = try scenario("1e-200")
        let row = MetricLayout(tiny).rows(try Engine.run(tiny).metrics).first { $0.metric == "p" }!
        // 1e-400 is below every double: the summary reads it as 0 or the least subnormal, never NaN.
        #expect(row.trials == 1000)
        #expect(row.percentiles.allSatisfy { $0 >= 0 && $0 < 1e-300 })
    }
}

/// A histogram of an output with a unit names the unit and drops the multiplier's "x"; it
/// shares its axis only with outputs in the same unit (FLOP beside days would squeeze both).
@Suite struct UnitChartTests {
    @Test func unitOutputsGetTheirOwnAxisAndNoTimesSign() throws {
        var s = try ScenarioReader.load(path: Support.scenarioPath("gpt3-training-compute.json"))
        s.trials = 20_000
        let folder = ResultsFolder(try Engine.run(s))
        let flop = HistogramChart.render(folder, output: s.outputs[0])
        let days = HistogramChart.render(folder, output: s.outputs[1])
        // A constant and a spread under a decade: linear axes, each in its unit.
        #expect(flop.contains("training_flop [FLOP] (linear scale)"))
        #expect(days.contains("training_days [d] (linear scale)"))
        // The days axis spans a decade or two around 15, not the 10^23 of the FLOP.
        #expect(days.contains(">10<") && !days.contains("10²³"))
        #expect(!days.contains("x</text>"))
    }
}

/// sensitivity.csv rows of an output that took values <= 0 (scale `value`) have medians the
/// tornado's log axis cannot place: the report leaves them out and is still written.
@Suite struct SignedSensitivityReportTests {
    @Test func theReportIsWrittenWithoutTheRowsItCannotPlace() throws {
        let dir = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("diff.json")
        try Data("""
        {"name": "diff", "trials": 20000, "seed": 1, "floor": null,
         "factors": [{"id": "x", "group": "g", "distribution": {"type": "uniform", "min": 1, "max": 3}},
                     {"id": "y", "group": "g", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.3}}],
         "outputs": [{"id": "d", "expression": "x - 2"}, {"id": "p", "expression": "x * y"}]}
        """.utf8).write(to: file)
        let out = dir.appendingPathComponent("out").path
        let s = try Support.effsim(["sensitivity", file.path, "--out", out, "--quiet"])
        #expect(s.status == 0, "\(s.stderr)")
        let r = try Support.effsim(["run", file.path, "--out", out, "--report", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("tornado"))
        let tornado = try String(contentsOfFile: out + "/tornado.svg", encoding: .utf8)
        #expect(tornado.contains(">p (p50"))
        #expect(!tornado.contains(">d (p50"))
    }
}
