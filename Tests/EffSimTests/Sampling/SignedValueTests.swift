import CGSL
import EffSim
import Foundation
import Testing

/// Values of any sign: the statistics (exact zeros, mirrored bins for negative values, thresholds
/// of any sign), factors whose laws reach 0 or below, histogram.csv's rows, and threads, shards
/// and state files of a signed scenario.
///
/// Statistical tolerances: 5 Monte Carlo standard errors (a sample p-quantile's is
/// sqrt(p(1-p)/n) / f(x_p), a share's sqrt(P(1-P)/n)) plus the 5.62e-5 relative binning bound.
@Suite struct SignedValueTests {
    /// Deterministic values of both signs, zeros among them, spread over ±300 decades.
    static func values(_ n: Int, seed: UInt64) -> [Double] {
        var x = seed
        return (0..<n).map { i in
            x = x &* 6364136223846793005 &+ 1442695040888963407
            let u = Double(x >> 11) / Double(1 << 53)
            if i % 17 == 0 { return 0 }
            let magnitude = i % 5 == 0 ? pow(10, u * 600 - 300) : pow(10, u * 4 - 2)
            return i % 3 == 0 ? -magnitude : magnitude
        }
    }

    /// Half a fine bin, relative: 10^(1/40960) - 1 = 5.6217e-5 (documented as 5.62e-5).
    static let halfBin = pow(10, 1.0 / 40_960) - 1 + 1e-12

    static let levels = ThresholdLevels(aboveValues: [-1e200, -0.5, 0, 1e-250, 3], belowValues: [-2, 0, 1e100])

    static func state(_ values: [Double]) -> MetricState {
        var m = MetricState(levels: levels)
        // Blocks of 1000, as the sampler feeds them.
        for start in stride(from: 0, to: values.count, by: 1000) {
            Array(values[start..<min(start + 1000, values.count)]).withUnsafeBufferPointer { m.add(values: $0, levels: levels) }
        }
        m.flush(levels: levels)
        return m
    }

    @Test func positiveValuesBinAsTheirLogs() {
        let values = Self.values(5_000, seed: 2).map { abs($0) }.filter { $0 > 0 }
        var byValue = MetricState(levels: Self.levels), byLog = MetricState(levels: Self.levels)
        values.withUnsafeBufferPointer { byValue.add(values: $0, levels: Self.levels) }
        values.map { log($0) }.withUnsafeBufferPointer { byLog.add(logs: $0, levels: Self.levels) }
        byValue.flush(levels: Self.levels)
        byLog.flush(levels: Self.levels)
        #expect(byValue == byLog)
    }

    @Test func countsOfEverySignAreExact() {
        let values = Self.values(30_000, seed: 5)
        let m = Self.state(values)
        #expect(m.count == values.count)
        #expect(m.zeroCount == values.count { $0 == 0 })
        #expect(m.negative.count == values.count { $0 < 0 })
        #expect(m.above == [-1e200, -0.5, 0, 1e-250, 3].map { t in values.count { $0 > t } })
        #expect(m.below == [-2, 0, 1e100].map { t in values.count { $0 < t } })
    }

    @Test func orderStatisticsAreWithinHalfABinAndExactAtZeroAndTheExtremes() {
        let values = Self.values(20_001, seed: 9)
        let m = Self.state(values)
        let sorted = values.sorted()
        let ranks = Array(stride(from: 0, through: 20_000, by: 250)) + [1, 19_999]
        for (rank, v) in zip(ranks, m.orderStatistics(ranks: ranks)) {
            if sorted[rank] == 0 {
                #expect(v == 0, "rank \(rank)")
            } else {
                #expect(abs(v / sorted[rank] - 1) <= Self.halfBin, "rank \(rank): \(v) against \(sorted[rank])")
            }
        }
        // The extremes are kept as logs: exact up to exp's rounding, |ln x| ulps.
        let extremes = m.orderStatistics(ranks: [0, 20_000])
        #expect(abs(extremes[0] / sorted[0] - 1) < 1e-12 && abs(extremes[1] / sorted[20_000] - 1) < 1e-12)
        let mean = values.reduce(0, +) / Double(values.count)
        #expect(abs(m.moments().mean - mean) <= Self.halfBin * values.reduce(0) { $0 + abs($1) } / Double(values.count))
    }

