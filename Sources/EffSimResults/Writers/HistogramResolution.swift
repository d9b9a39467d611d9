import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// histogram.csv's bins a decade when `--bins` is not given: 20, or finer when an output's
/// central 99% (p0.5 to p99.5) would otherwise fall in fewer than 30 bins, so that the report
/// draws every output with at least `minimumBins` bars (an MFU between 0.32 and 0.36 spans a
/// twentieth of a decade: one bin at 20 a decade, 33 at 640).
///
/// For an output drawn on a linear axis in equal-width bins (one that takes values <= 0, or
/// spans less than a decade) the bins at its largest magnitude must be no wider than a thirtieth
/// of the central range. The choice is among 20 · 2^k up to 5120, which divide the statistics'
/// 20,480 bins a decade (exact counts). A constant output (p0.5 = p99.5) asks for nothing.
public enum HistogramResolution {
    /// The fewest drawn bins across an output's central 99%.
    public static let minimumBins = 30
    /// The finest resolution chosen.
    public static let maximumBinsPerDecade = 5120

    /// The resolutions the default can choose: 20 · 2^k up to `maximumBinsPerDecade`.
    public static let choices = Array(
        sequence(first: HistogramCSV.defaultBinsPerDecade) { $0 * 2 < maximumBinsPerDecade + 1 ? $0 * 2 : nil })

    /// Whether `run.json` may record `b`: what `--bins` accepts or what the default chooses.
    public static func isRecordable(_ b: Int) -> Bool {
        HistogramCSV.isValid(binsPerDecade: b) || choices.contains(b)
    }

    /// The bins a decade a finished run writes by default.
    public static func binsPerDecade(_ state: RunState) -> Int {
        let layout = MetricLayout(state.scenario)
        let sources = layout.rowSources.filter { $0.kind == .output }
        var chosen = HistogramCSV.defaultBinsPerDecade
        for source in sources {
            let m = state.metrics[source.metric]
            guard m.count > 1 else { continue }
            let ranks = [0.005, 0.995].map { Quantile.type7Ranks(p: $0, n: m.count).lower }
            let v = source.orderStatistics(m, ranks: ranks)
            chosen = max(chosen, needed(low: v[0], high: v[1], signed: !m.isPositive))
        }
        return chosen
    }

    /// The resolution that puts `minimumBins` bins across [low, high].
    static func needed(low: Double, high: Double, signed: Bool) -> Int {
        guard low.isFinite, high.isFinite, high > low else { return HistogramCSV.defaultBinsPerDecade }
        var b = HistogramCSV.defaultBinsPerDecade
        while b < maximumBinsPerDecade {
            let enough: Bool
            if signed || high / low < 10 {
                // A bin at magnitude M is M (10^(1/b) - 1) wide.
                let widest = max(abs(low), abs(high)) * (pow(10, 1 / Double(b)) - 1)
                enough = widest * Double(minimumBins) <= high - low
            } else {
                enough = log10(high / low) * Double(b) >= Double(minimumBins)
            }
            if enough { break }
            b *= 2
        }
        return b
    }
}
