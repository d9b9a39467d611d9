import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// The moments the variance shares are computed from, for a chunk or for the chunks merged so
/// far: per factor and bin the count and moments of its column L, per pair and bin those of
/// R = Y - c L, and per output those of Y. Outputs held as values have two scales (index 0:
/// log Y, 1: Y), the others one (log Y); the log scale of an output that took a value <= 0 is
/// not used.
///
/// Merged in chunk order only (floating-point sums), so the result is the same for any number
/// of threads.
struct SensitivityMoments: Sendable {
    var factorBins: [[SampleMoments]]
    var factorMin: [Double]
    var factorMax: [Double]
    /// [pair][scale][bin].
    var pairBins: [[[SampleMoments]]]
    /// [output][scale].
    var outputs: [[SampleMoments]]
    /// Outputs that took a value <= 0 (only outputs held as values can).
    var nonPositive: [Bool]

    /// Empty moments for `plan`.
    init(_ plan: SensitivityPlan) {
        let k = plan.bins
        let scales = plan.scenario.outputs.indices.map { plan.scaleCount(output: $0) }
        factorBins = plan.scenario.factors.map { _ in Array(repeating: SampleMoments(), count: k) }
        factorMin = plan.scenario.factors.map { _ in .infinity }
        factorMax = plan.scenario.factors.map { _ in -.infinity }
        pairBins = plan.pairs.map {
            Array(repeating: Array(repeating: SampleMoments(), count: k), count: scales[$0.output])
        }
        outputs = scales.map { Array(repeating: SampleMoments(), count: $0) }
        nonPositive = scales.map { _ in false }
    }

    /// Adds the moments of the chunks that follow.
    mutating func merge(_ other: SensitivityMoments) {
        func merge(_ a: inout [SampleMoments], _ b: [SampleMoments]) {
            for i in a.indices { a[i].merge(b[i]) }
        }
        for f in factorBins.indices {
            merge(&factorBins[f], other.factorBins[f])
            factorMin[f] = Swift.min(factorMin[f], other.factorMin[f])
            factorMax[f] = Swift.max(factorMax[f], other.factorMax[f])
        }
        for p in pairBins.indices {
            for s in pairBins[p].indices { merge(&pairBins[p][s], other.pairBins[p][s]) }
        }
        for o in outputs.indices {
            merge(&outputs[o], other.outputs[o])
            nonPositive[o] = nonPositive[o] || other.nonPositive[o]
        }
    }

    /// Var(E[Y | L]) / Var(Y) of pair p on scale s, the ANOVA estimate described on `Sensitivity`,
    /// in [0, 1]. With Y = c L + R and bin means m_b of R, the main effect c L + m_b has
    /// sum of squares sum_b (c^2 M2(L)_b + n_b (c mean(L)_b + m_b - mean)^2); the within-bin
    /// variance of R is sum_b M2(R)_b / (n - bins), of which (bins - 1) / n is noise in the bin means.
    func share(pair p: Int, _ pair: SensitivityPlan.Pair, scale s: Int) -> Double {
        let total = outputs[pair.output][s]
        let n = total.count
        let f = pair.factor
        // A constant factor (fixed, or always at its floor) explains nothing, exactly.
        guard n > 1, total.variance > 0, factorMin[f] < factorMax[f] else { return 0 }
        let c = pair.coefficient
        let lBins = factorBins[f]
        let rBins = pairBins[p][s]
        var bins = 0
        var within = 0.0
        var sum = 0.0
        for b in lBins.indices where lBins[b].count > 0 {
            bins += 1
            within += rBins[b].m2
            sum += Double(lBins[b].count) * (c * lBins[b].mean + rBins[b].mean)
        }
        let mean = sum / Double(n)
        var squares = 0.0
        for b in lBins.indices where lBins[b].count > 0 {
            let d = c * lBins[b].mean + rBins[b].mean - mean
            squares += c * c * lBins[b].m2 + Double(lBins[b].count) * d * d
        }
        let withinVariance = n > bins ? within / Double(n - bins) : 0
        let noise = Double(bins - 1) / Double(n) * withinVariance
        return Swift.min(1, Swift.max(0, (squares / Double(n - 1) - noise) / total.variance))
    }
}

/// One chunk's shifted sums, turned into `SensitivityMoments` when the chunk is done.
struct ChunkSums {
    var trials = 0
    var counts: [[Int]]
    var factors: [BinnedSums]
    var factorMin: [Double]
    var factorMax: [Double]
    var pairs: [[BinnedSums]]
    var outputs: [[BinnedSums]]
    var nonPositive: [Bool]

    init(_ plan: SensitivityPlan) {
        let k = plan.bins
        let scales = plan.scenario.outputs.indices.map { plan.scaleCount(output: $0) }
        counts = plan.scenario.factors.map { _ in Array(repeating: 0, count: k) }
        factors = plan.scenario.factors.map { _ in BinnedSums(bins: k) }
        factorMin = plan.scenario.factors.map { _ in .infinity }
        factorMax = plan.scenario.factors.map { _ in -.infinity }
        pairs = plan.pairs.map { Array(repeating: BinnedSums(bins: k), count: scales[$0.output]) }
        outputs = scales.map { Array(repeating: BinnedSums(bins: 1), count: $0) }
        nonPositive = scales.map { _ in false }
    }

    /// The chunk's moments.
    func moments(_ plan: SensitivityPlan) -> SensitivityMoments {
        var m = SensitivityMoments(plan)
        m.factorBins = factors.indices.map { factors[$0].moments(counts: counts[$0]) }
        m.factorMin = factorMin
        m.factorMax = factorMax
        m.pairBins = pairs.indices.map { p in pairs[p].map { $0.moments(counts: counts[plan.pairs[p].factor]) } }
        m.outputs = outputs.map { $0.map { $0.moments(counts: [trials])[0] } }
        m.nonPositive = nonPositive
        return m
    }
}
