import CGSL
import Foundation

/// One line of `sensitivity.csv`: how much one factor drives one output.
public struct SensitivityRow: Sendable, Equatable {
    /// The factor's id.
    public var factor: String
    /// The output's id.
    public var output: String
    /// First-order share of Var(log output) explained by the factor: Var(E[log Y | L]) / Var(log Y).
    public var varianceShare: Double
    /// The output's median with this factor pinned at its own p10 (after clamping), the others as sampled.
    public var medianAtP10: Double
    /// The same with the factor pinned at its p90.
    public var medianAtP90: Double
    /// Whose variance `varianceShare` divides: the output's log, or its value.
    public var scale: SensitivityScale

    /// A row from its fields; `scale` defaults to `.log`.
    public init(factor: String, output: String, varianceShare: Double, medianAtP10: Double, medianAtP90: Double,
                scale: SensitivityScale = .log) {
        self.factor = factor
        self.output = output
        self.varianceShare = varianceShare
        self.medianAtP10 = medianAtP10
        self.medianAtP90 = medianAtP90
        self.scale = scale
    }
}

/// The scale of a variance share: `log` (shares of Var(log Y), for outputs that stay positive,
/// which every output does today) or `value` (shares of Var(Y)).
public enum SensitivityScale: String, Sendable, Equatable, CaseIterable {
    /// Shares of Var(log Y).
    case log
    /// Shares of Var(Y), for an output that is not always positive.
    case value
}

/// Which factor drives the answer: first-order variance shares and tornado swings, computed from
/// the joint samples of a run (`Engine.samples`).
///
/// log(output) Y is the sum of its clamped factor logs L_j, so for factor i
/// E[Y | L_i] = L_i + E[R | L_i] with R = Y - L_i, the other factors' sum. The first term is
/// exact; the second is estimated by the mean of R within quantile bins of L_i (ties kept in one
/// bin, so a floor's atom is one bin). For independent factors E[R | L_i] is constant and the
/// share is Var(L_i) / Var(Y) up to Monte Carlo error — for unclamped lognormals
/// sigma_i^2 / sum sigma_j^2. With correlated factors it is still the first-order (Sobol main
/// effect) index, and the shares of an output can sum to more than 1. The spread of the bin means
/// includes sampling noise of about (bins - 1) / n times the within-bin variance of R; that
/// expected amount is subtracted (the ANOVA estimator of a between-group variance).
///
/// The tornado swing pins factor i at its closed-form p10 and p90 (clamped at its floor) and lets
/// the others keep their sampled draws: median(R) + log(pinned value). With correlations the others
/// are not conditioned on the pinned value (their joint draws are used as sampled).
public enum Sensitivity {
    /// Trials when neither the command line nor a smaller scenario says otherwise: the analysis
    /// holds every draw in memory (8 bytes per trial and metric, 16 MB for seed-2024).
    public static let defaultTrials = 200_000
    /// The most trials the command accepts: 80 MB per metric.
    public static let maximumTrials = 10_000_000

    /// The default ceiling on `memoryEstimate` (`effsim sensitivity --memory-limit` raises it).
    public static let defaultMemoryLimit = 2 << 30

    /// Bytes the analysis holds: every metric's draws (8 bytes a trial), plus per trial the
    /// working arrays of one factor-output pair (the rest, its sort, the draw order, the bins).
    public static func memoryEstimate(_ scenario: Scenario) -> Int {
        let metrics = MetricLayout(scenario).metricCount
        let (perTrial, overflow) = (metrics + 4).multipliedReportingOverflow(by: 8)
        let (total, overflow2) = scenario.trials.multipliedReportingOverflow(by: perTrial)
        return overflow || overflow2 ? .max : total
    }

    /// At most this many quantile bins of a factor; at least 500 draws a bin.
    public static let maximumBins = 100

    /// Runs `Engine.samples` on the scenario (which must have positive factors only; else it throws
    /// an `OutputError`) and returns its rows, ordered as `analyse(_:columns:)` orders them.
    public static func analyse(_ scenario: Scenario, generator: RandomGenerator = .taus2,
                               sampler: SamplerKind = .pseudo) throws -> [SensitivityRow] {
        let columns = try Engine.samples(scenario, generator: generator, sampler: sampler)
        return analyse(scenario, columns: columns)
    }

