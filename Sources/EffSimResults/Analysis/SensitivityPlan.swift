import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// What the sensitivity analysis accumulates, decided once per run from the scenario alone: the
/// factors' bins, the (output, factor) pairs and how each pair's tornado is found.
struct SensitivityPlan: Sendable {
    let scenario: Scenario
    /// K, the bins of every factor: n / 500 (at least 500 draws a bin), at most `Sensitivity.maximumBins`.
    let bins: Int
    /// Metrics whose columns hold values, the others natural logs (`OutputPlan.plans`).
    let holdsValues: [Bool]
    /// Per factor, its equal-probability bins in column units (cut at the log of the k/K quantile,
    /// or at the quantile itself for a factor held as values); nil for a fixed factor, which
    /// explains nothing.
    let factorBins: [FactorBins?]
    /// Per factor, the values the tornado pins it at: its p10 and p90, raised to its floor.
    let pins: [[Double]]
    /// One per row of sensitivity.csv, in its order.
    let pairs: [Pair]

    /// One factor of one output.
    struct Pair: Sendable {
        var output: Int
        var factor: Int
        /// c in R = Y - c L: the factor's coefficient in log Y = sum c_j L_j + constant, 0 when
        /// the output is not such a sum (nothing is split off).
        var coefficient: Double
        /// Whether the tornado comes from median(R) + c log(pin) (an output whose log is a sum
        /// of factor logs) rather than from the output recomputed with the factor pinned.
        var fromRest: Bool
    }

    init(_ scenario: Scenario) {
        self.scenario = scenario
        let k = Swift.max(1, Swift.min(Sensitivity.maximumBins, scenario.trials / Sensitivity.minimumBinDraws))
        bins = k
        holdsValues = OutputPlan.plans(scenario).holdsValues
        let holds = holdsValues
        factorBins = scenario.factors.indices.map { f in
            let factor = scenario.factors[f]
            if factor.distribution.isFixed { return nil }
            return FactorBins(
                edges: (1..<k).map { j in
                    let q = factor.distribution.quantile(Double(j) / Double(k))
                    return holds[f] ? q : q > 0 ? log(q) : -.infinity
                })
        }
        pins = scenario.factors.map { factor in
            [0.1, 0.9].map { p in
                let q = factor.distribution.quantile(p)
                return factor.floor.map { Swift.max($0, q) } ?? q
            }
        }
        let coefficients = Sensitivity.logLinearCoefficients(scenario)
        let f = scenario.factors.count
        // A crossing time is not ranked: its trials that never cross have no value to vary.
        pairs = scenario.outputs.indices.filter { scenario.outputs[$0].crossing == nil }.flatMap { o in
            scenario.outputs[o].factorIndices.map { i in
                let linear = !holds[f + o] && coefficients[o] != nil
                return Pair(output: o, factor: i, coefficient: linear ? coefficients[o]?[i] ?? 0 : 0, fromRest: linear)
            }
        }
    }

    /// The pairs whose tornado is recomputed (two median histograms each), and the others (one).
    var medianHistogramCount: Int { pairs.reduce(0) { $0 + ($1.fromRest ? 1 : 2) } }
}

extension SensitivityPlan {
    /// Output o's scales: log Y, and Y itself when its column holds values (it may take values
    /// <= 0, and only the whole run tells).
    func scaleCount(output o: Int) -> Int { holdsValues[scenario.factors.count + o] ? 2 : 1 }
}
