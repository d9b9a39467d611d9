import CGSL
import CPhilox
import CTaus
import EffSimCore
import EffSimModel

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
        h ^= h >> 16
        h = h &* 0x85EB_CA6B
        h ^= h >> 13
        h = h &* 0xC2B2_AE35
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
