import CGSL
import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// One line of `compare.csv`: a statistic of a metric in run A and run B, and the 95% Monte Carlo
/// interval of the difference b - a.
public struct ComparisonRow: Sendable, Equatable {
    /// The summary row: a factor, an output, a per-year or a derived row.
    public var metric: String
    /// The row's kind, as summary.csv's `kind` column.
    public var kind: MetricKind
    /// Named like the summary.csv column: `mean`, `p50`, `p_gt_1000`, `floor_share`.
    public var statistic: String
    /// The row's unit in normal form (empty when the scenarios use no units).
    public var unit: String = ""
    /// The statistic in run A.
    public var a: Double
    /// The statistic in run B.
    public var b: Double
    /// The lower end of the 95% Monte Carlo interval of b - a.
    public var lo95: Double
    /// The upper end of the 95% Monte Carlo interval of b - a.
    public var hi95: Double

    /// A row from its fields.
    public init(
        metric: String, kind: MetricKind, statistic: String, unit: String = "", a: Double, b: Double, lo95: Double,
        hi95: Double
    ) {
        (self.metric, self.kind, self.statistic, self.unit) = (metric, kind, statistic, unit)
        (self.a, self.b, self.lo95, self.hi95) = (a, b, lo95, hi95)
    }

    /// b - a.
    public var difference: Double { b - a }
    /// b / a, nil when a is 0 or b / a is beyond a double.
    public var ratio: Double? {
        let r = b / a
        return a == 0 || !r.isFinite ? nil : r
    }
    /// Whether the interval of the difference excludes 0.
    public var isSignificant: Bool { lo95 > 0 || hi95 < 0 }

    /// |b - a| in units of the interval's half-width on its side; infinite for a nonzero
    /// difference with an empty interval, 0 for no difference.
    public var score: Double {
        let d = difference
        if d == 0 { return 0 }
        let half = d > 0 ? d - lo95 : hi95 - d
        return half > 0 ? abs(d) / half : .infinity
    }
}

/// What changed between two runs: every statistic of every metric present in both, with a 95%
/// Monte Carlo interval of b - a, and the metrics present in only one.
///
/// - Two scenario files are sampled with the same seed, generator and chunking (common random
///   numbers): trial i of A and of B come from the same uniforms, so B - A carries only the noise
///   of the change, far less than two independent runs. The interval is a batch-means t-interval:
///   the chunks are dealt into G batches (chunk c into batch c mod G, as shards are), each
///   statistic is computed per batch for A and B, and with d_k the batch differences,
///   (b - a) ± t(0.975, G - 1) · sd(d_k) / sqrt(G), centred on the whole run's difference. The
///   batches are independent (their chunks draw from disjoint streams) and the pairing keeps the
///   common noise out of sd(d_k). G = min(20, chunks); at least 2 chunks (131,072 trials) are needed.
/// - Two finished results folders are not re-sampled: their precision.csv intervals are combined
///   as independent, half-width sqrt(h_a^2 + h_b^2) on each side (A's upper half with B's lower
///   half below the difference, and the reverse above). Two folders of the same run (same
///   fingerprint) differ by exactly 0.
public struct Comparison: Sendable {
    /// Every statistic of every metric in both runs, in A's row order.
    public var rows: [ComparisonRow]
    /// Metrics that only run A has (listed, never dropped silently).
    public var onlyInA: [String]
    /// Metrics that only run B has.
    public var onlyInB: [String]
    /// Whether either scenario uses units: compare.csv then ends with a `unit` column.
    public var usesUnits = false

    /// A comparison from its rows and the metrics in one run only.
    public init(rows: [ComparisonRow], onlyInA: [String], onlyInB: [String]) {
        (self.rows, self.onlyInA, self.onlyInB) = (rows, onlyInA, onlyInB)
    }

    /// compare.csv's columns.
    public static let header = ["metric", "statistic", "a", "b", "ratio", "difference", "lo95", "hi95"]
    /// G, the most batches of chunks the interval uses (fewer when the run has fewer chunks).
    public static let maximumBatches = 20