    /// Rows per output (scenario order), then per factor of that output (scenario order).
    public static func analyse(_ scenario: Scenario, columns: [[Double]]) -> [SensitivityRow] {
        let layout = MetricLayout(scenario)
        var rows: [SensitivityRow] = []
        var pinned = PinnedOutputs(scenario, logs: columns)
        let coefficients = logLinearCoefficients(scenario)
        let holdsValues = OutputPlan.plans(scenario).holdsValues
        for (o, output) in scenario.outputs.enumerated() {
            var y = columns[layout.outputMetric(o)]
            let heldAsValues = holdsValues[layout.outputMetric(o)]
            if output.expression != nil || heldAsValues {
                // An output computed on values (an expression, or a product with a factor that
                // can be <= 0): its logs when it stayed positive, else the values themselves
                // (shares of Var(Y), scale `value`). Factor columns that hold values are binned
                // as they are (the bins depend on the order only), without a split-off term.
                var scale = SensitivityScale.log
                if heldAsValues {
                    if y.allSatisfy({ $0 > 0 }) { y = y.map { log($0) } } else { scale = .value }
                }
                // log Y = sum of c_i L_i when the expression is a product of powers (through other
                // outputs too): the share splits off c_i L_i exactly, as for groups. Otherwise it
                // comes from bin means of log Y itself. The tornado recomputes the output.
                for i in output.factorIndices {
                    let factor = scenario.factors[i]
                    func pinnedMedian(_ p: Double) -> Double {
                        let q = factor.distribution.quantile(p)
                        return pinned.median(output: o, factor: i, at: factor.floor.map { Swift.max($0, q) } ?? q)
                    }
                    rows.append(SensitivityRow(factor: factor.id, output: output.id,
                                               varianceShare: firstOrderShare(factor: columns[i], output: y, coefficient: heldAsValues ? 0 : coefficients[o]?[i] ?? 0),
                                               medianAtP10: pinnedMedian(0.1), medianAtP90: pinnedMedian(0.9), scale: scale))
                }
                continue
            }
            for i in output.factorIndices {
                let factor = scenario.factors[i]
                let l = columns[i]
                let rest = zip(y, l).map { $0 - $1 }
                let medianRest = Quantile.type7(sorted: rest.sorted(), p: 0.5)
                func pinned(_ p: Double) -> Double {
                    let q = factor.distribution.quantile(p)
                    return exp(medianRest + log(factor.floor.map { Swift.max($0, q) } ?? q))
                }
                rows.append(SensitivityRow(factor: factor.id, output: output.id,
                                           varianceShare: firstOrderShare(factor: l, output: y),
                                           medianAtP10: pinned(0.1), medianAtP90: pinned(0.9)))
            }
        }
        return rows
    }

    /// Each output's log as a linear combination of factor logs, log Y = sum c_i L_i + constant,
    /// when it is one (groups, and expressions that are products of powers of such outputs and
    /// factors); nil for other expressions.
    static func logLinearCoefficients(_ scenario: Scenario) -> [[Int: Double]?] {
        let f = scenario.factors.count
        var result: [[Int: Double]?] = Array(repeating: nil, count: scenario.outputs.count)
        for o in scenario.outputOrder {
            let output = scenario.outputs[o]
            guard let compiled = output.expression?.compiled else {
                result[o] = Dictionary(uniqueKeysWithValues: output.factorIndices.map { ($0, 1.0) })
                continue
            }
            guard let form = compiled.logForm else { continue }
            var c: [Int: Double] = [:]
            var linear = true
            for term in form.terms {
                if term.slot < f {
                    c[term.slot, default: 0] += term.coefficient
                } else if let inner = result[term.slot - f] {
                    for (k, v) in inner { c[k, default: 0] += term.coefficient * v }
                } else {
                    linear = false
                }
            }
            result[o] = linear ? c : nil
        }
        return result
    }

    /// Var(E[Y | L]) / Var(Y) for Y = c L + R, estimated as described on the type; in [0, 1].
    /// `coefficient` c is 1 for a groups output; with c = 0 nothing is split off and E[Y | L] is
    /// estimated by the bin means of Y itself (an expression output that is not log-linear).
    public static func firstOrderShare(factor l: [Double], output y: [Double], coefficient offset: Double = 1) -> Double {
        let n = l.count
        guard n > 1 else { return 0 }
        let totalVariance = variance(y)
        // A constant factor (fixed, or always at its floor) explains nothing, exactly.
        guard totalVariance > 0, let first = l.first, l.contains(where: { $0 != first }) else { return 0 }
        let order = l.indices.sorted { l[$0] < l[$1] }
        let target = Swift.max(500, n / maximumBins)
        // bin[i] for draw order[i]; a bin closes once it is full and the next value differs.
        var binOf = Array(repeating: 0, count: n)
        var sums: [Double] = [0], counts: [Int] = [0]
        for (position, i) in order.enumerated() {
            if counts[counts.count - 1] >= target, l[i] != l[order[position - 1]] {
                sums.append(0)
                counts.append(0)
            }
            binOf[i] = counts.count - 1
            sums[sums.count - 1] += y[i] - offset * l[i]
            counts[counts.count - 1] += 1
        }
        let binMeans = zip(sums, counts).map { $0 / Double($1) }
        var within = 0.0
        for i in 0..<n {
            let d = y[i] - offset * l[i] - binMeans[binOf[i]]
            within += d * d
        }
        let bins = binMeans.count
        let withinVariance = n > bins ? within / Double(n - bins) : 0
        let main = (0..<n).map { offset * l[$0] + binMeans[binOf[$0]] }
        let noise = Double(bins - 1) / Double(n) * withinVariance
        return Swift.min(1, Swift.max(0, (variance(main) - noise) / totalVariance))
    }

    /// The sample variance (n - 1 denominator), GSL's `gsl_stats_variance`.
    static func variance(_ x: [Double]) -> Double {
        guard x.count > 1 else { return 0 }
        return x.withUnsafeBufferPointer { gsl_stats_variance($0.baseAddress, 1, $0.count) }
    }
}
