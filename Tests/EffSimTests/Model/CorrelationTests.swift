import EffSim
import Foundation
import Testing

/// The Gaussian copula behind scenario "correlations": requested Spearman correlations, unchanged
/// marginals, refusal of impossible matrices.
@Suite struct CorrelationTests {
    static let json = """
    {"name": "c", "trials": 250000, "seed": 11, "floor": null,
     "factors": [
      {"id": "a", "group": "g", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.7}},
      {"id": "b", "group": "g", "distribution": {"type": "normal", "mean": 3, "sd": 1, "lower": 0, "upper": 4.7}},
      {"id": "c", "group": "g", "distribution": {"type": "lognormal", "median": 3, "sigma": 0.5}},
      {"id": "d", "group": "g", "distribution": {"type": "lognormal", "median": 1.5, "sigma": 0.3}}],
     "correlations": [{"between": ["a", "b"], "rank": 0.5}, {"between": ["c", "b"], "rank": -0.3},
                      {"between": ["a", "c"], "rank": 0.2}]}
    """

    /// Spearman within 5 sampling sd of the target, the uncorrelated factor near 0, and every
    /// marginal's CDF at its closed-form p10, p50, p90 within a 99.9% binomial band of p.
    ///
    /// The sd of a sample Spearman correlation is at most 1/sqrt(n) (its value under independence;
    /// it shrinks as |rho| grows), so 5/sqrt(n) = 0.01 at 250,000 trials. That still tells the
    /// copula's Pearson-to-Spearman step from none: a normal correlation of 0.5 left as it is would
    /// give Spearman 0.483.
    @Test(arguments: [SamplerKind.pseudo, .sobol])
    func spearmanAndMarginals(sampler: SamplerKind) throws {
        let s = try Support.scenario(Self.json)
        let columns = try Engine.samples(s, sampler: sampler)
        let n = s.trials
        #expect(columns[0].count == n)
        let targets: [(Int, Int, Double)] = [(0, 1, 0.5), (1, 2, -0.3), (0, 2, 0.2), (0, 3, 0), (1, 3, 0), (2, 3, 0)]
        for (i, j, rho) in targets {
            let r = Support.spearman(columns[i], columns[j])
            #expect(abs(r - rho) < 5 / Double(n).squareRoot(), "Spearman(\(s.factors[i].id), \(s.factors[j].id)) = \(r), target \(rho)")
        }
        for (k, factor) in s.factors.enumerated() {
            for p in [0.1, 0.5, 0.9] {
                // A factor whose law reaches 0 (b, truncated at 0, no floor) holds values, the others logs.
                let q = factor.distribution.quantile(p)
                let observed = Support.fraction(columns[k], atMost: factor.canBeNonPositive ? q : log(q))
                #expect(abs(observed - p) < Support.binomialBand(p: p, n: n),
                        "\(factor.id): P(X <= q\(p)) = \(observed)")
            }
        }
    }

    /// The normal correlation that gives Spearman rho for a bivariate normal: rho = (6/pi) asin(r/2).
    @Test func normalCorrelationInvertsPearsonToSpearman() {
        for rho in [-0.9, -0.3, 0, 0.5, 0.99] {
            let r = CorrelationMatrix.normalCorrelation(spearman: rho)
            #expect(abs(6 / Double.pi * asin(r / 2) - rho) < 1e-14)
        }
    }

    /// a~b and b~c strongly positive but a~c strongly negative: no joint law has them.
    @Test func refusesMatrixThatIsNotPositiveDefinite() throws {
        let dir = try Support.temporaryDirectory()
        let file = dir.appendingPathComponent("bad.json")
        try """
        {"name": "bad", "factors": [
          {"id": "a", "group": "g", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.5}},
          {"id": "b", "group": "g", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.5}},
          {"id": "c", "group": "g", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.5}}],
         "correlations": [{"between": ["a", "b"], "rank": 0.9}, {"between": ["b", "c"], "rank": 0.9},
                          {"between": ["a", "c"], "rank": -0.9}]}
        """.write(to: file, atomically: true, encoding: .utf8)
        let r = try Support.effsim(["validate", file.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(file.path): correlations: the requested rank correlations (a~b 0.9, b~c 0.9, a~c -0.9) do not form a positive definite matrix"))
    }
}
