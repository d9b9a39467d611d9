import CGSL
import CPhilox
import CTaus
import EffSimCore
import EffSimModel

/// One generator's stream. Not thread-safe and deliberately not `Sendable`: each worker owns one,
/// so the compiler refuses to share a stream between threads.
///
/// Every generator is a GSL generator (`rng`), which the draws GSL makes itself use (beta, PERT,
/// mixtures). Philox is one too, over the same counters, and also draws blocks of uniforms and
/// normals directly; its one-at-a-time draws come from such blocks.
public final class RandomStream {
    let rng: UnsafeMutablePointer<gsl_rng>
    /// Philox's state (`rng`'s), or nil for the GSL generators.
    private let philox: UnsafeMutablePointer<effsim_philox_state>?
    /// taus2, whose blocks of uniforms and normals come from `CTaus` (GSL's numbers, without a
    /// library call a draw) once it has checked itself against GSL.
    private let taus: Bool
    /// Philox blocks behind `standardNormal()` and `uniformOpen()`, used from `next*` on.
    private let normals: UnsafeMutableBufferPointer<Double>
    private let uniforms: UnsafeMutableBufferPointer<Double>
    private var nextNormal = 0
    private var nextUniform = 0
    private static let bufferSize = 256

    /// A new stream of `generator` as GSL allocates it (at its default seed); `reseed(_:)` and
    /// `start(runSeed:chunk:)` set where it draws from.
    public init(_ generator: RandomGenerator) {
        GSL.configure()
        rng = gsl_rng_alloc(generator.gslType)
        let buffered = generator == .philox ? Self.bufferSize : 0
        philox = generator == .philox ? rng.pointee.state.assumingMemoryBound(to: effsim_philox_state.self) : nil
        taus = effsim_taus_exact(rng) != 0
        normals = .allocate(capacity: buffered)
        uniforms = .allocate(capacity: buffered)
        nextNormal = buffered
        nextUniform = buffered
    }

    deinit {
        gsl_rng_free(rng)
        normals.deallocate()
        uniforms.deallocate()
    }

    /// Restarts the stream from a 32-bit seed (GSL keeps only 32 bits of a seed). Philox takes
    /// the seed as its key and draws from the last counter stream, 2^64 - 1, which no chunk uses.
    public func reseed(_ seed: UInt32) {
        if let philox { start(philox, key: UInt64(seed), stream: .max) } else { gsl_rng_set(rng, UInt(seed)) }
    }

    /// Starts chunk `chunk` of a run seeded `runSeed`: the GSL generators from
    /// ``StreamSeeds/chunkSeed(runSeed:chunk:)``; Philox at counter (0, chunk) under key `runSeed`.
    public func start(runSeed: UInt64, chunk: Int) {
        if let philox {
            start(philox, key: runSeed, stream: UInt64(chunk))
        } else {
            gsl_rng_set(rng, UInt(StreamSeeds.chunkSeed(runSeed: runSeed, chunk: chunk)))
        }
    }

    private func start(_ state: UnsafeMutablePointer<effsim_philox_state>, key: UInt64, stream: UInt64) {
        effsim_philox_start(state, key, stream)
        nextNormal = normals.count
        nextUniform = uniforms.count
    }

    /// Whether this is a Philox stream (whose runs may also use vector math for logs).
    var isPhilox: Bool { philox != nil }

    /// A standard normal draw (GSL's ziggurat method; Philox: Box–Muller).
    @inline(__always) public func standardNormal() -> Double {
        guard let philox else { return gsl_ran_gaussian_ziggurat(rng, 1.0) }
        if nextNormal == normals.count {
            effsim_philox_normals(philox, normals.baseAddress, normals.count)
            nextNormal = 0
        }
        defer { nextNormal &+= 1 }
        return normals[nextNormal]
    }

    /// A uniform draw in the open interval (0, 1).
    @inline(__always) public func uniformOpen() -> Double {
        guard let philox else { return gsl_rng_uniform_pos(rng) }
        if nextUniform == uniforms.count {
            effsim_philox_uniforms(philox, uniforms.baseAddress, uniforms.count)
            nextUniform = 0
        }
        defer { nextUniform &+= 1 }
        return uniforms[nextUniform]
    }

    /// Fills `out` with standard normal draws: the same as `out.count` calls of
    /// ``standardNormal()`` for the GSL generators; Philox draws the block at once, from fresh counters.
    public func fillStandardNormals(_ out: UnsafeMutableBufferPointer<Double>) {
        if let philox {
            effsim_philox_normals(philox, out.baseAddress, out.count)
        } else if taus {
            effsim_taus_normals(rng, out.baseAddress, out.count)
        } else {
            for i in out.indices { out[i] = gsl_ran_gaussian_ziggurat(rng, 1.0) }
        }
    }

    /// Fills `out` with draws of mean + sd * z in [lower, upper], each from the first standard
    /// normal z (``standardNormal()`` after ``standardNormal()``) that lands inside: a normal
    /// truncated by rejection.
    public func fillTruncatedNormals(
        _ out: UnsafeMutableBufferPointer<Double>, mean: Double, sd: Double, lower: Double, upper: Double
    ) {
        if taus {
            effsim_taus_truncated_normals(rng, mean, sd, lower, upper, out.baseAddress, out.count)
            return
        }
        for i in out.indices {
            var x: Double
            repeat { x = mean + sd * standardNormal() } while !(x >= lower && x <= upper)
            out[i] = x
        }
    }

    /// Fills `out` with uniforms in (0, 1): the same as `out.count` calls of ``uniformOpen()``
    /// for the GSL generators; Philox draws the block at once, from fresh counters.
    public func fillUniforms(_ out: UnsafeMutableBufferPointer<Double>) {
        if let philox {
            effsim_philox_uniforms(philox, out.baseAddress, out.count)
        } else if taus {
            effsim_taus_uniforms_pos(rng, out.baseAddress, out.count)
        } else {
            for i in out.indices { out[i] = gsl_rng_uniform_pos(rng) }
        }
    }
}