    /// Memory follows the decades the values take: a page (one run) per decade reached.
    @Test func histogramsHoldOnlyTheDecadesReached() {
        let values: [Double] = [1e-300, 2e-300, 1, 3, 1e300, -5e-200, -7]
        let m = Self.state(values)
        #expect(m.positive.histogram.runs.count == 3)
        #expect(m.negative.histogram.runs.count == 2)
        let extremes = m.orderStatistics(ranks: [0, 6])
        #expect(abs(extremes[0] / -7 - 1) < 1e-12 && abs(extremes[1] / 1e300 - 1) < 1e-12)
    }

    @Test func splitsMergeToTheWholeState() {
        let values = Self.values(12_000, seed: 4)
        let whole = Self.state(values)
        var parts = [values[0..<1_234], values[1_234..<7_000], values[7_000...]].map { Self.state(Array($0)) }
        var forward = parts[0]
        forward.merge(parts[1]); forward.merge(parts[2])
        parts.reverse()
        var backward = parts[0]
        backward.merge(parts[1]); backward.merge(parts[2])
        #expect(forward == whole && backward == whole)
    }

    /// histogram.csv: negative rows have lower < upper <= 0, the zero row lower = upper = 0,
    /// rows ascend in value and their counts add up to the trials.
    @Test func histogramRowsAscendInValue() {
        let values = Self.values(10_000, seed: 6)
        let rows = HistogramCSV.rows(Self.state(values), binsPerDecade: 20)
        #expect(rows.reduce(0) { $0 + $1.count } == values.count)
        let zero = rows.filter { $0.bin == nil }
        #expect(zero.count == 1 && zero[0].lower == 0 && zero[0].upper == 0 && zero[0].count == values.count { $0 == 0 })
        for r in rows where r.bin != nil { #expect(r.lower < r.upper && (r.upper <= 0 || r.lower > 0)) }
        for (a, b) in zip(rows, rows.dropFirst()) { #expect(a.upper <= b.lower, "\(a) then \(b)") }
        // Each row holds exactly the values in its interval: (lower, upper] below 0, [lower, upper) above.
        for r in rows where r.bin != nil && r.count > 0 && abs(log10(abs(r.lower))) < 250 {
            let inside = values.count { r.upper <= 0 ? ($0 > r.lower && $0 <= r.upper) : ($0 >= r.lower && $0 < r.upper) }
            #expect(inside == r.count, "\(r)")
        }
    }

    func summary(_ json: String) throws -> (Scenario, [SummaryRow]) {
        let s = try Support.scenario(json)
        let state = try Engine.run(s, options: RunOptions(threads: 2))
        return (s, MetricLayout(s).rows(state.metrics))
    }

    static let probabilities = [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]

    @Test func lawsAcrossZeroMatchTheirQuantiles() throws {
        let n = 400_000
        let (_, rows) = try summary("""
        {"name": "signed", "trials": \(n), "seed": 21, "floor": null, "percentiles": \(Self.probabilities.map { $0 * 100 }),
         "thresholds": [-1, 0, 0.5],
         "factors": [{"id": "n", "group": "a", "distribution": {"type": "normal", "mean": 0.2, "sd": 1.5}},
                     {"id": "u", "group": "b", "distribution": {"type": "uniform", "min": -2, "max": 3}},
                     {"id": "t", "group": "c", "distribution": {"type": "triangular", "min": -4, "mode": 0, "max": 1}}],
         "outputs": [{"id": "na", "groups": ["a"]}]}
        """)
        let laws: [(String, (Double) -> Double, (Double) -> Double, (Double) -> Double)] = [
            ("n", { 0.2 + gsl_cdf_gaussian_Pinv($0, 1.5) }, { gsl_ran_gaussian_pdf($0 - 0.2, 1.5) }, { gsl_cdf_gaussian_P($0 - 0.2, 1.5) }),
            ("u", { -2 + 5 * $0 }, { _ in 0.2 }, { min(max(($0 + 2) / 5, 0), 1) }),
            ("t", { p in p <= 0.8 ? -4 + (p * 5 * 4).squareRoot() : 1 - ((1 - p) * 5).squareRoot() },
             { x in x <= 0 ? 2 * (x + 4) / 20 : 2 * (1 - x) / 5 }, { x in x <= 0 ? (x + 4) * (x + 4) / 20 : 1 - (1 - x) * (1 - x) / 5 }),
        ]
        for (id, quantile, density, cdf) in laws {
            let row = try #require(rows.first { $0.metric == id })
            for (i, p) in Self.probabilities.enumerated() {
                let truth = quantile(p)
                let tolerance = 5 * (p * (1 - p) / Double(n)).squareRoot() / density(truth) + 5.62e-5 * abs(truth)
                #expect(abs(row.percentiles[i] - truth) <= tolerance, "\(id) p\(p * 100): \(row.percentiles[i]) against \(truth)")
            }
            for (i, t) in [-1.0, 0, 0.5].enumerated() {
                let truth = 1 - cdf(t)
                #expect(abs(row.exceedance[i]! - truth) <= 5 * (truth * (1 - truth) / Double(n)).squareRoot() + 1e-12, "\(id) P(>\(t))")
            }
        }
        #expect(rows.first { $0.metric == "na" }!.percentiles == rows.first { $0.metric == "n" }!.percentiles)
    }

    @Test(arguments: [0.0, 0.3, 1.0])
    func bernoulliIsZeroOrOne(p: Double) throws {
        let n = 200_000
        let (_, rows) = try summary("""
        {"name": "event", "trials": \(n), "seed": 8, "percentiles": [1, 50, 69, 71, 99], "thresholds": [0, 0.5, -1],
         "factors": [{"id": "e", "group": "g", "floor": null, "distribution": {"type": "bernoulli", "p": \(p)}}]}
        """)
        let row = try #require(rows.first { $0.metric == "e" })
        let se = 5 * (p * (1 - p) / Double(n)).squareRoot()
        #expect(abs(row.exceedance[0]! - p) <= se && row.exceedance[0]! == row.exceedance[1]! && row.exceedance[2]! == 1)
        #expect(abs(row.mean - p) <= se + 5.62e-5)
        // Type-7 percentiles of 0/1 data: 0 well below the 1 - p quantile, 1 well above it.
        for (i, q) in [0.01, 0.5, 0.69, 0.71, 0.99].enumerated() where abs(q - (1 - p)) > 0.005 {
            #expect(row.percentiles[i] == (q < 1 - p ? 0 : 1), "p\(q * 100) of bernoulli(\(p)): \(row.percentiles[i])")
        }
    }

    static let signedScenario = """
    {"name": "signed", "trials": 150000, "seed": 13, "floor": null, "thresholds": [-1, 0, 1e40],
     "factors": [{"id": "n", "group": "a", "distribution": {"type": "normal", "mean": 0, "sd": 2}},
                 {"id": "e", "group": "b", "distribution": {"type": "bernoulli", "p": 0.4}},
                 {"id": "g", "group": "b", "distribution": {"type": "lognormal", "median": 1e45, "sigma": 3}}],
     "outputs": [{"id": "net", "groups": ["a"]}, {"id": "bet", "groups": ["b"]}, {"id": "all", "groups": ["a", "b"]}]}
    """

    /// 1 and 3 threads, 3 shards written to state files, loaded and merged: the same state and the
    /// same histogram.csv bytes.
    @Test func threadsShardsAndStateFilesAgree() throws {
        let s = try Support.scenario(Self.signedScenario)
        let one = try Engine.run(s, options: RunOptions(threads: 1))
        let three = try Engine.run(s, options: RunOptions(threads: 3))
        #expect(one == three)
        let dir = try Support.temporaryDirectory()
        var paths: [String] = []
        for k in 1...3 {
            let part = try Engine.run(s, options: RunOptions(threads: 2, shard: Shard(index: k, count: 3)))
            let path = dir.appendingPathComponent("s\(k).json").path
            try StateFile(part).encoded().write(to: URL(fileURLWithPath: path))
            // Round trip: the loaded file holds the very state that was written.
            #expect(try StateFile.load(path: path).runState(file: path) == part)
            paths.append(path)
        }
        let merged = try StateFile.merge(paths: paths.reversed())
        #expect(merged.metrics == one.metrics)
        #expect(HistogramCSV.render(merged, binsPerDecade: 20) == HistogramCSV.render(one, binsPerDecade: 20))
        #expect(one.metrics[4].zeroCount > 0 && one.metrics[4].negative.count == 0 && one.metrics[3].negative.count > 0)
    }

    @Test func perYearAndDerivedRowsOfASignedOutputAreRefused() {
        let issues: [String]
        do {
            _ = try Support.scenario("""
            {"name": "t", "years": 4, "floor": null,
             "factors": [{"id": "n", "group": "a", "distribution": {"type": "normal", "mean": 1, "sd": 1}},
                         {"id": "l", "group": "b", "distribution": {"type": "lognormal", "median": 2, "sigma": 1}}],
             "outputs": [{"id": "o", "groups": ["a"]}, {"id": "p", "groups": ["b"]}],
             "derived": [{"id": "d", "baseline": 10, "divide_by": "o"}, {"id": "fine", "baseline": 10, "divide_by": "p"}]}
            """)
            issues = []
        } catch let error as ScenarioError {
            issues = error.issues.map(\.description)
        } catch {
            issues = ["\(error)"]
        }
        let why = #"output "o" can take values <= 0 (factor "n" has no floor and can be <= 0)"#
        #expect(issues == ["years: \(why), and its per-year row x^(1/years) needs positive values; leave out \"years\", give this output \"years\": null, or give the factor a floor > 0",
                           "derived[0].divide_by: \(why), and baseline / output needs positive values"])
    }

