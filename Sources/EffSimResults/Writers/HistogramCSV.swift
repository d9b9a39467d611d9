import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// `histogram.csv`: metric,bin,lower,upper,count for each output, then each factor after clamping.
///
/// Bins are fixed in log10 and aligned on powers of ten: with B bins a decade, bin k covers
/// [10^(k/B), 10^((k+1)/B)). A negative value goes to the bin of its magnitude, written as the
/// mirrored row (-10^((k+1)/B), -10^(k/B)] with the same k; zeros are one row with an empty
/// `bin` and lower = upper = 0. Rows run in increasing order of value: negative bins from the
/// largest magnitude, zeros, positive bins. Empty bins are left out. Because the edges never
/// depend on the data, runs, thread counts and shards of the same scenario share them.
public enum HistogramCSV {
    /// histogram.csv's columns.
    public static let header = ["metric", "bin", "lower", "upper", "count"]
    /// Bins a decade when `--bins` is not given.
    public static let defaultBinsPerDecade = 20

    /// The most bins a decade `--bins` accepts.
    public static let maximumBinsPerDecade = 1024

    /// 1 to 1024 bins a decade.
    public static func isValid(binsPerDecade b: Int) -> Bool {
        (1...maximumBinsPerDecade).contains(b)
    }

    /// The coarse bins of one sign's values (by magnitude): (k, count) for every non-empty bin k,
    /// ascending.
    ///
    /// Each fine bin goes to the coarse bin holding its centre. When B divides 20,480 every fine
    /// bin lies inside one coarse bin and the counts are exact; otherwise a fine bin straddling a
    /// coarse edge (1/20,480 of a decade, 1.1e-4 relative) is counted wholly on its centre's side.
    public static func bins(_ side: MagnitudeState, binsPerDecade b: Int) -> [(bin: Int, count: Int)] {
        let width = Double(LogHistogram.binsPerDecade) / Double(b)
        var result: [(bin: Int, count: Int)] = []
        for (fine, count) in side.histogram.nonEmptyBins {
            let k = Int(((Double(fine) + 0.5) / width).rounded(.down))
            if let last = result.last, last.bin == k {
                result[result.count - 1].count += count
            } else {
                result.append((k, count))
            }
        }
        return result
    }

    /// One metric's rows, in increasing order of value: (bin, lower, upper, count), bin nil for zeros.
    public static func rows(_ m: MetricState, binsPerDecade b: Int) -> [(
        bin: Int?, lower: Double, upper: Double, count: Int
    )] {
        var rows: [(bin: Int?, lower: Double, upper: Double, count: Int)] = []
        // The edges of the outermost bins of doubles are kept finite and nonzero, and a bin of
        // subnormals narrower than their spacing one spacing wide.
        func edges(_ k: Int) -> (Double, Double) {
            func edge(_ k: Int) -> Double {
                Swift.min(Swift.max(Self.edge(k, b), .leastNonzeroMagnitude), .greatestFiniteMagnitude)
            }
            let lower = edge(k)
            return (lower, Swift.max(edge(k + 1), lower.nextUp))
        }
        for (k, count) in bins(m.negative, binsPerDecade: b).reversed() {
            let (lower, upper) = edges(k)
            rows.append((k, -upper, -lower, count))
        }
        if m.zeroCount > 0 { rows.append((nil, 0, 0, m.zeroCount)) }
        for (k, count) in bins(m.positive, binsPerDecade: b) {
            let (lower, upper) = edges(k)
            rows.append((k, lower, upper, count))
        }
        return rows
    }

    /// The file's rows for a finished run at `b` bins a decade, metric by metric in its order
    /// (outputs first, then factors): (bin, lower, upper, count), the zeros' row with no bin.
    /// A crossing time's bins are those of its offset from the index's first value, moved by
    /// it (the zero row is the first value); the trials that never cross have no row (summary.csv
    /// counts them in `p_never`), and a crossing time no trial crossed has no rows at all.
    public static func table(_ state: RunState, binsPerDecade b: Int) -> [(
        metric: String, rows: [(bin: Int?, lower: Double, upper: Double, count: Int)]
    )] {
        let s = state.scenario
        let layout = MetricLayout(s)
        let order =
            s.outputs.indices.map { (s.outputs[$0].id, layout.outputMetric($0), s.outputs[$0].crossing?.index.from) }
            + s.factors.indices.map { (s.factors[$0].id, $0, nil) }
        var result: [(metric: String, rows: [(bin: Int?, lower: Double, upper: Double, count: Int)])] = []
        for (name, m, offset) in order {
            var list: [(bin: Int?, lower: Double, upper: Double, count: Int)] = []
            // A crossing time's trials at the first index value, and those so close after it
            // that moving their bin by it leaves lower = upper, are one row at that value.
            var atStart = 0
            for row in rows(state.metrics[m], binsPerDecade: b) {
                var (lower, upper) = (row.lower, row.upper)
                if let offset {
                    if lower >= CrossingTime.neverLevel { continue }
                    (lower, upper) = (lower + offset, upper + offset)
                    if lower >= upper {
                        atStart += row.count
                        continue
                    }
                    if atStart > 0 {
                        list.append((nil, offset, offset, atStart))
                        atStart = 0
                    }
                }
                list.append((row.bin, lower, upper, row.count))
            }
            if let offset, atStart > 0 { list.append((nil, offset, offset, atStart)) }
            if !list.isEmpty { result.append((name, list)) }
        }
        return result
    }

    /// The file's text: `table`'s rows, numbers in CSVTable's digits (which read back exactly).
    public static func render(_ state: RunState, binsPerDecade b: Int) -> String {
        var table = CSVTable(header: header)
        for (name, rows) in Self.table(state, binsPerDecade: b) {
            for row in rows {
                table.append([
                    name, row.bin.map(String.init) ?? "", CSVTable.number(row.lower), CSVTable.number(row.upper),
                    String(row.count),
                ])
            }
        }
        return table.text
    }

    /// 10^(k/B), exact at powers of ten.
    public static func edge(_ k: Int, _ b: Int) -> Double {
        if k % b == 0 { return Double("1e\(k / b)")! }
        return pow(10, Double(k) / Double(b))
    }
}
