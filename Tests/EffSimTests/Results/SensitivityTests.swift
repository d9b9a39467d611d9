import CGSL
import EffSim
import Foundation
import Testing

/// `effsim sensitivity`: first-order variance shares and tornado swings.
@Suite struct SensitivityTests {
    static let sigmas = [0.7, 0.5, 0.3]
    static let medians = [2.0, 3.0, 1.5]

    /// Unclamped a ~ lognormal(median 2, sigma 0.6) and b ~ lognormal(median 3, sigma 0.4), with
    /// `extra` (a top-level key) added.
    static func twoLognormals(trials n: Int, seed: Int, _ extra: String) throws -> Scenario {
        try Support.scenario("""
        {"name": "s", "trials": \(n), "seed": \(seed), "floor": null,
         "factors": [
          {"id": "a", "group": "g", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.6}},
          {"id": "b", "group": "g", "distribution": {"type": "lognormal", "median": 3, "sigma": 0.4}}],
         \(extra)}
        """)
    }

    /// Independent unclamped lognormals a, b, c and a fixed factor: log(total) is normal, the shares
    /// are sigma_i^2 / sum sigma_j^2 (0 for the fixed one), and pinning factor i at its p10 gives the
    /// median exp(sum of mu + sigma_i z_0.1).
    @Test func independentLognormalsMatchClosedForms() throws {
        let n = 200_000
        let s = try Support.scenario("""
        {"name": "s", "trials": \(n), "seed": 21, "floor": null,
         "factors": [
          {"id": "a", "group": "g", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.7}},
          {"id": "b", "group": "g", "distribution": {"type": "lognormal", "median": 3, "sigma": 0.5}},
          {"id": "c", "group": "g", "distribution": {"type": "lognormal", "median": 1.5, "sigma": 0.3}},
          {"id": "k", "group": "g", "distribution": {"type": "fixed", "value": 2}}]}
        """)
        let rows = try Sensitivity.analyse(s)
        #expect(rows.map(\.factor) == ["a", "b", "c", "k"])
        let total = Self.sigmas.map { $0 * $0 }.reduce(0, +)
        let muSum = Self.medians.map(log).reduce(0, +) + log(2)
        for (i, sigma) in Self.sigmas.enumerated() {
            let share = sigma * sigma / total
            // Two sources of sampling error: the ratio of sample variances of L_i and Y (jointly
            // normal, corr^2 = share) has sd 2 share sqrt((1 - share) / n); the bin means of R add
            // 2 Cov(L_i, noise), of sd 2 sqrt(Var L_i Var R / n) / Var Y. Five combined sds.
            let ratioSD = 2 * share * ((1 - share) / Double(n)).squareRoot()
            let covarianceSD = 2 * (sigma * sigma * (total - sigma * sigma) / Double(n)).squareRoot() / total
            let tolerance = 5 * (ratioSD * ratioSD + covarianceSD * covarianceSD).squareRoot()
            #expect(abs(rows[i].varianceShare - share) < tolerance, "\(rows[i].factor): \(rows[i].varianceShare) vs \(share)")
            // The median of the other factors' sum has sd 1.2533 sd(R) / sqrt(n) in log space.
            let medianTolerance = 5 * 1.2533 * (total - sigma * sigma).squareRoot() / Double(n).squareRoot()
            let z = gsl_cdf_ugaussian_Pinv(0.9)
            #expect(abs(log(rows[i].medianAtP10) - (muSum - sigma * z)) < medianTolerance)
            #expect(abs(log(rows[i].medianAtP90) - (muSum + sigma * z)) < medianTolerance)
        }
        #expect(rows[3].varianceShare == 0)
        #expect(abs(rows[3].medianAtP10 / rows[3].medianAtP90 - 1) < 1e-12)
    }

