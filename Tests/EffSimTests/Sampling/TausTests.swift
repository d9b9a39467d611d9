import CGSL
import CTaus
import EffSim
import Foundation
import Testing

/// The default generator's block draws (`CTaus`): GSL's own numbers, bit for bit, and GSL's
/// state after them, so that every taus2 run stays byte-identical to one made with GSL's calls.
/// Each comparison is exact: one different bit anywhere fails it.
@Suite struct TausTests {
    static let seeds: [UInt] = [1, 2, 2024, 123_456_789, 4_294_967_295]

    /// A taus2 generator at `seed`.
    final class Generator {
        let rng: UnsafeMutablePointer<gsl_rng>
        init(seed: UInt) {
            rng = gsl_rng_alloc(cgsl_rng_taus2())
            gsl_rng_set(rng, seed)
        }
        deinit { gsl_rng_free(rng) }

        /// GSL's three state words.
        var state: [UInt] { Array(UnsafeBufferPointer(start: rng.pointee.state.assumingMemoryBound(to: UInt.self), count: 3)) }
    }

    /// `n` draws through `fill`, in blocks of the given sizes taken in turn.
    func blocks(_ n: Int, sizes: [Int], _ fill: (UnsafeMutablePointer<Double>, Int) -> Void) -> [Double] {
        var out = [Double](repeating: .nan, count: n)
        out.withUnsafeMutableBufferPointer { buffer in
            var at = 0, turn = 0
            while at < n {
                let size = min(sizes[turn % sizes.count], n - at)
                fill(buffer.baseAddress! + at, size)
                at += size
                turn += 1
            }
        }
        return out
    }

    func bits(_ x: [Double]) -> [UInt64] { x.map(\.bitPattern) }

    /// Whether the draws stand in for GSL's is decided by their own check against GSL's (each
    /// strip's word either side of its bound, both signs; three seeds' draws), which a wrong
    /// bound fails: a draw there comes once in 2^24, too rarely for the comparisons below.
    @Test func standsInForTaus2Only() {
        let taus2 = Generator(seed: 1)
        #expect(effsim_taus_exact(taus2.rng) == 1)
        let mt = gsl_rng_alloc(cgsl_rng_mt19937())!
        defer { gsl_rng_free(mt) }
        #expect(effsim_taus_exact(mt) == 0)
    }

    /// 10^6 normals a seed (about 28,000 of them by the ziggurat's rare path, tails included),
    /// in blocks of 1, 7 and 2,048, against 10^6 calls of gsl_ran_gaussian_ziggurat.
    @Test(arguments: seeds)
    func normalsAreGSLs(seed: UInt) {
        let n = 1_000_000
        let ours = Generator(seed: seed), theirs = Generator(seed: seed)
        let got = blocks(n, sizes: [2048, 1, 7]) { effsim_taus_normals(ours.rng, $0, $1) }
        let want = (0..<n).map { _ in gsl_ran_gaussian_ziggurat(theirs.rng, 1.0) }
        #expect(bits(got) == bits(want))
        #expect(ours.state == theirs.state)
        // The tail (|z| > 3.44, the ziggurat's base strip) is drawn by the rare path.
        #expect(got.contains { $0 > 3.5 } && got.contains { $0 < -3.5 })
    }

    @Test(arguments: seeds)
    func uniformsAreGSLs(seed: UInt) {
        let n = 1_000_000
        let ours = Generator(seed: seed), theirs = Generator(seed: seed)
        let got = blocks(n, sizes: [2048, 1, 7]) { effsim_taus_uniforms_pos(ours.rng, $0, $1) }
        let want = (0..<n).map { _ in gsl_rng_uniform_pos(theirs.rng) }
        #expect(bits(got) == bits(want))
        #expect(ours.state == theirs.state)
    }

    /// Rejection as FactorSampler made it with GSL's calls: mean + sd * z until inside, for a
    /// wide interval (seed-2024's hardware factor: few rejections) and a narrow one (most draws
    /// rejected), then a normal after them from the same state.
    @Test(arguments: [(3.0, 1.17, 0.0, 4.7), (3.0, 1.17, 2.9, 3.1), (-1.0, 2.0, -.infinity, -3.0)])
    func truncatedNormalsAreGSLs(mean: Double, sd: Double, lower: Double, upper: Double) {
        let n = 200_000
        for seed in Self.seeds {
            let ours = Generator(seed: seed), theirs = Generator(seed: seed)
            let got = blocks(n, sizes: [2048, 1, 7]) {
                effsim_taus_truncated_normals(ours.rng, mean, sd, lower, upper, $0, $1)
            }
            let want: [Double] = (0..<n).map { _ in
                var x: Double
                repeat { x = mean + sd * gsl_ran_gaussian_ziggurat(theirs.rng, 1.0) } while !(x >= lower && x <= upper)
                return x
            }
            #expect(bits(got) == bits(want), "seed \(seed)")
            #expect(ours.state == theirs.state, "seed \(seed)")
        }
    }
}
