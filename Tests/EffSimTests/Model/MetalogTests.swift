import CGSL
import EffSim
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// The metalog and the lognormal and normal through two quantiles: fits against closed forms,
/// sampled values against the given quantiles at 10^6 trials, and every rule refused with its
/// JSON path.
///
/// Closed forms used. The 3-term metalog through (alpha, x_a), (1/2, x_m), (1 - alpha, x_b) has
/// a1 = x_m, a2 = (x_b - x_a) / (2 l), a3 = (x_a + x_b - 2 x_m) / ((1 - 2 alpha) l),
/// l = ln((1 - alpha) / alpha) (M at the three points, solved by hand). Points taken from a
/// logistic law x = mu + s ln(y / (1 - y)) give a = (mu, s, 0, ...) for any number of terms, and
/// then the law is the logistic, with CDF 1 / (1 + e^-(x - mu) / s); with bounds the same points
/// of z give the log-logistic (lower), its mirror (upper) and the logit-logistic (both).
///
/// Sampled tests: the share of draws at or below each given value x_i is p_i within the 99.9%
/// binomial band 3.29 sqrt(p (1 - p) / n) (the Monte Carlo interval of a probability).
@Suite struct MetalogTests {
    static func logistic(_ y: Double, mu: Double, s: Double) -> Double { mu + s * log(y / (1 - y)) }

    /// Points of z = mu + s L at the given probabilities, mapped back through a bound's transform.
    static func points(_ ps: [Double], mu: Double, s: Double, value: (Double) -> Double = { $0 }) -> [QuantilePoint] {
        ps.map { QuantilePoint(probability: $0, value: value(logistic($0, mu: mu, s: s))) }
    }

