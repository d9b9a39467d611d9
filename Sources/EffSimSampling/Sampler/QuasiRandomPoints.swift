import CGSL
import EffSimCore
import EffSimModel
import Foundation

/// A randomly shifted quasi-random sequence (GSL `gsl_qrng`): point i is frac(q_i + shift),
/// the Cranley–Patterson rotation, with one uniform shift per dimension drawn from the run seed.
/// The shift keeps each point uniformly distributed, so Monte Carlo intervals stay honest, while
/// the points keep their low discrepancy.
///
/// Not thread-safe; each worker owns one and walks it forward (`seek`).
final class QuasiRandomPoints {
    private let q: UnsafeMutablePointer<gsl_qrng>
    private let shift: [Double]
    private var point: [Double]
    private var position = 0
    private let kind: SamplerKind

    init(_ kind: SamplerKind, dimensions: Int, shiftSeed: UInt32, generator: RandomGenerator) {
        self.kind = kind
        let d = max(dimensions, 1)
        q = gsl_qrng_alloc(kind == .sobol ? cgsl_qrng_sobol() : cgsl_qrng_halton(), UInt32(d))
        let stream = RandomStream(generator)
        stream.reseed(shiftSeed)
        shift = (0..<d).map { _ in stream.uniformOpen() }
        point = Array(repeating: 0, count: d)
    }

    deinit { gsl_qrng_free(q) }

    /// Moves to point index i (forward by stepping; backward by restarting).
    func seek(to i: Int) {
        if i < position {
            gsl_qrng_init(q)
            position = 0
        }
        point.withUnsafeMutableBufferPointer { p in
            while position < i {
                gsl_qrng_get(q, p.baseAddress)
                position += 1
            }
        }
    }

    /// Writes the next `count` points, dimension j into columns[j], as uniforms in (0, 1).
    func fill(columns: [UnsafeMutableBufferPointer<Double>], count: Int) {
        let tiny = 0x1p-54
        point.withUnsafeMutableBufferPointer { p in
            for i in 0..<count {
                gsl_qrng_get(q, p.baseAddress)
                for (j, col) in columns.enumerated() {
                    var u = p[j] + shift[j]
                    if u >= 1 { u -= 1 }
                    col[i] = min(max(u, tiny), 1 - tiny)
                }
            }
        }
        position += count
    }
}
