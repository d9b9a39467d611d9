import CGSL
import EffSimCore
import Foundation

/// Normal(mean, sd^2) conditioned on lower <= X <= upper, in closed form.
///
/// With alpha = (lower - mean) / sd and beta = (upper - mean) / sd the CDF is
/// (Phi(z) - Phi(alpha)) / (Phi(beta) - Phi(alpha)), z = (x - mean) / sd, and the quantile inverts it.
/// Windows wholly in the upper tail are computed through the survival function Q = 1 - Phi
/// (by the symmetry of the normal), which keeps full precision where Phi rounds to 1.
public struct TruncatedNormal: Sendable, Equatable {
    /// The untruncated mean.
    public let mean: Double
    /// The untruncated sd, > 0.
    public let sd: Double
    /// (lower - mean) / sd; -infinity without a lower bound.
    public let alpha: Double
    /// (upper - mean) / sd; +infinity without an upper bound.
    public let beta: Double
    /// The untruncated normal's mass inside the window, Phi(beta) - Phi(alpha).
    public let mass: Double

    /// The normal(mean, sd^2) conditioned on [lower, upper] (nil bounds are infinite); the caller
    /// has checked sd > 0 and that the window holds mass (see `Normal`).
    public init(mean: Double, sd: Double, lower: Double?, upper: Double?) {
        self.mean = mean
        self.sd = sd
        alpha = lower.map { ($0 - mean) / sd } ?? -.infinity
        beta = upper.map { ($0 - mean) / sd } ?? .infinity
        mass = TruncatedNormal.massBetween(alpha, beta)
    }

    /// Phi(b) - Phi(a) for a < b, computed on the side of zero where it does not cancel.
    static func massBetween(_ a: Double, _ b: Double) -> Double {
        if a >= 0 {
            return gsl_cdf_ugaussian_Q(a) - gsl_cdf_ugaussian_Q(b)
        }
        return gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a)
    }

    /// Whether either bound is finite.
    public var isTruncated: Bool { alpha > -.infinity || beta < .infinity }

    /// (Phi(z) - Phi(alpha)) / (Phi(beta) - Phi(alpha)), z = (x - mean) / sd; 0 below the window, 1 above it.
    public func cdf(_ x: Double) -> Double {
        let z = (x - mean) / sd
        if z <= alpha { return 0 }
        if z >= beta { return 1 }
        return TruncatedNormal.massBetween(alpha, z) / mass
    }

    /// The p-quantile for 0 <= p <= 1.
    public func quantile(_ p: Double) -> Double {
        mean + sd * standardQuantile(p)
    }

    /// The quantile on the standard scale, z in [alpha, beta].
    @inline(__always)
    func standardQuantile(_ p: Double) -> Double {
        let z: Double
        if alpha >= 0 {
            // Upper tail: Q(z) = Q(alpha) - p * mass.
            z = gsl_cdf_ugaussian_Qinv(gsl_cdf_ugaussian_Q(alpha) - p * mass)
        } else {
            z = gsl_cdf_ugaussian_Pinv(gsl_cdf_ugaussian_P(alpha) + p * mass)
        }
        return min(max(z, alpha), beta)
    }
}
