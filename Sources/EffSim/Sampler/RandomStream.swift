import CGSL
import CPhilox
import CTaus

/// The pseudo-random generators a run can use (`--rng`).
public enum RandomGenerator: String, CaseIterable, Sendable, Codable {
    /// Tausworthe, period 2^88: GSL's fastest generator of good quality. The default.
    case taus2
    /// Mersenne Twister, period 2^19937 - 1.
    case mt19937
    /// RANLUX double precision, luxury level 2: slow, decorrelated by construction.
    case ranlxd2
    /// Philox4x32-10 (Random123; also numpy's and cuRAND's): counter-based. Chunk c of seed s
    /// draws counters (i, c) under key s, the whole 64-bit seed; normals by Box–Muller, made a
    /// block at a time with vector instructions.
    case philox

    var gslType: UnsafePointer<gsl_rng_type> {
        switch self {
        case .taus2: return cgsl_rng_taus2()
        case .mt19937: return cgsl_rng_mt19937()
        case .ranlxd2: return cgsl_rng_ranlxd2()
        case .philox: return effsim_philox_gsl_type()
        }
    }
}

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
    public func fillTruncatedNormals(_ out: UnsafeMutableBufferPointer<Double>, mean: Double, sd: Double, lower: Double, upper: Double) {
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

/// Philox4x32-10 itself, for checking it against Random123's known answers.
public enum Philox {
    /// The 4-word block Philox4x32-10 maps `counter` to under `key`.
    public static func block(counter: (UInt32, UInt32, UInt32, UInt32), key: (UInt32, UInt32)) -> [UInt32] {
        let c = [counter.0, counter.1, counter.2, counter.3], k = [key.0, key.1]
        var out = [UInt32](repeating: 0, count: 4)
        effsim_philox4x32_10(c, k, &out)
        return out
    }

    /// Which vector code Philox's block draws run on this CPU ("avx2" or "baseline").
    public static var instructionSet: String { String(cString: effsim_philox_isa()) }
}

/// Derives every random stream of a run from (seed, chunk index) alone, so that the
/// draws of chunk c are the same whichever thread, process or shard runs it.
public enum StreamSeeds {
    /// splitmix64's finaliser: a bijection on 64 bits that spreads nearby inputs far apart.
    @inline(__always) public static func mix64(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// murmur3's 32-bit finaliser, also a bijection.
    @inline(__always) static func mix32(_ x: UInt32) -> UInt32 {
        var h = x
        h ^= h >> 16; h = h &* 0x85EB_CA6B
        h ^= h >> 13; h = h &* 0xC2B2_AE35
        return h ^ (h >> 16)
    }

    /// The 32-bit GSL seed of chunk `chunk` of a run seeded `seed`.
    ///
    /// The 64-bit run seed is mixed and folded to 32 bits once; chunk c then gets
    /// mix32(base + c). Because mix32 is a bijection, chunks of one run get distinct seeds for
    /// up to 2^32 chunks; no two chunks ever share a stream by construction (unlike drawing
    /// each chunk's seed at random, where 15,000 chunks collide with probability ~2.6%).
    public static func chunkSeed(runSeed seed: UInt64, chunk: Int) -> UInt32 {
        let m = mix64(seed)
        let base = UInt32(truncatingIfNeeded: m >> 32) ^ UInt32(truncatingIfNeeded: m)
        return mix32(base &+ UInt32(truncatingIfNeeded: chunk))
    }

    /// A seed for auxiliary randomness (the quasi-random shift), outside every chunk's seed domain
    /// only in the sense that it is derived from a different mix of the run seed.
    public static func auxiliarySeed(runSeed seed: UInt64, purpose: UInt64) -> UInt32 {
        let m = mix64(mix64(seed) ^ mix64(purpose &+ 0xA5A5_A5A5))
        return UInt32(truncatingIfNeeded: m >> 32) ^ UInt32(truncatingIfNeeded: m)
    }
}

/// Process-wide GSL set-up.
public enum GSL {
    private static let once: Void = {
        // GSL's default handler calls abort(). Every parameter is validated in Swift before GSL
        // sees it; with the handler off, the calls whose status matters (the Cholesky
        // decomposition) return it instead of ending the process.
        gsl_set_error_handler_off()
    }()

    /// Turns GSL's abort-on-error handler off, once per process; safe to call repeatedly.
    public static func configure() { _ = once }
}
