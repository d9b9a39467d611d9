import CGSL
import CPhilox
import EffSimCore
import EffSimModel
import Foundation

/// How one factor's draws are made and clamped, fixed when the run starts.
///
/// Every draw ends as the natural log of the clamped factor, max(x, floor): products of factors
/// become sums, a lognormal draw needs no exp, and the statistics bin logs directly. A factor
/// that can be <= 0 (`Factor.canBeNonPositive`) has no log: its column holds the values.
struct FactorSampler {
    let distribution: Distribution
    let hasFloor: Bool
    /// The column holds values, not logs.
    let holdsValues: Bool
    /// The floor, or the smallest positive double when there is none: a lognormal's draws below
    /// it are not doubles (a law that reaches 0 holds values, `Factor.canBeNonPositive`).
    let floor: Double
    let logFloor: Double

    init(_ factor: Factor) {
        distribution = factor.distribution
        hasFloor = factor.floor != nil
        holdsValues = factor.canBeNonPositive
        floor = factor.floor ?? Double.leastNonzeroMagnitude
        logFloor = log(floor)
    }

    var isFixed: Bool { distribution.isFixed }

    /// Fills `out` with clamped log draws from `stream`; returns how many were raised to the floor.
    @inline(__always)
    func fill(_ out: UnsafeMutableBufferPointer<Double>, stream: RandomStream) -> Int {
        let r = stream.rng
        let vectorLogs = stream.isPhilox
        switch distribution {
        case let .logNormal(d):
            let mu = d.mu
            let sigma = d.sigma
            stream.fillStandardNormals(out)
            return clampedLogs(out) { mu + sigma * out[$0] }
        case let .normal(d) where d.usesRejection:
            let t = d.truncated
            let lower = d.lower ?? -.infinity
            let upper = d.upper ?? .infinity
            stream.fillTruncatedNormals(out, mean: t.mean, sd: t.sd, lower: lower, upper: upper)
            return clampValues(out, vectorLogs: vectorLogs)
        case let .normal(d):
            let t = d.truncated
            stream.fillUniforms(out)
            return clampedValues(out, vectorLogs: vectorLogs) { t.quantile(out[$0]) }
        case let .fixed(d):
            return fillFixed(out, value: d.value)
        case let .logUniform(d):
            stream.fillUniforms(out)
            return clampedLogs(out) { d.logQuantile(out[$0]) }
        case let .uniform(d):
            stream.fillUniforms(out)
            return clampedValues(out, vectorLogs: vectorLogs) { d.quantile(out[$0]) }
        case let .triangular(d):
            stream.fillUniforms(out)
            return clampedValues(out, vectorLogs: vectorLogs) { d.quantile(out[$0]) }
        case let .pert(d):
            let law = d.law
            return clampedValues(out, vectorLogs: vectorLogs) { _ in law.draw(r) }
        case let .beta(d):
            let law = d.law
            return clampedValues(out, vectorLogs: vectorLogs) { _ in law.draw(r) }
        case let .bernoulli(d):
            let p = d.p
            return clampedValues(out, vectorLogs: vectorLogs) { _ in gsl_rng_uniform(r) < p ? 1 : 0 }
        case let .mixture(d):
            // One uniform picks the component, then the component draws.
            return clampedValues(out, vectorLogs: vectorLogs) { _ in d.component(gsl_rng_uniform(r)).draw(r) }
        default:
            // A law without a fast path of its own (the metalog): its quantile at uniforms.
            let d = distribution
            stream.fillUniforms(out)
            return clampedValues(out, vectorLogs: vectorLogs) { d.quantile(out[$0]) }
        }
    }