    // MARK: Scenario files

    /// Samples both scenarios chunk batch by chunk batch with `options` (each with its own seed
    /// and trials; pass equal ones for common random numbers). Returns the comparison and both
    /// whole runs.
    public static func sample(_ a: Scenario, _ b: Scenario, options: RunOptions) throws -> (
        comparison: Comparison, a: RunState, b: RunState
    ) {
        try checkUnits(a, b)
        let chunks = min(Engine.chunkCount(trials: a.trials), Engine.chunkCount(trials: b.trials))
        guard chunks >= 2 else {
            throw EngineError(
                description:
                    "compare needs at least \(2 * Engine.chunkSize) trials (two chunks of \(Engine.chunkSize)) for the interval of a difference; this run has \(min(a.trials, b.trials))"
            )
        }
        let batches = min(maximumBatches, chunks)
        func batched(_ s: Scenario) throws -> (whole: RunState, parts: [[SummaryRow]]) {
            var whole: RunState?
            var parts: [[SummaryRow]] = []
            for k in 1...batches {
                var o = options
                o.shard = Shard(index: k, count: batches)
                let part = try Engine.run(s, options: o)
                parts.append(MetricLayout(s).rows(part.metrics))
                if whole == nil { whole = part } else { whole!.merge(part) }
            }
            var result = whole!
            result.shards = [.whole]
            return (result, parts)
        }
        let (wholeA, partsA) = try batched(a)
        let (wholeB, partsB) = try batched(b)
        let rowsA = MetricLayout(a).rows(wholeA.metrics)
        let rowsB = MetricLayout(b).rows(wholeB.metrics)
        let t = gsl_cdf_tdist_Pinv(0.975, Double(batches - 1))
        let comparison = try pair(a, rowsA, b, rowsB) { metric, statistic, va, vb in
            let diffs = zip(partsA, partsB).map { pa, pb in
                (pb.first { $0.metric == metric }?.value(of: statistic, in: b) ?? 0)
                    - (pa.first { $0.metric == metric }?.value(of: statistic, in: a) ?? 0)
            }
            let half = t * standardError(diffs)
            return (vb - va - half, vb - va + half)
        }
        return (comparison, wholeA, wholeB)
    }

    // MARK: Results folders

    /// Compares two finished results folders without sampling (see the type's documentation).
    public static func folders(_ a: String, _ b: String) throws -> Comparison {
        let fa = try ResultsFolder.load(directory: a)
        let fb = try ResultsFolder.load(directory: b)
        try checkUnits(fa.scenario, fb.scenario)
        guard fa.scenario.statisticColumns == fb.scenario.statisticColumns else {
            throw OutputError(
                description:
                    "\(a) and \(b) report different statistics (\(fa.scenario.statisticColumns.joined(separator: ",")) against \(fb.scenario.statisticColumns.joined(separator: ","))); compare needs the same percentiles and thresholds"
            )
        }
        let sameRun = fa.record.fingerprint != nil && fa.record.fingerprint == fb.record.fingerprint
        let pa = try precision(a)
        let pb = try precision(b)
        return try pair(fa.scenario, fa.summary, fb.scenario, fb.summary) { metric, statistic, va, vb in
            let d = vb - va
            if sameRun { return (d, d) }
            guard let ia = pa["\(metric)\u{0}\(statistic)"], let ib = pb["\(metric)\u{0}\(statistic)"] else {
                return (d, d)
            }
            // hypot: the squares of values beyond 1e154 would overflow.
            let below = hypot(vb - ib.lo, ia.hi - va)
            let above = hypot(ib.hi - vb, va - ia.lo)
            return (d - below, d + above)
        }
    }

