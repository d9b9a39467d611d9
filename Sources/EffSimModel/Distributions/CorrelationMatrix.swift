import CGSL
import EffSimCore
import Foundation

/// The Gaussian copula that gives pairs of factors a requested Spearman rank correlation while
/// each keeps its own marginal distribution.
///
/// For a bivariate normal with correlation r, Spearman's rho_S = (6/pi) asin(r/2), so the normal
/// correlation that yields rho_S is r = 2 sin(pi rho_S / 6). Correlated scores are L z, where
/// z is a vector of independent standard normals and L L^T = R (Cholesky). Each factor then takes
/// x = F^-1(Phi(score)), a monotone map, so rank correlations carry over unchanged (clamping at
/// a floor ties the clamped draws and weakens them a little).
public struct CorrelationMatrix: Sendable, Equatable {
    /// The factors taking part, as indices into `Scenario.factors`, ascending.
    public let factors: [Int]
    /// Lower-triangular Cholesky factor of the normal correlation matrix, row-major, n x n.
    public let cholesky: [Double]

    /// nil when the implied normal correlation matrix is not positive definite.
    public init?(_ correlations: [Correlation]) {
        let members = Array(Set(correlations.flatMap { [$0.first, $0.second] })).sorted()
        let n = members.count
        var r = Array(repeating: 0.0, count: n * n)
        for i in 0..<n { r[i * n + i] = 1 }
        for c in correlations {
            let i = members.firstIndex(of: c.first)!
            let j = members.firstIndex(of: c.second)!
            let v = CorrelationMatrix.normalCorrelation(spearman: c.rank)
            r[i * n + j] = v
            r[j * n + i] = v
        }
        guard let l = CorrelationMatrix.choleskyFactor(r, n: n) else { return nil }
        factors = members
        cholesky = l
    }

    /// r = 2 sin(pi rho_S / 6).
    public static func normalCorrelation(spearman rho: Double) -> Double {
        2 * sin(Double.pi * rho / 6)
    }

    /// The Cholesky factor of a symmetric n x n matrix (GSL's `gsl_linalg_cholesky_decomp1`),
    /// or nil when it is not positive definite or a pivot L_ii^2 is at or below 1e-10 (singular
    /// in practice).
    static func choleskyFactor(_ a: [Double], n: Int) -> [Double]? {
        GSL.configure()
        var m = a
        let status = m.withUnsafeMutableBufferPointer { buffer in
            var view = gsl_matrix_view_array(buffer.baseAddress, n, n)
            return gsl_linalg_cholesky_decomp1(&view.matrix)
        }
        guard status == GSL_SUCCESS else { return nil }
        // GSL leaves L in the lower triangle and L^T in the upper one: keep L only.
        var l = Array(repeating: 0.0, count: n * n)
        for i in 0..<n {
            guard m[i * n + i] * m[i * n + i] > 1e-10 else { return nil }
            for j in 0...i { l[i * n + j] = m[i * n + j] }
        }
        return l
    }
}

/// A requested Spearman rank correlation between two factors, by their indices.
public struct Correlation: Sendable, Equatable {
    /// The first factor's index in the scenario.
    public var first: Int
    /// The second factor's index.
    public var second: Int
    /// The Spearman rank correlation asked for, in (-1, 1).
    public var rank: Double
}
