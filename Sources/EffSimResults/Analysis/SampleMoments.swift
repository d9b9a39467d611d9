import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// The count, mean and sum of squared deviations (M2) of a sample, merged pairwise (Chan et al.,
/// `M2 = M2_a + M2_b + delta^2 n_a n_b / n`), so a sum over 10^7 logs keeps its precision.
struct SampleMoments: Sendable, Equatable, Codable {
    var count = 0
    var mean = 0.0
    var m2 = 0.0

    /// The moments of `count` values given their sums s1 = sum(x - shift), s2 = sum((x - shift)^2)
    /// around a shift near them.
    init(count: Int, shift: Double, s1: Double, s2: Double) {
        self.count = count
        guard count > 0 else { return }
        let n = Double(count)
        mean = shift + s1 / n
        m2 = Swift.max(0, s2 - s1 * s1 / n)
    }

    init() {}

    /// Adds another sample's moments.
    mutating func merge(_ other: SampleMoments) {
        guard other.count > 0 else { return }
        guard count > 0 else {
            self = other
            return
        }
        let n = count + other.count
        let delta = other.mean - mean
        let (a, b) = (Double(count), Double(other.count))
        mean += delta * b / Double(n)
        m2 += other.m2 + delta * delta * a * b / Double(n)
        count = n
    }

    /// The sample variance, M2 / (n - 1); 0 below two values.
    var variance: Double { count > 1 ? m2 / Double(count - 1) : 0 }
}

/// Shifted sums of one quantity in K bins over a chunk: sum of x - shift and of its square per
/// bin (interleaved), with the shift the chunk's first value (near the data, so the squares lose little).
struct BinnedSums: Sendable {
    var shift = 0.0
    /// sums[2b] = sum of x - shift in bin b, sums[2b + 1] = sum of its square.
    var sums: [Double]

    init(bins: Int) {
        sums = Array(repeating: 0, count: 2 * bins)
    }

    /// Adds x[i] to bin bins[i] (bin 0 for every value when `bins` is nil); the chunk's first
    /// block sets the shift.
    mutating func add(_ x: UnsafeBufferPointer<Double>, bins: UnsafePointer<Int32>?, first: Bool) {
        guard !x.isEmpty else { return }
        if first { shift = x[0] }
        let c = shift
        sums.withUnsafeMutableBufferPointer { s in
            if let bins {
                for i in x.indices {
                    let d = x[i] - c
                    let b = 2 * Int(bins[i])
                    s[b] += d
                    s[b + 1] += d * d
                }
            } else {
                // One running sum over the chunk's trials, whatever the blocks.
                var s1 = s[0]
                var s2 = s[1]
                for v in x {
                    let d = v - c
                    s1 += d
                    s2 += d * d
                }
                s[0] = s1
                s[1] = s2
            }
        }
    }

    /// Per bin moments, given each bin's count.
    func moments(counts: [Int]) -> [SampleMoments] {
        counts.indices.map { SampleMoments(count: counts[$0], shift: shift, s1: sums[2 * $0], s2: sums[2 * $0 + 1]) }
    }
}