    @Test func aRunWhoseOutputTookValuesAtOrBelowZeroFailsItsPerYearRows() throws {
        let state = try Engine.run(Support.scenario(Self.signedScenario), options: RunOptions(threads: 2))
        #expect(throws: Never.self) { try NonPositiveOutputError.check(state) }
        var withYears = state
        withYears.scenario.years = 4
        #expect(throws: NonPositiveOutputError(output: "net", nonPositive: state.metrics[3].negative.count, trials: 150_000, rows: ["net_per_year"])) {
            try NonPositiveOutputError.check(withYears)
        }
    }

    @Test func bernoulliWithAFloorIsRefusedByTheCLI() throws {
        let dir = try Support.temporaryDirectory()
        let file = dir.appendingPathComponent("event.json")
        try Data(#"{"name": "event", "factors": [{"id": "e", "group": "g", "floor": 0.5, "distribution": {"type": "bernoulli", "p": 0.3}}]}"#.utf8).write(to: file)
        let r = try Support.effsim(["run", file.path, "--out", dir.appendingPathComponent("out").path])
        #expect(r.status == 2)
        #expect(r.stderr == "effsim: \(file.path): invalid scenario (1 problem)\neffsim: \(file.path): factors[0].floor: a bernoulli factor needs \"floor\": null (a floor would turn its 0 into the floor)\n")
        #expect(Support.files(in: dir) == ["event.json"])
    }
}

