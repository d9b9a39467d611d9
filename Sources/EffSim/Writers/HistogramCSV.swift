import Foundation

/// `histogram.csv`: metric,bin,lower,upper,count for each output, then each factor after clamping.
///
/// Bins are fixed in log10 and aligned on powers of ten: with B bins a decade, bin k covers
/// [10^(k/B), 10^((k+1)/B)). Empty bins are left out. Because the edges never depend on the data,
/// runs, thread counts and shards of the same scenario share them.
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

    /// The coarse bins of one metric: (k, count) for every non-empty bin k, ascending.
    ///
    /// Each fine bin goes to the coarse bin holding its centre. When B divides 20,480 every fine
    /// bin lies inside one coarse bin and the counts are exact; otherwise a fine bin straddling a
    /// coarse edge (1/20,480 of a decade, 1.1e-4 relative) is counted wholly on its centre's side.
    public static func bins(_ m: MetricState, binsPerDecade b: Int) -> [(bin: Int, count: Int)] {
        let width = Double(LogHistogram.binsPerDecade) / Double(b)
        var result: [(bin: Int, count: Int)] = []
        for (fine, count) in m.histogram.nonEmptyBins {
            let k = Int(((Double(fine) + 0.5) / width).rounded(.down))
            if let last = result.last, last.bin == k {
                result[result.count - 1].count += count
            } else {
                result.append((k, count))
            }
        }
        return result
    }

    /// The file's text for a finished run at `b` bins a decade: outputs first, then factors.
    public static func render(_ state: RunState, binsPerDecade b: Int) -> String {
        let s = state.scenario
        let layout = MetricLayout(s)
        let order = s.outputs.indices.map { (s.outputs[$0].id, layout.outputMetric($0)) }
            + s.factors.indices.map { (s.factors[$0].id, $0) }
        var table = CSVTable(header: header)
        for (name, m) in order {
            for (k, count) in bins(state.metrics[m], binsPerDecade: b) {
                table.append([name, String(k), CSVTable.number(edge(k, b)), CSVTable.number(edge(k + 1, b)), String(count)])
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
