import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// A chunk's moments in a sensitivity shard's state (``SensitivityState``). JSON has no
/// infinity: a factor's extremes before any value (a fixed factor's stay so) are written as null.
/// Doubles are written in their shortest exact form, so a merge folds the same bits.
extension SensitivityMoments: Codable {
    enum CodingKeys: String, CodingKey {
        case factorBins, factorMin, factorMax, pairBins, outputs, nonPositive
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        factorBins = try c.decode([[SampleMoments]].self, forKey: .factorBins)
        factorMin = try c.decode([Double?].self, forKey: .factorMin).map { $0 ?? .infinity }
        factorMax = try c.decode([Double?].self, forKey: .factorMax).map { $0 ?? -.infinity }
        pairBins = try c.decode([[[SampleMoments]]].self, forKey: .pairBins)
        outputs = try c.decode([[SampleMoments]].self, forKey: .outputs)
        nonPositive = try c.decode([Bool].self, forKey: .nonPositive)
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(factorBins, forKey: .factorBins)
        try c.encode(factorMin.map { $0.isFinite ? $0 : nil }, forKey: .factorMin)
        try c.encode(factorMax.map { $0.isFinite ? $0 : nil }, forKey: .factorMax)
        try c.encode(pairBins, forKey: .pairBins)
        try c.encode(outputs, forKey: .outputs)
        try c.encode(nonPositive, forKey: .nonPositive)
    }

    /// Whether these moments have the shape `plan` gives (bins, pairs, scales) and count `trials`
    /// draws in every factor's bins and every output's scale.
    func fits(_ plan: SensitivityPlan, trials: Int) -> Bool {
        let fresh = SensitivityMoments(plan)
        let shapes =
            factorBins.map(\.count) == fresh.factorBins.map(\.count)
            && pairBins.map { $0.map(\.count) } == fresh.pairBins.map { $0.map(\.count) }
            && outputs.map(\.count) == fresh.outputs.map(\.count)
            && factorMin.count == fresh.factorMin.count && factorMax.count == fresh.factorMax.count
            && nonPositive.count == fresh.nonPositive.count
        guard shapes else { return false }
        let factorsCount = zip(factorBins, plan.factorBins).allSatisfy { bins, cut in
            cut == nil || bins.reduce(0) { $0 + $1.count } == trials
        }
        let all: [SampleMoments] =
            Array(factorBins.joined()) + Array(pairBins.joined().joined()) + Array(outputs.joined())
        let finite = all.allSatisfy { $0.count >= 0 && $0.mean.isFinite && $0.m2.isFinite && $0.m2 >= 0 }
        return factorsCount && finite && outputs.joined().allSatisfy { $0.count == trials }
    }
}