    /// sd(x) / sqrt(count), computed on x / max|x - mean| so that no square overflows (batch
    /// differences beyond 1e154 made the interval infinite).
    static func standardError(_ x: [Double]) -> Double {
        let n = Double(x.count)
        let mean = x.reduce(0) { $0 + $1 / n }
        let scale = x.map { abs($0 - mean) }.max() ?? 0
        guard scale > 0, scale.isFinite else { return scale }
        let sumSquares = x.map { ($0 - mean) / scale }.reduce(0) { $0 + $1 * $1 }
        return scale * (sumSquares / (n - 1) / n).squareRoot()
    }

    /// precision.csv as "metric\0statistic" -> (lo95, hi95).
    static func precision(_ directory: String) throws -> [String: (lo: Double, hi: Double)] {
        let table = try ResultsFolder.table(directory, "precision.csv")
        var problems: [String] = []
        var result: [String: (lo: Double, hi: Double)] = [:]
        for (line, f) in table.named(Precision.header, problems: &problems) {
            let at = "\(table.file):\(line)"
            guard let lo = ResultsFolder.number(f["lo95"], "lo95", at: at, problems: &problems),
                let hi = ResultsFolder.number(f["hi95"], "hi95", at: at, problems: &problems)
            else { continue }
            result["\(f["metric"]!)\u{0}\(f["statistic"]!)"] = (lo, hi)
        }
        guard problems.isEmpty else { throw OutputError(description: problems.joined(separator: "\n")) }
        return result
    }

    // MARK: Pairing

    /// Throws, naming each metric and both units, when both scenarios use units and a metric
    /// both have is in different ones: there are no conversion tables, so `s` and `h` differ
    /// (a factor without a unit is dimensionless, `1`).
    public static func checkUnits(_ sa: Scenario, _ sb: Scenario) throws {
        guard sa.usesUnits, sb.usesUnits else { return }
        let inB = Set(sb.metricNames)
        let problems = sa.metricNames.filter(inB.contains).compactMap { metric -> String? in
            let ua = sa.unit(ofMetric: metric)
            let ub = sb.unit(ofMetric: metric)
            let shownA = ua.isEmpty ? "1" : ua
            let shownB = ub.isEmpty ? "1" : ub
            return shownA == shownB
                ? nil
                : "\(Quoted.string(metric)) is in \(Quoted.string(shownA)) in a and in \(Quoted.string(shownB)) in b"
        }
        guard problems.isEmpty else {
            throw OutputError(
                description: "cannot compare across units (effsim has no conversion tables): "
                    + problems.joined(separator: "; "))
        }
    }

    /// The rows of the metrics in both, statistic by statistic in summary.csv's order (those both
    /// scenarios report), with `interval(metric, statistic, a, b)`. Throws when a number would not
    /// be finite (a difference beyond the range of a double).
    static func pair(
        _ sa: Scenario, _ ra: [SummaryRow], _ sb: Scenario, _ rb: [SummaryRow],
        interval: (String, String, Double, Double) -> (Double, Double)
    ) throws -> Comparison {
        let namesB = Set(rb.map(\.metric))
        let namesA = Set(ra.map(\.metric))
        var rows: [ComparisonRow] = []
        for rowA in ra {
            guard let rowB = rb.first(where: { $0.metric == rowA.metric }) else { continue }
            let unit = sa.usesUnits ? sa.unit(ofMetric: rowA.metric) : sb.unit(ofMetric: rowA.metric)
            for statistic in sa.statisticColumns where sb.statisticColumns.contains(statistic) {
                guard let va = rowA.value(of: statistic, in: sa), let vb = rowB.value(of: statistic, in: sb) else {
                    continue
                }
                let (lo, hi) = interval(rowA.metric, statistic, va, vb)
                rows.append(
                    ComparisonRow(
                        metric: rowA.metric, kind: rowA.kind, statistic: statistic, unit: unit,
                        a: va, b: vb, lo95: lo, hi95: hi))
            }
        }
        try FiniteOutput.check(
            rows.flatMap { [$0.difference, $0.lo95, $0.hi95] }, what: "a difference or its interval")
        var comparison = Comparison(
            rows: rows, onlyInA: ra.map(\.metric).filter { !namesB.contains($0) },
            onlyInB: rb.map(\.metric).filter { !namesA.contains($0) })
        comparison.usesUnits = sa.usesUnits || sb.usesUnits
        return comparison
    }

