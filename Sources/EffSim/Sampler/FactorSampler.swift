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
        /// x = mean + sd z, redrawn until lower <= x <= upper (used when the window keeps at
        /// least a quarter of the mass, so at most four draws are expected).
        case normalRejection(mean: Double, sd: Double, lower: Double, upper: Double)
        /// x = the truncated normal's quantile of a uniform draw (narrow windows).
        case normalInverse(TruncatedNormal)
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
        logFloor = hasFloor ? log(floor) : -Double.infinity
        switch factor.distribution {
        case let .logNormal(mu, sigma):
            method = .logNormal(mu: mu, sigma: sigma)
        case let .normal(mean, sd, lower, upper):
            let t = TruncatedNormal(mean: mean, sd: sd, lower: lower, upper: upper)
            if t.mass >= 0.25 {
                method = .normalRejection(mean: mean, sd: sd, lower: lower ?? -.infinity, upper: upper ?? .infinity)
            } else {
                method = .normalInverse(t)
            }
        case let .fixed(v):
            method = .fixed(log: log(v))
        }
    }

    var isFixed: Bool { if case .fixed = method { return true } else { return false } }

    /// Fills `out` with clamped log draws from `stream`; returns how many were raised to the floor.
    @inline(__always)
    func fill(_ out: UnsafeMutableBufferPointer<Double>, stream: RandomStream) -> Int {
        var raised = 0
        let r = stream.rng
        switch method {
        case let .logNormal(mu, sigma):
            let lf = logFloor
            for i in out.indices {
                var l = mu + sigma * gsl_ran_gaussian_ziggurat(r, 1.0)
                if l < lf { l = lf; raised &+= 1 }
                out[i] = l
            }
        case let .normalRejection(mean, sd, lower, upper):
            let f = floor
            for i in out.indices {
                var x: Double
                repeat { x = mean + sd * gsl_ran_gaussian_ziggurat(r, 1.0) } while !(x >= lower && x <= upper)
                if x < f { x = f; if hasFloor { raised &+= 1 } }
                out[i] = log(x)
            }
        case let .normalInverse(t):
            for i in out.indices {
                out[i] = clampedLog(t.quantile(gsl_rng_uniform_pos(r)), &raised)
            }
        case let .fixed(l):
            return fillFixed(out, log: l)
        }
        return raised
    }

    /// Fills `out` from standard normal scores z (Gaussian copula): x = F^-1(Phi(z)).
    func fill(_ out: UnsafeMutableBufferPointer<Double>, fromNormalScores z: UnsafeBufferPointer<Double>) -> Int {
        var raised = 0
        switch method {
        case let .logNormal(mu, sigma):
            for i in out.indices {
                var l = mu + sigma * z[i]
                if l < logFloor { l = logFloor; raised &+= 1 }
                out[i] = l
            }
        case let .normalRejection(mean, sd, lower, upper):
            let t = TruncatedNormal(mean: mean, sd: sd, lower: lower.isFinite ? lower : nil, upper: upper.isFinite ? upper : nil)
            for i in out.indices {
                let x = t.isTruncated ? t.quantile(gsl_cdf_ugaussian_P(z[i])) : mean + sd * z[i]
                out[i] = clampedLog(x, &raised)
            }
        case let .normalInverse(t):
            for i in out.indices { out[i] = clampedLog(t.quantile(gsl_cdf_ugaussian_P(z[i])), &raised) }
        case let .fixed(l):
            return fillFixed(out, log: l)
        }
        return raised
    }

    /// Fills `out` from uniforms u in (0,1) (quasi-random points): x = F^-1(u).
    func fill(_ out: UnsafeMutableBufferPointer<Double>, fromUniforms u: UnsafeBufferPointer<Double>) -> Int {
        var raised = 0
        switch method {
        case let .logNormal(mu, sigma):
            for i in out.indices {
                var l = mu + sigma * gsl_cdf_ugaussian_Pinv(u[i])
                if l < logFloor { l = logFloor; raised &+= 1 }
                out[i] = l
            }
        case let .normalRejection(mean, sd, lower, upper):
            let t = TruncatedNormal(mean: mean, sd: sd, lower: lower.isFinite ? lower : nil, upper: upper.isFinite ? upper : nil)
            for i in out.indices { out[i] = clampedLog(t.quantile(u[i]), &raised) }
        case let .normalInverse(t):
            for i in out.indices { out[i] = clampedLog(t.quantile(u[i]), &raised) }
        case let .fixed(l):
            return fillFixed(out, log: l)
        }
        return raised
    }

    @inline(__always)
    private func clampedLog(_ x: Double, _ raised: inout Int) -> Double {
        if x < floor {
            if hasFloor { raised &+= 1 }
            return logFloor.isFinite ? logFloor : log(floor)
        }
        return log(x)
    }

    private func fillFixed(_ out: UnsafeMutableBufferPointer<Double>, log l: Double) -> Int {
        let raisedAll = l < logFloor
        out.update(repeating: raisedAll ? logFloor : l)
        return raisedAll ? out.count : 0
    }
}
