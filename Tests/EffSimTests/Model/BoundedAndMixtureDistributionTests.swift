import CGSL
import EffSim
import Foundation
import Testing

/// uniform, loguniform, triangular, pert, beta, mixture (and bernoulli's rules): sampled quantiles
/// against closed forms or GSL's inverse CDFs, by pseudo-random draws, by Sobol points and inside
/// a Gaussian copula; every parameter rule refused with its message and JSON path.
///
/// Tolerance, as in DistributionTests: 5 standard errors of the sample p-quantile,
/// sqrt(p(1-p)/n) / f(x_p), plus the summary's binning error of 5.62e-5 relative.
@Suite struct BoundedAndMixtureDistributionTests {
    static let probabilities = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99]

    func factorRow(_ s: Scenario, sampler: SamplerKind = .pseudo) throws -> SummaryRow {
        var s = s
        s.percentiles = Self.probabilities.map { $0 * 100 }
        let state = try Engine.run(s, options: RunOptions(threads: 2, sampler: sampler))
        return MetricLayout(s).rows(state.metrics).first { $0.kind == .factor }!
    }

    func expectQuantiles(_ row: SummaryRow, n: Int, quantile: (Double) -> Double, density: (Double) -> Double,
                         sourceLocation: SourceLocation = #_sourceLocation) {
        for (i, p) in Self.probabilities.enumerated() {
            let truth = quantile(p)
            let se = (p * (1 - p) / Double(n)).squareRoot() / density(truth)
            let tolerance = 5 * se + 5.62e-5 * abs(truth)
            #expect(abs(row.percentiles[i] - truth) <= tolerance,
                    "p\(p * 100): sampled \(row.percentiles[i]), closed form \(truth), tolerance \(tolerance)", sourceLocation: sourceLocation)
        }
    }

    // MARK: - Closed forms written out here, independently of the library

    static func triangular(_ a: Double, _ c: Double, _ b: Double) -> ((Double) -> Double, (Double) -> Double) {
        let fc = (c - a) / (b - a)
        return ({ p in p < fc ? a + (p * (b - a) * (c - a)).squareRoot() : b - ((1 - p) * (b - a) * (b - c)).squareRoot() },
                { x in x < c ? 2 * (x - a) / ((b - a) * (c - a)) : 2 * (b - x) / ((b - a) * (b - c)) })
    }

    static func scaledBeta(_ alpha: Double, _ beta: Double, _ a: Double, _ b: Double) -> ((Double) -> Double, (Double) -> Double) {
        ({ a + (b - a) * gsl_cdf_beta_Pinv($0, alpha, beta) }, { gsl_ran_beta_pdf(($0 - a) / (b - a), alpha, beta) / (b - a) })
    }

    /// 0.3 lognormal(median 2, sigma 0.5) + 0.7 uniform(3, 6): CDF, density and a quantile by
    /// bisection written here.
    static let mixtureJSON = #"{"type": "mixture", "components": [{"weight": 0.3, "distribution": {"type": "lognormal", "median": 2, "sigma": 0.5}}, {"weight": 0.7, "distribution": {"type": "uniform", "min": 3, "max": 6}}]}"#
    static func mixtureCDF(_ x: Double) -> Double {
        0.3 * gsl_cdf_lognormal_P(x, log(2), 0.5) + 0.7 * min(max((x - 3) / 3, 0), 1)
    }
    static func mixtureDensity(_ x: Double) -> Double {
        0.3 * gsl_ran_lognormal_pdf(x, log(2), 0.5) + (x >= 3 && x <= 6 ? 0.7 / 3 : 0)
    }
    static func mixtureQuantile(_ p: Double) -> Double {
        var lo = 0.0, hi = 100.0
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if mixtureCDF(mid) >= p { hi = mid } else { lo = mid }
        }
        return hi
    }

    // MARK: - Sampled quantiles, pseudo-random

    @Test func uniform() throws {
        let n = 400_000
        let row = try factorRow(Support.oneFactor(#"{"type": "uniform", "min": 1, "max": 3}"#, trials: n))
        expectQuantiles(row, n: n, quantile: { 1 + 2 * $0 }, density: { _ in 0.5 })
        #expect(row.floorShare == 0)
    }

    @Test func loguniform() throws {
        let n = 400_000, a = 0.5, b = 20.0
        let row = try factorRow(Support.oneFactor(#"{"type": "loguniform", "min": 0.5, "max": 20}"#, trials: n))
        expectQuantiles(row, n: n, quantile: { exp(log(a) + $0 * log(b / a)) }, density: { 1 / ($0 * log(b / a)) })
    }

    @Test func triangular() throws {
        let n = 400_000
        let row = try factorRow(Support.oneFactor(#"{"type": "triangular", "min": 1, "mode": 2, "max": 5}"#, trials: n))
        let (q, f) = Self.triangular(1, 2, 5)
        expectQuantiles(row, n: n, quantile: q, density: f)
    }

    @Test func pertWithTheDefaultLambda() throws {
        // alpha = 1 + 4 (3 - 1) / 9, beta = 1 + 4 (10 - 3) / 9.
        let n = 400_000
        let row = try factorRow(Support.oneFactor(#"{"type": "pert", "min": 1, "mode": 3, "max": 10}"#, trials: n))
        let (q, f) = Self.scaledBeta(1 + 8.0 / 9, 1 + 28.0 / 9, 1, 10)
        expectQuantiles(row, n: n, quantile: q, density: f)
    }

    @Test func pertWithLambda() throws {
        let n = 200_000
        let row = try factorRow(Support.oneFactor(#"{"type": "pert", "min": 2, "mode": 2.5, "max": 4, "lambda": 2}"#, trials: n))
        let (q, f) = Self.scaledBeta(1 + 2 * 0.5 / 2, 1 + 2 * 1.5 / 2, 2, 4)
        expectQuantiles(row, n: n, quantile: q, density: f)
    }

    @Test func betaOnAnInterval() throws {
        let n = 400_000
        let row = try factorRow(Support.oneFactor(#"{"type": "beta", "alpha": 2, "beta": 5, "min": 1, "max": 4}"#, trials: n))
        let (q, f) = Self.scaledBeta(2, 5, 1, 4)
        expectQuantiles(row, n: n, quantile: q, density: f)
    }

    @Test func betaOnTheUnitInterval() throws {
        // Both shapes below 1 (GSL draws by Johnk's method there); a floor keeps the log finite.
        let n = 200_000
        let row = try factorRow(Support.oneFactor(#"{"type": "beta", "alpha": 0.8, "beta": 0.6}"#, floor: "1e-300", trials: n))
        let (q, f) = Self.scaledBeta(0.8, 0.6, 0, 1)
        expectQuantiles(row, n: n, quantile: q, density: f)
    }

    @Test func mixture() throws {
        let n = 400_000
        let row = try factorRow(Support.oneFactor(Self.mixtureJSON, trials: n))
        expectQuantiles(row, n: n, quantile: Self.mixtureQuantile, density: Self.mixtureDensity)
    }

    // MARK: - Quasi-random points and the copula: through the quantile functions

    @Test func quantileFunctionsAgreeWithTheClosedForms() throws {
        let (tq, _) = Self.triangular(1, 2, 5)
        let (pq, _) = Self.scaledBeta(1 + 8.0 / 9, 1 + 28.0 / 9, 1, 10)
        let cases: [(Distribution, (Double) -> Double)] = [
            (try .uniform(min: -1, max: 3), { -1 + 4 * $0 }),
            (try .logUniform(min: 0.5, max: 20), { exp(log(0.5) + $0 * log(40)) }),
            (try .triangular(min: 1, mode: 2, max: 5), tq),
            (try .pert(min: 1, mode: 3, max: 10), pq),
            (try .beta(alpha: 2, beta: 5), { gsl_cdf_beta_Pinv($0, 2, 5) }),
            (try .bernoulli(p: 0.3), { $0 <= 1 - 0.3 ? 0 : 1 }),
        ]
        for (d, q) in cases {
            for p in [1e-9, 0.001, 0.1, 0.5, 0.7, 0.9, 0.999] {
                #expect(abs(d.quantile(p) - q(p)) <= 1e-12 * max(1, abs(q(p))), "\(d.summary) at \(p)")
                if case .bernoulli = d { continue }
                #expect(abs(d.cdf(d.quantile(p)) - p) <= 1e-9, "\(d.summary): cdf(quantile(\(p)))")
            }
        }
        // The mixture's quantile by bisection is exact to the last bits.
        let m = try Support.oneFactor(Self.mixtureJSON).factors[0].distribution
        for p in [0.01, 0.2, 0.31, 0.5, 0.99] {
            #expect(abs(m.quantile(p) - Self.mixtureQuantile(p)) <= 1e-12 * Self.mixtureQuantile(p))
        }
        #expect(m.cdf(m.quantile(0.5)) >= 0.5 && m.cdf(m.quantile(0.5).nextDown) < 0.5)
    }

    @Test func triangularAndMixtureBySobolPoints() throws {
        let n = 200_000
        let (q, f) = Self.triangular(1, 2, 5)
        let row = try factorRow(Support.oneFactor(#"{"type": "triangular", "min": 1, "mode": 2, "max": 5}"#, trials: n), sampler: .sobol)
        expectQuantiles(row, n: n, quantile: q, density: f)
        let mixed = try factorRow(Support.oneFactor(Self.mixtureJSON, trials: n), sampler: .sobol)
        expectQuantiles(mixed, n: n, quantile: Self.mixtureQuantile, density: Self.mixtureDensity)
    }

    /// Inside a Gaussian copula each new law keeps its marginal (its CDF at its closed-form
    /// p10, p50, p90 within a 99.9% binomial band) and the rank correlation is the one asked for.
    @Test func marginalsAreKeptInsideACorrelation() throws {
        let s = try Support.scenario("""
        {"name": "c", "trials": 300000, "seed": 5, "floor": null,
         "factors": [
          {"id": "a", "group": "g", "distribution": {"type": "pert", "min": 1, "mode": 3, "max": 10}},
          {"id": "b", "group": "g", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.7}},
          {"id": "c", "group": "g", "distribution": \(Self.mixtureJSON)},
          {"id": "d", "group": "g", "distribution": {"type": "loguniform", "min": 0.5, "max": 20}}],
         "correlations": [{"between": ["a", "b"], "rank": 0.6}, {"between": ["c", "d"], "rank": -0.4}]}
        """)
        let columns = try Engine.samples(s)
        let n = s.trials
        #expect(abs(Support.spearman(columns[0], columns[1]) - 0.6) < 0.01)
        #expect(abs(Support.spearman(columns[2], columns[3]) + 0.4) < 0.01)
        let (pq, _) = Self.scaledBeta(1 + 8.0 / 9, 1 + 28.0 / 9, 1, 10)
        let truths: [Int: (Double) -> Double] = [0: pq, 2: Self.mixtureQuantile, 3: { exp(log(0.5) + $0 * log(40)) }]
        for (k, q) in truths {
            for p in [0.1, 0.5, 0.9] {
                let observed = Support.fraction(columns[k], atMost: log(q(p)))
                #expect(abs(observed - p) < Support.binomialBand(p: p, n: n), "\(s.factors[k].id): P(X <= q\(p)) = \(observed)")
            }
        }
    }

    // MARK: - Rules

    func issues(_ build: () throws -> Distribution) -> [String] { Support.distributionIssues(build) }

    @Test func uniformAndLoguniformRules() {
        #expect(issues { try .uniform(min: 3, max: 3) } == ["min: min 3 must be below max 3"])
        #expect(issues { try .uniform(min: .nan, max: .infinity) } == ["min: must be a finite number", "max: must be a finite number"])
        #expect(issues { try .uniform(min: -1.7e308, max: 1.7e308) } == ["its width max - min leaves the range of a double; narrow it"])
        #expect(issues { try .logUniform(min: 0, max: -2) } == ["min: must be > 0 (got 0)", "max: must be > 0 (got -2)"])
        #expect(issues { try .logUniform(min: 5, max: 2) } == ["min: min 5 must be below max 2"])
        #expect(issues { try .uniform(min: -1, max: 1) }.isEmpty)
    }

    @Test func triangularAndPertRules() {
        #expect(issues { try .triangular(min: 1, mode: 6, max: 5) } == ["mode: must lie in [min, max] = [1, 5] (got 6)"])
        #expect(issues { try .triangular(min: 2, mode: 2, max: 2) } == ["min: min 2 must be below max 2"])
        #expect(issues { try .triangular(min: .nan, mode: 2, max: 3) } == ["min: must be a finite number"])
        #expect(issues { try .pert(min: 1, mode: 0, max: 5, lambda: 0) } == ["lambda: must be > 0 (got 0)", "mode: must lie in [min, max] = [1, 5] (got 0)"])
        #expect(issues { try .pert(min: 5, mode: 3, max: 1, lambda: -1) } == ["lambda: must be > 0 (got -1)", "min: min 5 must be below max 1"])
        // The mode may sit at either end.
        #expect(issues { try .triangular(min: 1, mode: 1, max: 5) }.isEmpty)
        #expect(issues { try .pert(min: 1, mode: 5, max: 5) }.isEmpty)
    }

    @Test func betaRules() {
        #expect(issues { try .beta(alpha: 0, beta: -1) } == ["alpha: must be > 0 (got 0)", "beta: must be > 0 (got -1)"])
        #expect(issues { try .beta(alpha: 2, beta: 2, min: 1) } == ["max: give both min and max, or neither (default 0 and 1)"])
        #expect(issues { try .beta(alpha: 2, beta: 2, min: 4, max: 1) } == ["min: min 4 must be below max 1"])
        #expect(issues { try .beta(alpha: .infinity, beta: 2, min: 0, max: .nan) } == ["alpha: must be a finite number", "max: must be a finite number"])
        // GSL's inverse beta CDF does not return at alpha = beta = 1e6.
        #expect(issues { try .beta(alpha: 1e6, beta: 2e5) } == ["alpha: must be at most 100000 (got 1000000)", "beta: must be at most 100000 (got 200000)"])
        #expect(issues { try .pert(min: 0, mode: 1, max: 2, lambda: 2e4) } == ["lambda: must be at most 10000 (got 20000)"])
    }

    /// Where gsl_cdf_beta_Pinv returns NaN (tiny shapes) the quantile bisects gsl_cdf_beta_P.
    @Test func betaQuantileWithTinyShapes() throws {
        #expect(gsl_cdf_beta_Pinv(0.3, 0.01, 0.01).isNaN)
        let d = try Distribution.beta(alpha: 0.01, beta: 0.01)
        for p in [0.3, 0.5, 0.7, 0.999] {
            let q = d.quantile(p)
            #expect(q > 0 && q <= 1)
            #expect(d.cdf(q) >= p && d.cdf(q.nextDown) < p, "p \(p): q \(q), cdf \(d.cdf(q))")
        }
    }

    @Test func bernoulliRules() throws {
        #expect(issues { try .bernoulli(p: 1.5) } == ["p: must be between 0 and 1 (got 1.5)"])
        #expect(issues { try .bernoulli(p: -0.1) } == ["p: must be between 0 and 1 (got -0.1)"])
        #expect(issues { try .bernoulli(p: .nan) } == ["p: must be a finite number"])
        let d = try Distribution.bernoulli(p: 0.25)
        #expect(d.cdf(-1) == 0 && d.cdf(0) == 0.75 && d.cdf(0.5) == 0.75 && d.cdf(1) == 1)
        #expect(d.quantile(0.75) == 0 && d.quantile(0.76) == 1)
        #expect(d.lowerSupport == 0)
    }

    @Test func mixtureRules() throws {
        let a = try Distribution.logNormal(median: 2, sigma: 0.5), b = try Distribution.uniform(min: 1, max: 3)
        #expect(issues { try .mixture(components: [(1, a)]) } == ["components: must list two or more components (got 1)"])
        #expect(issues { try .mixture(components: [(0.5, a), (0.4, b)]) } == ["components: the weights must sum to 1 (within 1e-9); they sum to 0.9"])
        #expect(issues { try .mixture(components: [(1.2, a), (-0.2, b)]) } == ["components[1].weight: must be > 0 (got -0.2)"])
        // Within 1e-9 of 1 is accepted; the sum is shown when it is not.
        #expect(issues { try .mixture(components: [(0.1, a), (0.2, b), (0.7, a)]) }.isEmpty)
        #expect(issues { try .mixture(components: [(0.5, a), (0.5 + 2e-9, b)]) } == ["components: the weights must sum to 1 (within 1e-9); they sum to 1.000000002"])
        let inner = try Distribution.mixture(components: [(0.5, a), (0.5, b)])
        #expect(issues { try .mixture(components: [(0.5, inner), (0.5, b)]) } == ["components[0].distribution: a mixture cannot contain a mixture"])
        #expect(inner.lowerSupport == 0)
    }

    // MARK: - Through the reader: JSON paths, and bernoulli refused honestly

    func readerIssues(_ json: String) -> [String] {
        do {
            _ = try ScenarioReader.parse(Data(json.utf8), file: "inline.json")
            return []
        } catch let error as ScenarioError {
            return error.issues.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    func oneFactorIssues(_ distribution: String, floor: String = "null") -> [String] {
        readerIssues(#"{"name": "t", "floor": \#(floor), "factors": [{"id": "x", "group": "g", "distribution": \#(distribution)}]}"#)
    }

    @Test func readerListsEveryProblemWithItsPath() {
        #expect(oneFactorIssues(#"{"type": "triangular", "min": 5, "mode": 7}"#) == ["factors[0].distribution.max: required"])
        #expect(oneFactorIssues(#"{"type": "pert", "min": 1, "mode": 9, "max": 5, "lambda": 0}"#)
                == ["factors[0].distribution.lambda: must be > 0 (got 0)", "factors[0].distribution.mode: must lie in [min, max] = [1, 5] (got 9)"])
        #expect(oneFactorIssues(#"{"type": "uniform", "min": 1, "max": "3"}"#) == [#"factors[0].distribution.max: expected a number, found a string "3" (write numbers without quotes)"#])
        #expect(oneFactorIssues(#"{"type": "beta", "alpha": 2, "beta": 2, "lower": 0}"#)
                == ["factors[0].distribution.lower: unknown key \"lower\" (allowed: alpha, beta, max, min, type)"])
        #expect(oneFactorIssues(#"{"type": "mixture", "components": [{"weight": 0.5, "distribution": {"type": "uniform", "min": 1, "max": 2}}, {"weight": -0.5, "distribution": {"type": "loguniform", "min": 3, "max": 1}}]}"#)
                == ["factors[0].distribution.components[1].distribution.min: min 3 must be below max 1"])
        #expect(oneFactorIssues(#"{"type": "mixture", "components": [{"weight": 0.6, "distribution": {"type": "uniform", "min": 1, "max": 2}}, {"weight": -0.5, "distribution": {"type": "fixed", "value": 2}}]}"#)
                == ["factors[0].distribution.components[1].weight: must be > 0 (got -0.5)"])
        #expect(oneFactorIssues(#"{"type": "mixture", "components": [{"weight": 0.6, "distribution": {"type": "uniform", "min": 1, "max": 2}}, {"weight": 0.3, "distribution": {"type": "fixed", "value": 2}}]}"#)
                == ["factors[0].distribution.components: the weights must sum to 1 (within 1e-9); they sum to 0.9"])
        #expect(oneFactorIssues(#"{"type": "mixture", "components": [{"weight": 0.5, "distribution": {"type": "uniform", "min": 1, "max": 2}}, {"weight": 0.5, "distribution": {"type": "mixture", "components": []}}]}"#)
                == ["factors[0].distribution.components[1].distribution: a mixture cannot contain a mixture"])
        #expect(oneFactorIssues(#"{"type": "mixture", "components": [{"weight": 1, "distribution": {"type": "uniform", "min": 1, "max": 2}, "w": 2}]}"#)
                == ["factors[0].distribution.components[0].w: unknown key \"w\" (allowed: distribution, weight)",
                    "factors[0].distribution.components: must list two or more components (got 1)"])
    }

    @Test func withoutAFloorALawMayReachBelowZero() {
        #expect(oneFactorIssues(#"{"type": "uniform", "min": -1, "max": 2}"#).isEmpty)
        #expect(oneFactorIssues(#"{"type": "beta", "alpha": 2, "beta": 2, "min": -1, "max": 2}"#).isEmpty)
        #expect(oneFactorIssues(#"{"type": "normal", "mean": 0, "sd": 1}"#).isEmpty)
        #expect(oneFactorIssues(#"{"type": "mixture", "components": [{"weight": 0.5, "distribution": {"type": "uniform", "min": 1, "max": 2}}, {"weight": 0.5, "distribution": {"type": "triangular", "min": -1, "mode": 0, "max": 2}}]}"#).isEmpty)
        #expect(oneFactorIssues(#"{"type": "uniform", "min": -1, "max": 2}"#, floor: "0.5").isEmpty)
    }

    @Test func bernoulliNeedsNoFloor() {
        #expect(oneFactorIssues(#"{"type": "bernoulli", "p": 0.3}"#).isEmpty)
        #expect(oneFactorIssues(#"{"type": "bernoulli", "p": 0.3}"#, floor: "1")
                == [#"factors[0].floor: a bernoulli factor needs "floor": null (a floor would turn its 0 into the floor)"#])
        #expect(oneFactorIssues(#"{"type": "bernoulli", "p": 2}"#) == ["factors[0].distribution.p: must be between 0 and 1 (got 2)"])
        #expect(oneFactorIssues(#"{"type": "mixture", "components": [{"weight": 0.5, "distribution": {"type": "uniform", "min": 1, "max": 2}}, {"weight": 0.5, "distribution": {"type": "bernoulli", "p": 1}}]}"#, floor: "0.5")
                == [#"factors[0].floor: a bernoulli factor needs "floor": null (a floor would turn its 0 into the floor)"#])
    }

    /// Each new type is written back in the form it was given, and re-read to the same value.
    @Test func documentsRoundTrip() throws {
        let texts = [
            #"{"type": "uniform", "min": 1, "max": 3}"#, #"{"type": "loguniform", "min": 0.5, "max": 20}"#,
            #"{"type": "triangular", "min": 1, "mode": 2, "max": 5}"#, #"{"type": "pert", "min": 1, "mode": 3, "max": 10}"#,
            #"{"type": "pert", "min": 1, "mode": 3, "max": 10, "lambda": 6}"#, #"{"type": "beta", "alpha": 2, "beta": 5}"#,
            #"{"type": "beta", "alpha": 2, "beta": 5, "min": 1, "max": 4}"#, Self.mixtureJSON,
        ]
        for text in texts {
            let s = try Support.oneFactor(text)
            try s.validate()
            let d = s.factors[0].distribution
            #expect(d.document.canonicalData == (try JSONValue.parse(Data(text.utf8), file: "t")).canonicalData, "\(text)")
        }
        #expect(try Support.oneFactor(#"{"type": "pert", "min": 1, "mode": 3, "max": 10}"#).factors[0].distribution.summary == "pert(min 1, mode 3, max 10, lambda 4)")
        #expect(try Support.oneFactor(Self.mixtureJSON).factors[0].distribution.summary
                == "mixture(0.3 lognormal(median 2, sigma 0.5); 0.7 uniform(min 3, max 6))")
    }
}

/// GSL's inverse beta CDF fails for shapes near 0.01 and below; its default error handler
/// aborts the process. A quantile asked for before any run (as a library user or the
/// sensitivity tornado may) must not depend on a run having switched that handler off.
@Suite struct BetaQuantileWithoutARunTests {
    @Test func tinyShapesBisectInsteadOfAborting() throws {
        let d = try Distribution.beta(alpha: 0.005, beta: 0.005)
        let q = d.quantile(0.3)
        #expect(q >= 0 && q <= 1)
        #expect(abs(d.cdf(q) - 0.3) < 1e-9)
    }
}