    /// Two lognormals with Spearman 0.6 (normal correlation r = 2 sin(0.1 pi)): logs are jointly
    /// normal, so E[Y | L_a] = L_a + r (sigma_b / sigma_a)(L_a - mu_a) and the first-order share is
    /// (sigma_a + r sigma_b)^2 / (sigma_a^2 + sigma_b^2 + 2 r sigma_a sigma_b). The binned estimate of
    /// the conditional mean must find the part of b that a explains.
    @Test func correlatedFactorsGetTheirMainEffect() throws {
        let n = 200_000
        let s = try Self.twoLognormals(trials: n, seed: 4, #""correlations": [{"between": ["a", "b"], "rank": 0.6}]"#)
        let rows = try Sensitivity.analyse(s)
        let r = CorrelationMatrix.normalCorrelation(spearman: 0.6)
        let (sa, sb) = (0.6, 0.4)
        let variance = sa * sa + sb * sb + 2 * r * sa * sb
        let expected = [pow(sa + r * sb, 2) / variance, pow(sb + r * sa, 2) / variance]
        for (row, share) in zip(rows, expected) {
            #expect(abs(row.varianceShare - share) < 0.01, "\(row.factor): \(row.varianceShare) vs \(share)")
        }
        #expect(rows[0].varianceShare + rows[1].varianceShare > 1.5)
    }

    /// The command writes sensitivity.csv (exact header, a row per factor of each output, scenario
    /// order), prints the factors ranked, and repeats itself byte for byte.
    @Test func commandWritesRankedSensitivity() throws {
        let dir = try Support.temporaryDirectory()
        let args = ["sensitivity", Support.scenarioPath("seed-2024.json"), "--trials", "50000", "--out", dir.path]
        let r = try Support.effsim(args)
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOf: dir.appendingPathComponent("sensitivity.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        #expect(lines[0] == ["factor", "output", "variance_share", "median_at_p10", "median_at_p90", "scale"])
        #expect(lines.dropFirst().allSatisfy { $0.last == "log" })
        #expect(lines.dropFirst().map { "\($0[0])/\($0[1])" } == [
            "transformer_pp/compute", "moe/compute", "unpublished/compute", "chinchilla/compute", "data_quality/compute",
            "transformer_pp/hardware", "moe/hardware", "unpublished/hardware", "chinchilla/hardware", "data_quality/hardware",
            "hardware_efficiency/hardware",
        ])
        for line in lines.dropFirst() {
            let share = Double(line[2])!, lo = Double(line[3])!, hi = Double(line[4])!
            #expect(share > 0 && share < 1)
            #expect(lo < hi)
        }
        // unpublished has the widest log-spread (sigma 0.84); hardware_efficiency the narrowest.
        #expect(r.stdout.contains("1. unpublished"))
        #expect(r.stdout.contains("6. hardware_efficiency"))
        #expect(r.stdout.contains("50000 trials, seed 2024"))
        let again = try Support.effsim(args)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try String(contentsOf: dir.appendingPathComponent("sensitivity.csv"), encoding: .utf8) == text)
    }

    /// A product of lognormals through both tornado paths: `p = a * b` splits off log a (median of
    /// the rest, plus log of the pin), `q = max(a * b, 0)` is recomputed with a pinned (a median
    /// of values). Both must give a_p10 * median(b) and a_p90 * median(b) (b's median 3), and the
    /// share sigma_a^2 / (sigma_a^2 + sigma_b^2).
    @Test func tornadoMediansOfAProductOfLognormalsMatchTheClosedForm() throws {
        let n = 300_000
        let s = try Self.twoLognormals(trials: n, seed: 12, #""outputs": [{"id": "p", "expression": "a * b"}, {"id": "q", "expression": "max(a * b, 0)"}]"#)
        let rows = try Sensitivity.analyse(s)
        let z = gsl_cdf_ugaussian_Pinv(0.9)
        let (a10, a90) = (2 * exp(-0.6 * z), 2 * exp(0.6 * z))
        // The sample median of log b has sd 1.2533 * 0.4 / sqrt(n); five of them.
        let tolerance = 5 * 1.2533 * 0.4 / Double(n).squareRoot()
        for output in ["p", "q"] {
            let a = try #require(rows.first { $0.output == output && $0.factor == "a" })
            #expect(abs(log(a.medianAtP10 / (a10 * 3))) < tolerance, "\(output): \(a.medianAtP10)")
            #expect(abs(log(a.medianAtP90 / (a90 * 3))) < tolerance, "\(output): \(a.medianAtP90)")
            #expect(abs(a.varianceShare - 0.36 / 0.52) < 0.01, "\(output): \(a.varianceShare)")
        }
        // The same draws: the two paths agree within the histograms' resolution (2 x 5.62e-5).
        let p = rows.filter { $0.output == "p" }, q = rows.filter { $0.output == "q" }
        for (x, y) in zip(p, q) {
            #expect(abs(x.medianAtP10 / y.medianAtP10 - 1) < 1.2e-4 && abs(x.medianAtP90 / y.medianAtP90 - 1) < 1.2e-4)
        }
    }

    /// The analysis streams chunk by chunk over worker threads; its sums are merged in chunk order
    /// and its histograms exactly, so the rows are identical for any number of threads (here a
    /// clamped groups output, a log-linear expression and a recomputed one over 4 chunks).
    @Test func rowsAreTheSameForAnyNumberOfThreads() throws {
        let s = try Support.scenario("""
        {"name": "s", "trials": 250000, "seed": 5, "floor": 1,
         "factors": [
          {"id": "a", "group": "g", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.6}},
          {"id": "b", "group": "g", "distribution": {"type": "normal", "mean": 2, "sd": 1, "lower": 0}},
          {"id": "c", "group": "h", "distribution": {"type": "uniform", "min": 0.5, "max": 4}}],
         "outputs": [{"id": "g", "groups": ["g", "h"]}, {"id": "e", "expression": "a^2 / c"}, {"id": "m", "expression": "a + b * c"}]}
        """)
        let one = try Sensitivity.analyse(s, threads: 1)
        #expect(try Sensitivity.analyse(s, threads: 2) == one)
        #expect(try Sensitivity.analyse(s, threads: 3) == one)
        #expect(one.count == 8)
    }

    /// `effsim sensitivity --threads`: the same sensitivity.csv, byte for byte, from 1 and 2 threads.
    @Test func commandWritesTheSameFileForAnyThreads() throws {
        let dir = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var files: [String] = []
        for threads in ["1", "2"] {
            let out = dir.appendingPathComponent("t\(threads)")
            let r = try Support.effsim(["sensitivity", Support.scenarioPath("seed-2024.json"), "--trials", "150000",
                                        "--threads", threads, "--out", out.path, "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
            files.append(try String(contentsOf: out.appendingPathComponent("sensitivity.csv"), encoding: .utf8))
        }
        #expect(files[0] == files[1])
    }

    /// The draws are not kept, so --trials goes beyond the 10^7 the command used to cap it at:
    /// here it passes the flag's check and stops at the memory estimate, which does not grow with it.
    @Test func commandAcceptsMoreTrialsThanFitInMemory() throws {
        let dir = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenario = Support.scenarioPath("seed-2024.json")
        let r = try Support.effsim(["sensitivity", scenario, "--trials", "1e11", "--threads", "1",
                                    "--memory-limit", "1", "--out", dir.appendingPathComponent("out").path, "--quiet"])
        #expect(r.status == 2)
        let s = try ScenarioReader.load(path: scenario)
        let mb = Sensitivity.memoryEstimate(s, threads: 1) >> 20
        #expect(r.stderr == "effsim: \(scenario): sensitivity would hold about \(mb) MB (1 thread(s) × 19 histograms × 1920 KB), more than the limit of 1 MB; lower --threads or raise --memory-limit\n", "\(r.stderr)")
        #expect(Support.files(in: dir).isEmpty)
    }

    /// Bins are cut at a factor's closed-form quantiles, so a discrete factor's ties share a bin:
    /// y = 10 b + x with b ~ Bernoulli(0.3) and x ~ N(0, 1) has Var(y) = 100 * 0.21 + 1 = 22, first-
    /// order shares 21/22 and 1/22 (scale `value`: y takes values <= 0), and pinning b at its p10
    /// (0) and p90 (1) gives medians 0 and 10 (median of x: sd 1.2533 / sqrt(n)).
    @Test func aDiscreteFactorKeepsItsTiesInOneBin() throws {
        let n = 100_000
        let s = try Support.scenario("""
        {"name": "s", "trials": \(n), "seed": 8, "floor": null,
         "factors": [
          {"id": "b", "group": "g", "distribution": {"type": "bernoulli", "p": 0.3}},
          {"id": "x", "group": "g", "distribution": {"type": "normal", "mean": 0, "sd": 1}}],
         "outputs": [{"id": "y", "expression": "10 * b + x"}]}
        """)
        let rows = try Sensitivity.analyse(s)
        #expect(rows.allSatisfy { $0.scale == .value })
        #expect(abs(rows[0].varianceShare - 21.0 / 22) < 0.01, "\(rows[0].varianceShare)")
        #expect(abs(rows[1].varianceShare - 1.0 / 22) < 0.01, "\(rows[1].varianceShare)")
        let tolerance = 5 * 1.2533 / Double(n).squareRoot()
        #expect(abs(rows[0].medianAtP10) < tolerance && abs(rows[0].medianAtP90 - 10) < tolerance)
    }

    /// A factor whose quantiles span so little that 4096 cells over them are infinitely many
    /// (sd 1e-306, or a uniform on [0, 5e-324]) stopped the analysis on a Double-to-Int trap. It
    /// adds nothing to `total = b + a`: its share is 0 up to the estimator's bias (bins - 1) / n, and
    /// b's is near 1 (less the variance within b's own bins).
    @Test(arguments: [#"{"type": "normal", "mean": 0, "sd": 1e-306}"#, #"{"type": "uniform", "min": 0, "max": 5e-324}"#])
    func aFactorOfTinySpreadIsAnalysed(distribution: String) throws {
        let n = 200_000
        let s = try Support.scenario("""
        {"name": "s", "trials": \(n), "seed": 5, "floor": null,
         "factors": [{"id": "a", "group": "g", "distribution": \(distribution)},
                     {"id": "b", "group": "h", "distribution": {"type": "lognormal", "median": 3, "sigma": 0.4}}],
         "outputs": [{"id": "total", "expression": "b + a"}]}
        """)
        let rows = try Sensitivity.analyse(s)
        let share = Dictionary(uniqueKeysWithValues: rows.map { ($0.factor, $0.varianceShare) })
        #expect(share["a"]! < 2.0 * 100 / Double(n), "\(rows)")
        #expect(share["b"]! > 0.9, "\(rows)")
    }
}
