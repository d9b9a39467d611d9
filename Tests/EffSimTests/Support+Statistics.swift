import Foundation

/// Sample statistics the statistical tests compare with closed forms.
extension Support {
    /// Ranks 0..<n of the values (no ties expected: continuous, unclamped draws).
    static func ranks(_ x: [Double]) -> [Double] {
        var r = Array(repeating: 0.0, count: x.count)
        for (rank, i) in x.indices.sorted(by: { x[$0] < x[$1] }).enumerated() { r[i] = Double(rank) }
        return r
    }

    /// Spearman's rank correlation, 1 - 6 sum d^2 / (n (n^2 - 1)), for samples without ties.
    static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        let rx = ranks(x), ry = ranks(y)
        let n = Double(x.count)
        var s = 0.0
        for i in x.indices { s += (rx[i] - ry[i]) * (rx[i] - ry[i]) }
        return 1 - 6 * s / (n * (n * n - 1))
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
