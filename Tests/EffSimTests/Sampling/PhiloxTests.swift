import CGSL
import CPhilox
import EffSim
import Foundation
import Testing

/// `--rng philox`: Random123's known answers, then its normals and uniforms against closed forms.
///
/// Tolerances: 5 binomial standard errors for a count (with fixed seeds, a false alarm never;
/// by chance, about once in 1.7 million per check); a chi-square statistic outside its central
/// 1 - 2e-6 range.
@Suite struct PhiloxTests {
    /// Random123's kat_vectors for Philox4x32-10: counter (4 words), key (2 words) -> block.
    @Test(arguments: [
        ([UInt32](repeating: 0, count: 4), [UInt32](repeating: 0, count: 2), [0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8] as [UInt32]),
        ([UInt32](repeating: .max, count: 4), [UInt32](repeating: .max, count: 2), [0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD]),
        ([0x243F_6A88, 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344], [0xA409_3822, 0x299F_31D0], [0xD16C_FE09, 0x94FD_CCEB, 0x5001_E420, 0x2412_6EA1]),
    ])
    func knownAnswers(counter: [UInt32], key: [UInt32], expected: [UInt32]) {
        let block = Philox.block(counter: (counter[0], counter[1], counter[2], counter[3]), key: (key[0], key[1]))
        #expect(block == expected)
    }

    /// n standard normals from chunk `chunk` of seed `seed`, a block at a time.
    func normals(_ n: Int, seed: UInt64 = 2024, chunk: Int = 0) -> [Double] {
        let stream = RandomStream(.philox)
        stream.start(runSeed: seed, chunk: chunk)
        return [Double](unsafeUninitializedCapacity: n) { buffer, count in
            stream.fillStandardNormals(buffer)
            count = n
        }
    }

    func expectCount(_ count: Int, p: Double, n: Int, _ what: String) {
        let expected = p * Double(n), se = (p * (1 - p) * Double(n)).squareRoot()
        #expect(abs(Double(count) - expected) <= 5 * se, "\(what): \(count) of \(n), expected \(expected) ± \(5 * se)")
    }

    /// P(z <= x_p) = p at the closed-form quantiles x_p = Phi^-1(p), as for GSL's normals.
    @Test func normalsMatchTheClosedFormQuantiles() {
        let n = 1_000_000
        let z = normals(n)
        for p in [1e-4, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1 - 1e-4] {
            let x = gsl_cdf_ugaussian_Pinv(p)
            expectCount(z.count { $0 <= x }, p: p, n: n, "P(z <= \(x))")
        }
    }

    /// 10^7 draws in 1,000 equiprobable bins; also both tails beyond 4.
    @Test func chiSquareOnEquiprobableBinsAndTails() {
        let n = 10_000_000, bins = 1000
        let edges = (1..<bins).map { gsl_cdf_ugaussian_Pinv(Double($0) / Double(bins)) }
        var counts = [Int](repeating: 0, count: bins)
        var above4 = 0, below4 = 0
        for z in normals(n, seed: 7) {
            var lo = 0, hi = edges.count  // first edge >= z, by bisection
            while lo < hi {
                let mid = (lo + hi) / 2
                if edges[mid] < z { lo = mid + 1 } else { hi = mid }
            }
            counts[lo] += 1
            if z > 4 { above4 += 1 }
            if z < -4 { below4 += 1 }
        }
        let e = Double(n) / Double(bins)
        let chi2 = counts.reduce(0.0) { $0 + (Double($1) - e) * (Double($1) - e) / e }
        let df = Double(bins - 1)
        #expect(chi2 > gsl_cdf_chisq_Pinv(1e-6, df) && chi2 < gsl_cdf_chisq_Qinv(1e-6, df), "chi-square \(chi2) on \(bins - 1) degrees of freedom")
        let p4 = gsl_cdf_ugaussian_Q(4)
        expectCount(above4, p: p4, n: n, "P(z > 4)")
        expectCount(below4, p: p4, n: n, "P(z < -4)")
    }