    /// Fills `out` from standard normal scores z (Gaussian copula): x = F^-1(Phi(z)).
    func fill(_ out: UnsafeMutableBufferPointer<Double>, fromNormalScores z: UnsafeBufferPointer<Double>) -> Int {
        switch distribution {
        case let .logNormal(d):
            let mu = d.mu
            let sigma = d.sigma
            return clampedLogs(out) { mu + sigma * z[$0] }
        case let .normal(d):
            let t = d.truncated
            return clampedValues(out) { t.isTruncated ? t.quantile(gsl_cdf_ugaussian_P(z[$0])) : t.mean + t.sd * z[$0] }
        case let .fixed(d):
            return fillFixed(out, value: d.value)
        case let .logUniform(d):
            return clampedLogs(out) { d.logQuantile(gsl_cdf_ugaussian_P(z[$0])) }
        default:  // every other law, through its quantile
            let d = distribution
            return clampedValues(out) { d.quantile(normalScore: z[$0]) }
        }
    }

    /// Fills `out` from uniforms u in (0,1) (quasi-random points): x = F^-1(u).
    func fill(_ out: UnsafeMutableBufferPointer<Double>, fromUniforms u: UnsafeBufferPointer<Double>) -> Int {
        switch distribution {
        case let .logNormal(d):
            let mu = d.mu
            let sigma = d.sigma
            return clampedLogs(out) { mu + sigma * gsl_cdf_ugaussian_Pinv(u[$0]) }
        case let .normal(d):
            let t = d.truncated
            return clampedValues(out) { t.quantile(u[$0]) }
        case let .fixed(d):
            return fillFixed(out, value: d.value)
        case let .logUniform(d):
            return clampedLogs(out) { d.logQuantile(u[$0]) }
        default:  // every other law, through its quantile
            let d = distribution
            return clampedValues(out) { d.quantile(u[$0]) }
        }
    }

    /// out[i] = max(draw(i), log floor), for draws made in logs; returns how many were raised.
    @inline(__always)
    private func clampedLogs(_ out: UnsafeMutableBufferPointer<Double>, _ draw: (Int) -> Double) -> Int {
        var raised = 0
        let lf = hasFloor ? logFloor : -.infinity
        for i in out.indices {
            var l = draw(i)
            if l < lf {
                l = lf
                raised &+= 1
            }
            out[i] = l
        }
        return raised
    }

    /// out[i] = log(max(draw(i), floor)), for draws made as values; returns how many were raised.
    /// A column that holds values gets draw(i) itself (such a factor has no floor).
    ///
    /// The logs are taken in a pass of their own, where they overlap (a draw between two logs
    /// would wait for each). `vectorLogs` (Philox runs) takes them with `effsim_philox_logs`;
    /// the GSL generators keep libm's, so that their output stays byte-identical.
    @inline(__always)
    private func clampedValues(
        _ out: UnsafeMutableBufferPointer<Double>, vectorLogs: Bool = false, _ draw: (Int) -> Double
    ) -> Int {
        for i in out.indices { out[i] = draw(i) }
        return clampValues(out, vectorLogs: vectorLogs)
    }

    /// ``clampedValues(_:vectorLogs:_:)`` for values already in `out`.
    @inline(__always)
    private func clampValues(_ out: UnsafeMutableBufferPointer<Double>, vectorLogs: Bool) -> Int {
        if holdsValues { return 0 }
        var raised = 0
        let f = floor
        for i in out.indices where out[i] < f {
            out[i] = f
            raised &+= 1
        }
        // The vector log takes normal doubles only; a block holding a subnormal takes libm's.
        if vectorLogs, f >= .leastNormalMagnitude || !out.contains(where: { $0 < .leastNormalMagnitude }) {
            effsim_philox_logs(out.baseAddress, out.count)
        } else {
            for i in out.indices { out[i] = log(out[i]) }
        }
        return hasFloor ? raised : 0
    }

    /// A fixed factor's column: its value where the column holds values (a fixed 0 without a
    /// floor, whose log would be -infinity), else its log, raised to the floor when below it.
    private func fillFixed(_ out: UnsafeMutableBufferPointer<Double>, value: Double) -> Int {
        if holdsValues {
            out.update(repeating: value)
            return 0
        }
        let l = log(value)
        let raisedAll = hasFloor && l < logFloor
        out.update(repeating: raisedAll ? logFloor : l)
        return raisedAll ? out.count : 0
    }
}
