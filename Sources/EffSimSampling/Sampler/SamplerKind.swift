import EffSimCore
import EffSimModel
import Foundation

/// How the uniform randomness behind the draws is produced (`--sampler`).
public enum SamplerKind: String, CaseIterable, Sendable, Codable {
    /// Independent pseudo-random draws from the chosen generator (`--rng`).
    case pseudo
    /// GSL's Sobol sequence (at most 40 non-fixed factors), randomly shifted per seed.
    case sobol
    /// GSL's Halton sequence, randomly shifted per seed.
    case halton

    /// The largest number of dimensions (non-fixed factors) GSL offers for this sequence.
    public var maximumDimension: Int {
        switch self {
        case .pseudo: return .max
        case .sobol: return 40
        case .halton: return 1229
        }
    }

    /// The most points the sequence yields before GSL's generator breaks down: Sobol's 30-bit
    /// counter fails (GSL_EFAILED, leaving the last point in place) at point 2^30 - 1; Halton's
    /// radical inverse takes a signed 32-bit count and returns 0 from count 2^31 on.
    public var maximumTrials: Int {
        switch self {
        case .pseudo: return .max
        case .sobol: return (1 << 30) - 1
        case .halton: return (1 << 31) - 1
        }
    }
}