    /// The far tails over 10^8 draws: P(z > 5) = 2.9e-7 (29 expected) within its binomial error;
    /// P(z > 6) = 9.9e-10 (0.1 expected), so at most 3 in either tail (Poisson: 4 or more
    /// happens with probability 4e-6), and Box–Muller on 52-bit uniforms reaches |z| = 8.5.
    @Test func farTails() {
        let stream = RandomStream(.philox)
        stream.start(runSeed: 11, chunk: 0)
        let block = 1 << 16, n = 100_000_000
        var z = [Double](repeating: 0, count: block)
        var above5 = 0, below5 = 0, beyond6 = 0
        for _ in 0..<(n / block) {
            z.withUnsafeMutableBufferPointer { stream.fillStandardNormals($0) }
            for x in z where abs(x) > 5 {
                if x > 5 { above5 += 1 } else { below5 += 1 }
                if abs(x) > 6 { beyond6 += 1 }
            }
        }
        let drawn = n / block * block
        expectCount(above5, p: gsl_cdf_ugaussian_Q(5), n: drawn, "P(z > 5)")
        expectCount(below5, p: gsl_cdf_ugaussian_Q(5), n: drawn, "P(z < -5)")
        #expect(beyond6 <= 3, "\(beyond6) draws beyond 6 in \(drawn)")
    }

    /// Uniforms stay in the open interval and fill 1,000 equiprobable bins evenly.
    /// The logs a Philox run takes of factors drawn as values (normal, uniform, triangular...)
    /// are within one ulp of libm's, from the smallest normal double to the largest.
    @Test func vectorLogsAreWithinAnUlp() {
        var x: [Double] = []
        var e = -1022.0
        while e < 1023 {
            for m in stride(from: 1.0, to: 2.0, by: 0.0137) { x.append(m * pow(2, e)) }
            e += 1.37
        }
        x += [.leastNormalMagnitude, .greatestFiniteMagnitude, 1, 1.5, 2.5, 4.7, 1 - 0x1p-53, 1 + 0x1p-52]
        var logs = x
        effsim_philox_logs(&logs, logs.count)
        let worst = zip(x, logs).map { abs($1 - log($0)) / log($0).ulp }.max() ?? .infinity
        #expect(worst <= 1, "worst error \(worst) ulp")
    }

    @Test func uniformsAreOpenAndEven() {
        let stream = RandomStream(.philox)
        stream.start(runSeed: 3, chunk: 5)
        let n = 1_000_000, bins = 1000
        var u = [Double](repeating: 0, count: n)
        u.withUnsafeMutableBufferPointer { stream.fillUniforms($0) }
        #expect(u.allSatisfy { $0 > 0 && $0 < 1 })
        var counts = [Int](repeating: 0, count: bins)
        for x in u { counts[Int(x * Double(bins))] += 1 }
        let e = Double(n) / Double(bins)
        let chi2 = counts.reduce(0.0) { $0 + (Double($1) - e) * (Double($1) - e) / e }
        #expect(chi2 > gsl_cdf_chisq_Pinv(1e-6, 999) && chi2 < gsl_cdf_chisq_Qinv(1e-6, 999), "chi-square \(chi2)")
    }

    /// One-at-a-time draws come from the same blocks: after a start, the first 256 calls give
    /// the block a fill of 256 gives. Another chunk or seed gives other draws.
    @Test func singleDrawsFollowTheBlocksAndStreamsDiffer() {
        let stream = RandomStream(.philox)
        stream.start(runSeed: 2024, chunk: 0)
        let single = (0..<256).map { _ in stream.standardNormal() }
        #expect(single == normals(256))
        #expect(normals(256, chunk: 1) != single)
        #expect(normals(256, seed: 2025) != single)
        // The whole 64-bit seed is the key: seeds equal in their low 32 bits differ.
        #expect(normals(256, seed: 2024 + (1 << 32)) != single)
    }
}
