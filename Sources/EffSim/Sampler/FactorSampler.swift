import CGSL
import Foundation

/// How one factor's draws are made and clamped, fixed when the run starts.
///
/// Every draw ends as the natural log of the clamped factor, max(x, floor): products of factors
/// become sums, a lognormal draw needs no exp, and the statistics bin logs directly.
struct FactorSampler {
    enum Method {
        /// log x = mu + sigma z.
        case logNormal(mu: Double, sigma: Double)
        /// A normal truncated to [lower, upper] (infinite when open). With `rejection`, x = mean + sd z
        /// is redrawn until it falls inside (used when the window keeps at least a quarter of the
        /// mass, so at most four draws are expected); otherwise x is the quantile of a uniform draw.
        case normal(TruncatedNormal, lower: Double, upper: Double, rejection: Bool)
        /// log x is constant.
        case fixed(log: Double)
    }

    let method: Method
    let hasFloor: Bool
    /// The floor, or the smallest normal double when there is none (keeps log(x) finite for a
    /// normal truncated at exactly 0).
    let floor: Double
    let logFloor: Double

    init(_ factor: Factor) {
        hasFloor = factor.floor != nil
        floor = factor.floor ?? Double.leastNormalMagnitude
        logFloor = log(floor)
        switch factor.distribution {
        case let .logNormal(mu, sigma):
            method = .logNormal(mu: mu, sigma: sigma)
        case let .normal(mean, sd, lower, upper):
            let t = TruncatedNormal(mean: mean, sd: sd, lower: lower, upper: upper)
            method = .normal(t, lower: lower ?? -.infinity, upper: upper ?? .infinity, rejection: t.mass >= 0.25)
        case let .fixed(v):
            method = .fixed(log: log(v))
        }
    }

    var isFixed: Bool { if case .fixed = method { return true } else { return false } }

    /// Fills `out` with clamped log draws from `stream`; returns how many were raised to the floor.
    @inline(__always)
    func fill(_ out: UnsafeMutableBufferPointer<Double>, stream: RandomStream) -> Int {
        let r = stream.rng
        switch method {
        case let .logNormal(mu, sigma):
            return clampedLogs(out) { _ in mu + sigma * gsl_ran_gaussian_ziggurat(r, 1.0) }
        case let .normal(t, lower, upper, true):
            return clampedValues(out) { _ in
                var x: Double
                repeat { x = t.mean + t.sd * gsl_ran_gaussian_ziggurat(r, 1.0) } while !(x >= lower && x <= upper)
                return x
            }
        case let .normal(t, _, _, false):
            return clampedValues(out) { _ in t.quantile(gsl_rng_uniform_pos(r)) }
        case let .fixed(l):
            return fillFixed(out, log: l)
        }
    }

    /// Fills `out` from standard normal scores z (Gaussian copula): x = F^-1(Phi(z)).
    func fill(_ out: UnsafeMutableBufferPointer<Double>, fromNormalScores z: UnsafeBufferPointer<Double>) -> Int {
        switch method {
        case let .logNormal(mu, sigma):
            return clampedLogs(out) { mu + sigma * z[$0] }
        case let .normal(t, _, _, _):
            return clampedValues(out) { t.isTruncated ? t.quantile(gsl_cdf_ugaussian_P(z[$0])) : t.mean + t.sd * z[$0] }
        case let .fixed(l):
            return fillFixed(out, log: l)
        }
    }

    /// Fills `out` from uniforms u in (0,1) (quasi-random points): x = F^-1(u).
    func fill(_ out: UnsafeMutableBufferPointer<Double>, fromUniforms u: UnsafeBufferPointer<Double>) -> Int {
        switch method {
        case let .logNormal(mu, sigma):
            return clampedLogs(out) { mu + sigma * gsl_cdf_ugaussian_Pinv(u[$0]) }
        case let .normal(t, _, _, _):
            return clampedValues(out) { t.quantile(u[$0]) }
        case let .fixed(l):
            return fillFixed(out, log: l)
        }
    }

    /// out[i] = max(draw(i), log floor), for draws made in logs; returns how many were raised.
    @inline(__always)
    private func clampedLogs(_ out: UnsafeMutableBufferPointer<Double>, _ draw: (Int) -> Double) -> Int {
        var raised = 0
        let lf = hasFloor ? logFloor : -.infinity
        for i in out.indices {
            var l = draw(i)
            if l < lf { l = lf; raised &+= 1 }
            out[i] = l
        }
        return raised
    }

    /// out[i] = log(max(draw(i), floor)), for draws made as values; returns how many were raised.
    @inline(__always)
    private func clampedValues(_ out: UnsafeMutableBufferPointer<Double>, _ draw: (Int) -> Double) -> Int {
        var raised = 0
        let f = floor
        for i in out.indices {
            var x = draw(i)
            if x < f { x = f; raised &+= 1 }
            out[i] = log(x)
        }
        return hasFloor ? raised : 0
    }

    private func fillFixed(_ out: UnsafeMutableBufferPointer<Double>, log l: Double) -> Int {
        let raisedAll = hasFloor && l < logFloor
        out.update(repeating: raisedAll ? logFloor : l)
        return raisedAll ? out.count : 0
    }
}
