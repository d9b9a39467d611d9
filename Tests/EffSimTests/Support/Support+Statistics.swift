import CGSL
import Foundation

/// Sample statistics the statistical tests compare with closed forms.
extension Support {
    /// Ranks 0..<n of the values (no ties expected: continuous, unclamped draws).
    static func ranks(_ x: [Double]) -> [Double] {
        var r = Array(repeating: 0.0, count: x.count)
        for (rank, i) in x.indices.sorted(by: { x[$0] < x[$1] }).enumerated() { r[i] = Double(rank) }
        return r
    }

    /// Spearman's rank correlation (GSL's `gsl_stats_spearman`, which handles ties).
    static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        var work = Array(repeating: 0.0, count: 2 * x.count)
        return x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                work.withUnsafeMutableBufferPointer { w in
                    gsl_stats_spearman(xs.baseAddress, 1, ys.baseAddress, 1, x.count, w.baseAddress)
                }
            }
        }
    }

    /// The fraction of values <= t.
    static func fraction(_ x: [Double], atMost t: Double) -> Double {
        Double(x.lazy.filter { $0 <= t }.count) / Double(x.count)
    }

    /// The median of the values.
    static func median(_ x: [Double]) -> Double {
        let s = x.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// The half-width of a 99.9% band around a binomial proportion p over n trials.
    static func binomialBand(p: Double, n: Int) -> Double {
        3.29 * (p * (1 - p) / Double(n)).squareRoot()
    }
}
