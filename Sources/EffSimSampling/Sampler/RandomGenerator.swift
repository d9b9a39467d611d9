import CGSL
import CPhilox
import CTaus
import EffSimCore
import EffSimModel

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