/// The report of a signed run: a linear x axis, and nothing that is not a number.
@Suite struct SignedReportTests {
    @Test func signedOutputsAndFactorsAreDrawnOnALinearAxis() throws {
        let state = try Engine.run(Support.scenario(SignedValueTests.signedScenario), options: RunOptions(threads: 2))
        let folder = ResultsFolder(state)
        #expect(folder.isSigned("net") && folder.isSigned("bet") && !folder.isSigned("g"))
        let files = RunReport.files(folder)
        for (name, text) in files where name.hasSuffix(".svg") {
            #expect(text.range(of: #""-?(nan|inf)"#, options: [.regularExpression, .caseInsensitive]) == nil, "\(name)")
        }
        let histogram = try #require(files.first { $0.name == "histogram-net.svg" }).text
        #expect(histogram.contains("net (linear scale)"))
        #expect(ExceedanceChart.render(folder).contains("x (linear scale)"))
        // The zeros of bet are one bin of lower = upper = 0, between its negative and positive bins.
        let bins = folder.chartBins("bet")
        #expect(bins.filter { $0.sign == 0 }.map(\.count) == [state.metrics[4].zeroCount])
    }
}

/// The extremes of doubles have bins too, and histogram.csv writes their edges as finite numbers.
@Suite struct ExtremeValueTests {
    @Test func theLargestAndSmallestDoublesAreBinned() {
        let values = [Double.greatestFiniteMagnitude, -Double.greatestFiniteMagnitude, Double.leastNonzeroMagnitude,
                      -Double.leastNonzeroMagnitude, Double.leastNormalMagnitude, 1]
        let levels = ThresholdLevels(aboveValues: [1e308, -1e-320])
        var m = MetricState(levels: levels)
        values.withUnsafeBufferPointer { m.add(values: $0, levels: levels) }
        m.flush(levels: levels)
        #expect(m.count == 6 && m.above == [1, 5])
        let rows = HistogramCSV.rows(m, binsPerDecade: 20)
        #expect(rows.reduce(0) { $0 + $1.count } == 6)
        for r in rows {
            #expect(r.lower.isFinite && r.upper.isFinite && r.lower < r.upper && (r.lower > 0 || r.upper < 0), "\(r)")
        }
        // Extremes of each sign exact (up to exp's rounding), the rest within half a fine bin.
        let sorted = values.sorted()
        for (v, truth) in zip(m.orderStatistics(ranks: Array(0..<6)), sorted) {
            #expect(v == truth || abs(v / truth - 1) <= SignedValueTests.halfBin, "\(v) against \(truth)")
        }
    }
}
