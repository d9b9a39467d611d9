import Foundation

/// `histogram.csv`: metric,bin,lower,upper,count for each output, then each factor after clamping.
///
/// Bins are fixed in log10 and aligned on powers of ten: with B bins a decade, bin k covers
/// [10^(k/B), 10^((k+1)/B)). Empty bins are left out. Because the edges never depend on the data,
/// runs, thread counts and shards of the same scenario share them.
public enum HistogramCSV {
    public static let header = ["metric", "bin", "lower", "upper", "count"]
    public static let defaultBinsPerDecade = 20

    /// Bin counts a decade that split the fine bins evenly.
    public static func isValid(binsPerDecade b: Int) -> Bool {
        b >= 1 && LogHistogram.binsPerDecade % b == 0
    }

    public static var validBinsPerDecade: [Int] {
        (1...LogHistogram.binsPerDecade).filter { LogHistogram.binsPerDecade % $0 == 0 && $0 <= 1024 }
    }

    /// The coarse bins of one metric: (k, count) for every non-empty bin k, ascending.
    public static func bins(_ m: MetricState, binsPerDecade b: Int) -> [(bin: Int, count: Int)] {
        let width = LogHistogram.binsPerDecade / b
        var result: [(bin: Int, count: Int)] = []
        for (fine, count) in m.histogram.nonEmptyBins {
            let k = Int((Double(fine) / Double(width)).rounded(.down))
            if let last = result.last, last.bin == k {
                result[result.count - 1].count += count
            } else {
                result.append((k, count))
            }
        }
        return result
    }

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