    // MARK: Files and console

    /// compare.csv: `metric,statistic,a,b,ratio,difference,lo95,hi95`, and `unit` when a scenario
    /// uses units (as summary.csv); ratio empty when a is 0.
    public func csv() -> String {
        var table = CSVTable(header: Self.header + (usesUnits ? ["unit"] : []))
        for r in rows {
            table.append(
                [
                    r.metric, r.statistic, CSVTable.number(r.a), CSVTable.number(r.b),
                    r.ratio.map(CSVTable.number) ?? "",
                    CSVTable.number(r.difference), CSVTable.number(r.lo95), CSVTable.number(r.hi95),
                ] + (usesUnits ? [r.unit] : []))
        }
        return table.text
    }

    /// only-in-one.csv: `metric,in` with `a` or `b`.
    public func onlyInOneCSV() -> String {
        var table = CSVTable(header: ["metric", "in"])
        for m in onlyInA { table.append([m, "a"]) }
        for m in onlyInB { table.append([m, "b"]) }
        return table.text
    }

    /// The console table: the statistics `shown` (default p10, p50, p90 and each P(>t)) of every
    /// metric that is not a factor, led by what moved most relative to its interval, with b / a
    /// (for a probability, the change in points is b - a); `*` marks a difference whose interval,
    /// as printed, excludes 0 (no star on `+0.0 pts [+0.0, +0.0]`). Then the metrics in only one run.
    public func console(a: String, b: String, shown: [String]? = nil) -> String {
        let wanted = shown.map(Set.init) ?? ["p10", "p50", "p90"]
        let picked = rows.filter {
            $0.kind != .factor && (wanted.contains($0.statistic) || (shown == nil && $0.statistic.hasPrefix("p_gt_")))
        }
        .enumerated().sorted { ($0.element.score, -$0.offset) > ($1.element.score, -$1.offset) }.map(\.element)
        var out = "a: \(Quoted.path(a))\nb: \(Quoted.path(b))\n\n"
        let lines = picked.map { r -> [String] in
            let probability = r.statistic.hasPrefix("p_gt_") || r.statistic == "floor_share"
            let show = probability ? ConsoleReport.percent : ConsoleReport.number
            let diff =
                probability
                ? String(format: "%+.1f pts", r.difference * 100)
                : (r.difference >= 0 ? "+" : "") + ConsoleReport.number(r.difference)
            let (lo, hi) =
                probability
                ? (String(format: "%+.1f", r.lo95 * 100), String(format: "%+.1f", r.hi95 * 100))
                : (ConsoleReport.number(r.lo95), ConsoleReport.number(r.hi95))
            let ratio = probability ? "" : r.ratio.map(ConsoleReport.number) ?? "-"
            // Significant as printed: an interval that prints as [+0.0, +0.0] excludes nothing a reader can see.
            let excludesZero = (Double(lo) ?? 0) > 0 || (Double(hi) ?? 0) < 0
            return [
                r.metric, r.statistic, show(r.a), show(r.b), ratio, diff, "[\(lo), \(hi)]", excludesZero ? "*" : "",
            ]
        }
        out += ConsoleReport.table(["metric", "statistic", "a", "b", "b/a", "b - a", "95% MC of b - a", ""], lines)
        out += "* the interval, as printed, excludes 0\n"
        if !onlyInA.isEmpty { out += "\nonly in a: \(onlyInA.map(Quoted.bare).joined(separator: ", "))\n" }
        if !onlyInB.isEmpty { out += "\nonly in b: \(onlyInB.map(Quoted.bare).joined(separator: ", "))\n" }
        return out
    }
}
