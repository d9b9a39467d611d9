import CGSL
import EffSim
import Foundation
import Testing

/// Values near the bottom of the double range are counted as they are or refused, never moved:
/// a law that reaches 0 keeps its zeros and subnormals, and a positive row too small for a
/// double fails the run instead of being written as 0.
@Suite struct TinyValueTests {
    static func rows(_ json: String) throws -> [SummaryRow] {
        let s = try Support.scenario(json)
        return MetricLayout(s).rows(try Engine.run(s, options: RunOptions(threads: 2)).metrics)
    }

    /// A uniform on [0, 1e-310] reported 2.225e-308, above its maximum, for every percentile and
    /// the mean. Its percentiles are p * 1e-310 within 5 Monte Carlo standard errors
    /// (sqrt(p(1-p)/n) / f, f = 1e310) and the binning bound; its mean 5e-311 within 5 standard
    /// errors (1e-310 / sqrt(12 n)).
    @Test func aUniformOfSubnormalsReadsItsTrueQuantiles() throws {
        let n = 200_000, width = 1e-310
        let rows = try Self.rows("""
        {"name": "t", "trials": \(n), "seed": 3, "floor": null, "percentiles": [1, 10, 50, 90, 99],
         "factors": [{"id": "u", "group": "g", "distribution": {"type": "uniform", "min": 0, "max": \(width)}}]}
        """)
        let u = try #require(rows.first { $0.metric == "u" })
        for (p, value) in zip([0.01, 0.1, 0.5, 0.9, 0.99], u.percentiles) {
            let tolerance = 5 * (p * (1 - p) / Double(n)).squareRoot() * width + 5.62e-5 * p * width
            #expect(abs(value - p * width) <= tolerance, "p\(p * 100): \(value)")
        }
        #expect(abs(u.mean - width / 2) <= 5 * width / (12 * Double(n)).squareRoot(), "\(u.mean)")
    }

    /// A beta(1e-5, 1e5) reported 1,986 of 2,000 draws as 2.225e-308 and no zero. Its median is
    /// below the smallest double: GSL's cdf there is above 1/2, so the sample median is 0 (or a
    /// subnormal), and no percentile reads the smallest normal double.
    @Test func aBetaWithMostOfItsMassBelowTheSmallestDoubleKeepsItsZeros() throws {
        #expect(gsl_cdf_beta_P(Double.leastNonzeroMagnitude, 1e-5, 1e5) > 0.5)
        let rows = try Self.rows("""
        {"name": "t", "trials": 20000, "seed": 3, "floor": null,
         "factors": [{"id": "b", "group": "g", "distribution": {"type": "beta", "alpha": 1e-5, "beta": 1e5}}]}
        """)
        let b = try #require(rows.first { $0.metric == "b" })
        let p50 = b.percentiles[Scenario.defaultPercentiles.firstIndex(of: 50)!]
        #expect(p50 < Double.leastNormalMagnitude, "\(b)")
        #expect(!b.percentiles.contains(Double.leastNormalMagnitude), "\(b)")
    }

    /// 1e-60 / 1e300 and a floor of 1e-300 over 0.4 years were written as 0.0 in every column.
    @Test(arguments: [
        (#""years": 0.4, "factors": [{"id": "a", "group": "g", "floor": 1e-300, "distribution": {"type": "fixed", "value": 1e-305}}]"#,
         #"row "o_per_year" (mean = 0)"#),
        (#""factors": [{"id": "a", "group": "g", "distribution": {"type": "lognormal", "median": 1e300, "sigma": 1}}], "derived": [{"id": "d", "divide_by": "o", "baseline": 1e-60}]"#,
         #"row "d" (mean = 0)"#),
    ])
    func aPositiveRowTooSmallForADoubleFailsTheRun(body: String, row: String) throws {
        let dir = try Support.temporaryDirectory()
        try Data(#"{"name": "tiny", "trials": 1000, "seed": 1, \#(body), "outputs": [{"id": "o", "groups": ["g"]}]}"#.utf8)
            .write(to: dir.appendingPathComponent("tiny.json"))
        let r = try Support.effsim(["run", "tiny.json", "--out", "out"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr == "effsim: tiny.json: \(row): its values are positive but below the smallest double (5e-324) and would be written as 0; nothing was written\n", "\(r.stderr)")
        #expect(Support.files(in: dir) == ["tiny.json"])
    }

    /// `years` on an expression output of either sign said "the scenario's values overflow a
    /// double (y_per_year mean = nan)" instead of the positivity rule.
    @Test func yearsOnASignedExpressionOutputNamesThePositivityRule() throws {
        let dir = try Support.temporaryDirectory()
        try Data(#"""
        {"name": "ys", "trials": 1000, "seed": 1, "floor": null,
         "factors": [{"id": "a", "group": "g", "distribution": {"type": "normal", "mean": 1, "sd": 1}}],
         "outputs": [{"id": "y", "expression": "a", "years": 4}]}
        """#.utf8).write(to: dir.appendingPathComponent("ys.json"))
        let r = try Support.effsim(["run", "ys.json", "--out", "out"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("effsim: ys.json: output \"y\" took values <= 0 in "), "\(r.stderr)")
        #expect(r.stderr.hasSuffix(" of 1000 trials; \"y_per_year\" (x^(1/years) or baseline / x) need positive values; nothing was written\n"), "\(r.stderr)")
    }
    /// A fixed 0 without a floor (allowed since floors are explicit: a mixture's zero
    /// component, a cost that may be nothing) crashed every run: its column holds values, and
    /// it was filled with log 0 = -infinity. A fixed subnormal was filled with its log (about
    /// -737) as if it were its value. Both are constants, so every statistic is the value.
    @Test(arguments: [0, 1e-320])
    func aFixedValueThatMayBeZeroIsCountedAsItIs(value: Double) throws {
        let rows = try Self.rows("""
            {"name": "t", "trials": 70000, "seed": 3, "percentiles": [10, 50, 90], "thresholds": [0],
             "factors": [{"id": "a", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.3}},
                         {"id": "z", "distribution": {"type": "fixed", "value": \(value)}}],
             "outputs": [{"id": "sum", "expression": "a + z"}, {"id": "product", "expression": "a * z"}]}
            """)
        let z = try #require(rows.first { $0.metric == "z" })
        #expect(z.mean == value && z.percentiles == [value, value, value])
        #expect(z.exceedance == [value > 0 ? 1 : 0])
        let a = try #require(rows.first { $0.metric == "a" }), sum = try #require(rows.first { $0.metric == "sum" })
        #expect(sum.percentiles == a.percentiles)
        let product = try #require(rows.first { $0.metric == "product" })
        #expect(product.percentiles.allSatisfy { $0 >= 0 && $0 <= 2e-319 })
    }
}