    @Test func threeTermsMatchTheClosedForm() throws {
        let (alpha, xa, xm, xb) = (0.1, 1.25, 2.5, 6.0)
        let m = try Metalog(quantiles: [.init(probability: alpha, value: xa), .init(probability: 0.5, value: xm), .init(probability: 1 - alpha, value: xb)])
        let l = log((1 - alpha) / alpha)
        let truth = [xm, (xb - xa) / (2 * l), (xa + xb - 2 * xm) / ((1 - 2 * alpha) * l)]
        for (a, t) in zip(m.coefficients, truth) { #expect(abs(a - t) <= 1e-13 * abs(t), "\(m.coefficients) vs \(truth)") }
        for y in [1e-9, 0.01, 0.1, 0.3, 0.5, 0.77, 0.9, 0.999] {
            let ly = log(y / (1 - y)), q = truth[0] + truth[1] * ly + truth[2] * (y - 0.5) * ly
            #expect(abs(m.quantile(y) - q) <= 1e-12 * max(1, abs(q)), "y \(y)")
        }
    }

    /// Logistic points: coefficients (mu, s, 0, ...) for 3, 5 and 10 terms, quantiles through
    /// the given points to 1e-12, and the CDF by inversion equal to the logistic's.
    @Test func logisticPointsGiveTheLogisticForEveryNumberOfTerms() throws {
        let (mu, s) = (3.0, 0.7)
        for ps in [[0.1, 0.5, 0.9], [0.05, 0.2, 0.5, 0.7, 0.99], (1...10).map { Double($0) / 11 }] {
            let m = try Metalog(quantiles: Self.points(ps, mu: mu, s: s))
            #expect(abs(m.coefficients[0] - mu) < 1e-10 && abs(m.coefficients[1] - s) < 1e-10, "\(ps.count) terms: \(m.coefficients)")
            #expect(m.coefficients.dropFirst(2).allSatisfy { abs($0) < 1e-8 }, "\(ps.count) terms: \(m.coefficients)")
            for p in m.points { #expect(abs(m.quantile(p.probability) - p.value) <= 1e-12 * abs(p.value)) }
            for x in [-2.0, 1.0, 3.0, 4.5, 9.0] {
                #expect(abs(m.cdf(x) - 1 / (1 + exp(-(x - mu) / s))) < 1e-12, "\(ps.count) terms: cdf(\(x))")
            }
        }
    }

    /// The bounded forms through logistic points of z: closed-form quantiles and CDFs.
    @Test func boundedFormsMatchTheirClosedForms() throws {
        let ps = [0.1, 0.5, 0.9], (mu, s) = (0.5, 0.4)
        let low = try Metalog(quantiles: Self.points(ps, mu: mu, s: s) { 1 + exp($0) }, lower: 1)
        let high = try Metalog(quantiles: Self.points(ps, mu: mu, s: s) { 10 - exp(-$0) }, upper: 10)
        let both = try Metalog(quantiles: Self.points(ps, mu: mu, s: s) { 1 + 9 / (1 + exp(-$0)) }, lower: 1, upper: 10)
        let logisticCDF = { (z: Double) in 1 / (1 + exp(-(z - mu) / s)) }
        let cases: [(name: String, m: Metalog, q: (Double) -> Double, f: (Double) -> Double)] = [
            ("lower", low, { 1 + exp(Self.logistic($0, mu: mu, s: s)) }, { logisticCDF(log($0 - 1)) }),
            ("upper", high, { 10 - exp(-Self.logistic($0, mu: mu, s: s)) }, { logisticCDF(-log(10 - $0)) }),
            ("both", both, { 1 + 9 / (1 + exp(-Self.logistic($0, mu: mu, s: s))) }, { logisticCDF(log(($0 - 1) / (10 - $0))) }),
        ]
        for (name, m, q, f) in cases {
            for y in [1e-6, 0.05, 0.3, 0.5, 0.8, 0.999] {
                let truth: Double = q(y)
                #expect(abs(m.quantile(y) - truth) <= 1e-12 * abs(truth), "\(name) at \(y)")
                #expect(abs(m.cdf(truth) - y) < 1e-12, "\(name): cdf at \(y)")
                #expect(abs(f(truth) - y) < 1e-12, "\(name): closed-form cdf at \(y)")
            }
        }
        #expect(low.cdf(1) == 0 && high.cdf(10) == 1 && both.cdf(0.5) == 0 && both.cdf(11) == 1)
        #expect(Distribution.metalog(low).lowerSupport == 1 && Distribution.metalog(high).lowerSupport == -.infinity)
    }

    // MARK: - Sampled: the given quantiles within their Monte Carlo interval at 10^6 trials

    static let forms: [(name: String, json: String, points: [(Double, Double)])] = [
        ("unbounded", #"{"type": "metalog", "quantiles": [[0.1, 1.25], [0.5, 2.5], [0.9, 6]]}"#, [(0.1, 1.25), (0.5, 2.5), (0.9, 6)]),
        ("lower", #"{"type": "metalog", "quantiles": [[0.1, 1.25], [0.5, 2.5], [0.9, 6]], "lower": 1}"#, [(0.1, 1.25), (0.5, 2.5), (0.9, 6)]),
        ("upper", #"{"type": "metalog", "quantiles": [[0.05, 0.2], [0.25, 0.5], [0.5, 0.6], [0.95, 0.9]], "upper": 1}"#, [(0.05, 0.2), (0.25, 0.5), (0.5, 0.6), (0.95, 0.9)]),
        ("both", #"{"type": "metalog", "quantiles": [[0.1, 2], [0.3, 3], [0.5, 3.5], [0.7, 5], [0.9, 8]], "lower": 1, "upper": 10}"#, [(0.1, 2), (0.3, 3), (0.5, 3.5), (0.7, 5), (0.9, 8)]),
    ]

    /// The share of draws at or below x (the column holds logs unless the factor can be <= 0).
    static func share(_ column: [Double], atMost x: Double, logs: Bool) -> Double {
        Support.fraction(column, atMost: logs ? log(x) : x)
    }

    @Test(arguments: [SamplerKind.pseudo, .sobol, .halton])
    func sampledDrawsPassThroughTheGivenQuantiles(sampler: SamplerKind) throws {
        let n = 1_000_000
        for form in Self.forms {
            let s = try Support.oneFactor(form.json, trials: n)
            let column = try Engine.samples(s, sampler: sampler)[0]
            let logs = !s.factors[0].canBeNonPositive
            for (p, x) in form.points {
                let observed = Self.share(column, atMost: x, logs: logs)
                #expect(abs(observed - p) < Support.binomialBand(p: p, n: n), "\(form.name), \(sampler): P(X <= \(x)) = \(observed), given \(p)")
            }
        }
    }

    /// Inside a Gaussian copula a metalog keeps its marginal and the rank correlation asked for.
    @Test func metalogInsideACorrelation() throws {
        let n = 300_000
        let s = try Support.scenario("""
        {"name": "c", "trials": \(n), "seed": 5, "floor": null,
         "factors": [{"id": "a", "group": "g", "distribution": \(Self.forms[1].json)},
                     {"id": "b", "group": "g", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.7}}],
         "correlations": [{"between": ["a", "b"], "rank": 0.6}]}
        """)
        let columns = try Engine.samples(s)
        #expect(abs(Support.spearman(columns[0], columns[1]) - 0.6) < 0.01)
        for (p, x) in Self.forms[1].points {
            #expect(abs(Self.share(columns[0], atMost: x, logs: true) - p) < Support.binomialBand(p: p, n: n))
        }
    }

    // MARK: - Lognormal and normal through two quantiles

    @Test func lognormalAndNormalThroughTwoQuantiles() throws {
        let points = [QuantilePoint(probability: 0.25, value: 2), QuantilePoint(probability: 0.95, value: 10)]
        let z1 = gsl_cdf_ugaussian_Pinv(0.25), z2 = gsl_cdf_ugaussian_Pinv(0.95)
        let ln = try LogNormal(quantiles: points)
        let sigma = log(5) / (z2 - z1)
        #expect(abs(ln.sigma - sigma) < 1e-15 && abs(ln.mu - (log(2) - sigma * z1)) < 1e-15)
        #expect(abs(gsl_cdf_lognormal_P(2, ln.mu, ln.sigma) - 0.25) < 1e-14 && abs(gsl_cdf_lognormal_P(10, ln.mu, ln.sigma) - 0.95) < 1e-14)
        let nd = try Normal(quantiles: points)
        #expect(abs(nd.sd - 8 / (z2 - z1)) < 1e-14 && abs(gsl_cdf_gaussian_P(2 - nd.mean, nd.sd) - 0.25) < 1e-14)
        // Sampled through the reader, with a truncated normal's window applied after the fit.
        let n = 1_000_000
        let s = try Support.scenario("""
        {"name": "q", "trials": \(n), "seed": 3, "floor": null,
         "factors": [{"id": "a", "group": "g", "distribution": {"type": "lognormal", "quantiles": [[0.25, 2], [0.95, 10]]}},
                     {"id": "b", "group": "g", "distribution": {"type": "normal", "quantiles": [[0.25, 2], [0.95, 10]], "lower": 0}}]}
        """)
        let columns = try Engine.samples(s)
        for (p, x) in [(0.25, 2.0), (0.95, 10.0)] {
            #expect(abs(Support.fraction(columns[0], atMost: log(x)) - p) < Support.binomialBand(p: p, n: n))
        }
        let mass = 1 - gsl_cdf_gaussian_P(-nd.mean, nd.sd)
        for (p, x) in [(0.25, 2.0), (0.95, 10.0)] {
            let truncated = (p - gsl_cdf_gaussian_P(-nd.mean, nd.sd)) / mass
            // A normal truncated at 0 can draw 0, so its column holds values, not logs.
            let level = s.factors[1].canBeNonPositive ? x : log(x)
            #expect(abs(Support.fraction(columns[1], atMost: level) - truncated) < Support.binomialBand(p: truncated, n: n))
        }
    }

    // MARK: - Rules

    func issues(_ build: () throws -> Distribution) -> [String] { Support.distributionIssues(build) }
    static func pts(_ pairs: [(Double, Double)]) -> [QuantilePoint] { pairs.map { QuantilePoint(probability: $0.0, value: $0.1) } }

    @Test func aFitThatFallsIsRefusedWithThePairsAndASuggestion() {
        #expect(issues { try .metalog(quantiles: Self.pts([(0.1, 1), (0.5, 1.01), (0.9, 100)])) }
                == ["quantiles: the metalog through these 3 pairs is not a distribution: its quantile function falls for p from 1e-16 to 0.286, around the pairs [0.1, 1], [0.5, 1.01] (checked at 10095 points of (0, 1)); try fewer pairs (terms), quantiles farther apart, bounds (lower, upper), or a lognormal or normal through two of them"])
        // Bounded, the suggestion of bounds is left out.
        #expect(issues { try .metalog(quantiles: Self.pts([(0.1, 1), (0.5, 1.01), (0.9, 100)]), lower: 0) }
                == ["quantiles: the metalog through these 3 pairs is not a distribution: its quantile function falls for p from 1e-16 to 0.285, around the pairs [0.1, 1], [0.5, 1.01] (checked at 10095 points of (0, 1)); try fewer pairs (terms), quantiles farther apart, or a lognormal or normal through two of them"])
    }

    /// A fit whose extreme draws (at y = 10^-16 and 1 - 10^-16) overflow is refused, as a
    /// lognormal's is.
    @Test func drawsThatLeaveTheDoublesAreRefused() {
        #expect(issues { try .metalog(quantiles: Self.pts([(0.1, 1e-100), (0.5, 1), (0.9, 1e100)]), lower: 0) }
                == ["its draws leave the range of a double; narrow it"])
        // A fit falling only in its far right tail names the tail as 1 - y.
        #expect(issues { try .metalog(quantiles: Self.pts([(0.1, 1.25), (0.3, 2), (0.5, 2.5), (0.7, 3.5), (0.9, 6)]), lower: 1) }.first?
                    .contains("falls for p from 0.964 to 1 - 1.11e-16, around the pairs [0.9, 6]") == true)
    }

    @Test func pairRules() {
        #expect(issues { try .metalog(quantiles: Self.pts([(0.1, 1), (0.9, 2)])) } == ["quantiles: expected 3 to 10 [probability, value] pairs, found 2"])
        #expect(issues { try .metalog(quantiles: Self.pts((1...11).map { (Double($0) / 12, Double($0)) })) } == ["quantiles: expected 3 to 10 [probability, value] pairs, found 11"])
        #expect(issues { try .metalog(quantiles: Self.pts([(0, 1), (0.5, 2), (1, 3)])) }
                == ["quantiles[0][0]: a probability must be strictly between 0 and 1 (got 0)", "quantiles[2][0]: a probability must be strictly between 0 and 1 (got 1)"])
        #expect(issues { try .metalog(quantiles: Self.pts([(0.5, 2), (0.1, 1), (0.9, .nan)])) } == ["quantiles[2][1]: must be a finite number"])
        #expect(issues { try .metalog(quantiles: Self.pts([(0.5, 2), (0.1, 1), (0.9, 3)])) }
                == ["quantiles[1]: pairs must be in increasing order of probability: [0.1, 1] follows [0.5, 2]",
                    "quantiles[1]: values must increase with probability: [0.1, 1] follows [0.5, 2]"])
        #expect(issues { try .metalog(quantiles: Self.pts([(0.1, 2), (0.5, 2), (0.9, 3)])) } == ["quantiles[1]: values must increase with probability: [0.5, 2] follows [0.1, 2]"])
        #expect(issues { try .metalog(quantiles: Self.pts([(0.1, 2), (0.5, 3), (0.9, 4)]), lower: 2, upper: 4) }
                == ["lower: every value must lie above the lower bound 2 (got [0.1, 2])", "upper: every value must lie below the upper bound 4 (got [0.9, 4])"])
        #expect(issues { try .metalog(quantiles: Self.pts([(0.1, 2), (0.5, 3), (0.9, 4)]), lower: 5, upper: 1) } == ["lower: lower bound 5 must be below upper bound 1"])
        #expect(issues { try .logNormal(quantiles: Self.pts([(0.25, 0), (0.75, 3)])) } == ["quantiles[0][1]: must be > 0 (got 0)"])
        #expect(issues { try .logNormal(quantiles: Self.pts([(0.25, 1), (0.5, 2), (0.75, 3)])) } == ["quantiles: expected 2 [probability, value] pairs, found 3"])
        #expect(issues { try .normal(quantiles: Self.pts([(0.75, 1), (0.25, 3)])) }
                == ["quantiles[1]: pairs must be in increasing order of probability: [0.25, 3] follows [0.75, 1]"])
    }

    func readerIssues(_ distribution: String) -> [String] {
        do {
            _ = try Support.oneFactor(distribution)
            return []
        } catch let error as ScenarioError {
            return error.issues.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func readerPathsAndForms() {
        #expect(readerIssues(#"{"type": "metalog", "quantiles": [[0.1, 1], [0.5], "x", [0.9, 3, 4]]}"#)
                == ["factors[0].distribution.quantiles[1]: expected a pair [probability, value], found 1 items",
                    "factors[0].distribution.quantiles[2]: expected an array, found a string",
                    "factors[0].distribution.quantiles[3]: expected a pair [probability, value], found 3 items"])
        #expect(readerIssues(#"{"type": "metalog", "quantiles": [[0.1, 1], [0.5, 1.01], [0.9, 100]]}"#).first?.hasPrefix("factors[0].distribution.quantiles: the metalog through these 3 pairs is not a distribution") == true)
        #expect(readerIssues(#"{"type": "metalog", "lower": 0}"#) == ["factors[0].distribution.quantiles: required"])
        #expect(readerIssues(#"{"type": "lognormal", "quantiles": [[0.25, 2], [0.95, 10]], "median": 2}"#)
                == ["factors[0].distribution: give one of ci+level, median+sigma or quantiles, not more"])
        #expect(readerIssues(#"{"type": "normal", "lower": 0}"#) == ["factors[0].distribution: missing parameters: give ci+level, mean+sd or quantiles"])
        #expect(readerIssues(#"{"type": "normal", "quantiles": [[0.25, 2], [0.95, 1]]}"#)
                == ["factors[0].distribution.quantiles[1]: values must increase with probability: [0.95, 1] follows [0.25, 2]"])
    }

    /// End to end: exit status 2, every problem on stderr with file and JSON path, nothing written.
    @Test func badFitsAreRefusedBeforeSamplingAndWriteNothing() throws {
        let dir = try Support.temporaryDirectory()
        let file = dir.appendingPathComponent("bad.json")
        try Data("""
        {"name": "bad", "floor": null,
         "factors": [{"id": "x", "group": "g", "distribution": {"type": "metalog", "quantiles": [[0.1, 1], [0.5, 1.01], [0.9, 100]]}},
                     {"id": "y", "group": "g", "distribution": {"type": "lognormal", "quantiles": [[0.95, 10], [0.25, 2]]}}]}
        """.utf8).write(to: file)
        let out = dir.appendingPathComponent("out")
        let expected = [
            "effsim: \(file.path): invalid scenario (3 problems)",
            "effsim: \(file.path): factors[0].distribution.quantiles: the metalog through these 3 pairs is not a distribution: its quantile function falls for p from 1e-16 to 0.286, around the pairs [0.1, 1], [0.5, 1.01] (checked at 10095 points of (0, 1)); try fewer pairs (terms), quantiles farther apart, bounds (lower, upper), or a lognormal or normal through two of them",
            "effsim: \(file.path): factors[1].distribution.quantiles[1]: pairs must be in increasing order of probability: [0.25, 2] follows [0.95, 10]",
            "effsim: \(file.path): factors[1].distribution.quantiles[1]: values must increase with probability: [0.25, 2] follows [0.95, 10]",
        ]
        for command in [["run", file.path, "--out", out.path], ["validate", file.path]] {
            let r = try Support.effsim(command)
            #expect(r.status == 2, "\(command)")
            #expect(r.stderr.split(separator: "\n").map(String.init) == expected, "\(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
        #expect(Support.files(in: dir) == ["bad.json"])
    }

    /// The JSON Schema knows the metalog (3 to 10 pairs, optional bounds) and the two-quantile
    /// forms of lognormal and normal (exactly 2 pairs), with the pairs' shape.
    @Test func schemaKnowsTheQuantileForms() throws {
        let schema = try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: Support.scenarioPath("scenario.schema.json"))), file: "schema")
        guard case let .array(forms)? = schema["$defs"]?["simpleDistribution"]?["oneOf"] else { Issue.record("no simpleDistribution"); return }
        func keys(_ v: JSONValue?) -> [String] { if case let .object(members)? = v { return members.map(\.key) } else { return [] } }
        let quantileForms = forms.filter { keys($0["properties"]).contains("quantiles") }
        let byType = quantileForms.map { form -> (String, [String], JSONValue?) in
            guard case let .string(t)? = form["properties"]?["type"]?["const"] else { return ("?", [], nil) }
            return (t, keys(form["properties"]), form["properties"]?["quantiles"])
        }
        #expect(byType.map(\.0) == ["lognormal", "normal", "metalog"])
        #expect(byType.map(\.1) == [["type", "quantiles"], ["type", "quantiles", "lower", "upper"], ["type", "quantiles", "lower", "upper"]])
        #expect(byType.map { [$0.2?["minItems"], $0.2?["maxItems"]] } == [[.number(2), .number(2)], [.number(2), .number(2)], [.number(3), .number(10)]])
        let pair = schema["$defs"]?["quantiles"]?["items"]
        #expect(pair?["minItems"] == .number(2) && pair?["maxItems"] == .number(2))
        guard case let .array(items)? = pair?["prefixItems"], let probability = items.first else { Issue.record("no prefixItems"); return }
        #expect(probability["exclusiveMinimum"] == .number(0) && probability["exclusiveMaximum"] == .number(1))
    }

    /// Each form is written back as given and re-read to the same law.
    @Test func documentsRoundTrip() throws {
        let texts = Self.forms.map(\.json) + [
            #"{"type": "lognormal", "quantiles": [[0.25, 2], [0.95, 10]]}"#,
            #"{"type": "normal", "quantiles": [[0.25, 2], [0.95, 10]], "lower": 0}"#,
        ]
        for text in texts {
            let d = try Support.oneFactor(text).factors[0].distribution
            #expect(d.document.canonicalData == (try JSONValue.parse(Data(text.utf8), file: "t")).canonicalData, "\(text)")
            let again = try Support.oneFactor(String(decoding: d.document.canonicalData, as: UTF8.self)).factors[0].distribution
            #expect(again == d)
        }
        #expect(try Support.oneFactor(Self.forms[1].json).factors[0].distribution.summary == "metalog(3 terms through [0.1, 1.25], [0.5, 2.5], [0.9, 6], lower 1)")
    }

    // MARK: - End to end: the tornado and the report read the given quantiles

    @Test func tornadoAndFactorPanelShowTheGivenQuantiles() throws {
        let dir = try Support.temporaryDirectory()
        let file = dir.appendingPathComponent("m.json")
        try Data("""
        {"name": "m", "trials": 200000, "seed": 2, "floor": null, "percentiles": [10, 50, 90],
         "factors": [{"id": "moe", "group": "g", "distribution": \(Self.forms[1].json)},
                     {"id": "b", "group": "h", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.3}}],
         "outputs": [{"id": "a", "groups": ["g"]}, {"id": "t", "groups": ["g", "h"]}]}
        """.utf8).write(to: file)
        let run = dir.appendingPathComponent("run").path, sens = dir.appendingPathComponent("sens").path
        #expect(try Support.effsim(["run", file.path, "--out", run]).status == 0)
        #expect(try Support.effsim(["report", run]).status == 0)
        // The tornado sets a factor to its p10 and p90: for output a (moe alone) the given 1.25 and 6.
        #expect(try Support.effsim(["sensitivity", file.path, "--trials", "20000", "--out", sens]).status == 0)
        let tornado = try #require(try ReportFixture.csv(URL(fileURLWithPath: sens).appendingPathComponent("sensitivity.csv")).first { $0["factor"] == "moe" && $0["output"] == "a" })
        let (low, high) = (try ReportFixture.value(tornado, "median_at_p10"), try ReportFixture.value(tornado, "median_at_p90"))
        #expect(abs(low - 1.25) < 1e-12 && abs(high - 6) < 1e-12, "\(tornado)")

        let chart = try ParsedSVG(URL(fileURLWithPath: run).appendingPathComponent("factors.svg"))
        let cell = "//*[@class='factor'][@data-factor='moe']"
        let x = try chart.logXAxis(cell)
        let dots = try chart.elements("\(cell)//*[@class='given-quantile']").map { dot -> (Double, Double) in
            let numbers = (dot.string("transform") ?? "").split { !"0123456789.-".contains($0) }.compactMap { Double($0) }
            return (numbers[0], numbers[1])
        }
        #expect(dots.count == 3)
        // Each dot sits at its given value and on the sampled CDF (within 2 px, about 1% of the cell).
        let line = try chart.element("\(cell)//*[@class='cdf']").string("points") ?? ""
        let curve = line.split(separator: " ").map { $0.split(separator: ",").map { Double($0)! } }
        for ((px, py), given) in zip(dots, Self.forms[1].points) {
            #expect(abs(px - x.x(given.1)) <= 1, "dot at \(px) reads \(x.value(px)), given \(given.1)")
            let k = try #require(curve.firstIndex { $0[0] >= px })
            let a: [Double] = curve[k - 1], b: [Double] = curve[k]
            let share: Double = (px - a[0]) / (b[0] - a[0])
            let onCurve: Double = a[1] + (b[1] - a[1]) * share
            #expect(abs(onCurve - py) <= 2, "p \(given.0): dot at y \(py), curve at \(onCurve)")
        }
        #expect(try chart.element("\(cell)/*[@class='factor-subtitle']").stringValue?.hasSuffix("dots: given quantiles") == true)
        #expect(try chart.elements("//*[@class='factor'][@data-factor='b']//*[@class='given-quantile']").isEmpty)
    }
}
