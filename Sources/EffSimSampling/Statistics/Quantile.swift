import CGSL
import EffSimCore
import EffSimModel
import Foundation

/// Sample quantiles.
public enum Quantile {
    /// Hyndman & Fan type 7 (R's default, numpy's "linear", GSL's
    /// `gsl_stats_quantile_from_sorted_data`): with h = (n - 1) p, the quantile is
    /// x[floor(h)] + (h - floor(h)) (x[floor(h) + 1] - x[floor(h)]) over the sorted sample x[0..n-1].
    public static func type7Ranks(p: Double, n: Int) -> (lower: Int, upper: Int, fraction: Double) {
        let h = Double(n - 1) * p
        let lower = Int(h.rounded(.down))
        return (lower, Swift.min(lower + 1, n - 1), h - Double(lower))
    }

    /// Type 7 quantile of an already sorted sample (GSL's `gsl_stats_quantile_from_sorted_data`).
    public static func type7(sorted x: [Double], p: Double) -> Double {
        x.withUnsafeBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, $0.count, p) }
    }
}
