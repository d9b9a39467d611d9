import Dispatch
import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation
import Synchronization

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
    public init(
        factor: String, output: String, varianceShare: Double, medianAtP10: Double, medianAtP90: Double,
        scale: SensitivityScale = .log
    ) {
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

/// Which factor drives the answer: first-order variance shares and tornado swings, computed in
/// one streaming pass over a run's draws (the same draws `Engine.run` summarises), without
/// keeping them: memory does not grow with the trial count.
///
/// log(output) Y is the sum of its clamped factor logs L_j, so for factor i
/// E[Y | L_i] = L_i + E[R | L_i] with R = Y - L_i, the other factors' sum. The first term is
/// exact; the second is estimated by the mean of R within K equal-probability bins of L_i, found
/// from the factor's closed-form quantiles (bin k holds F(x) in [k/K, (k+1)/K), K = trials / 500
/// up to `maximumBins`; a floor's atom, at F(floor), falls in one bin). For independent factors
/// E[R | L_i] is constant and the share is Var(L_i) / Var(Y) up to Monte Carlo error — for
/// unclamped lognormals sigma_i^2 / sum sigma_j^2. With correlated factors it is still the
/// first-order (Sobol main effect) index, and the shares of an output can sum to more than 1. The
/// spread of the bin means includes sampling noise of about (bins - 1) / n times the within-bin
/// variance of R; that expected amount is subtracted (the ANOVA estimator of a between-group
/// variance). Each bin keeps counts and moments of L and R (merged pairwise, in chunk order).
///
/// An expression output whose log is sum c_j L_j + constant splits off c_i L_i the same way; other
/// expressions (and products with a factor that can be <= 0) split off nothing (c = 0): the bin
/// means of log Y itself, or of Y when Y took a value <= 0 (scale `value`).
///
/// The tornado swing pins factor i at its closed-form p10 and p90 (clamped at its floor) and lets
/// the others keep their sampled draws: exp(median(R) + c log(pinned value)) when log Y is a sum
/// of factor logs, else the median of the output recomputed with the factor pinned. Medians come
/// from `MetricState` histograms (within 5.62e-5 relative, type 7 between the two order
/// statistics). With correlations the others are not conditioned on the pinned value (their
/// joint draws are used as sampled).
public enum Sensitivity {
    /// Trials when neither the command line nor a smaller scenario says otherwise: shares within
    /// about 0.01 in a few seconds.
    public static let defaultTrials = 200_000
    /// The most trials the command accepts: as many as a run (memory does not grow with them).
    public static let maximumTrials = Scenario.maximumTrials

    /// The default ceiling on `memoryEstimate` (`effsim sensitivity --memory-limit` raises it).
    public static let defaultMemoryLimit = 2 << 30

    /// Bytes a fine histogram takes in the estimate: 8 decades of 20,480 bins at 12 bytes (the
    /// 32-bit counters and the 64-bit pages), what a product of a few factors spans.
    public static let histogramBytes = 8 * LogHistogram.binsPerDecade * 12

    /// Bytes the analysis holds, roughly, whatever the trial count: per worker thread a fine
    /// histogram for each metric (the sampler's) and each tornado median (one per factor and
    /// output, two when the output is recomputed with the factor pinned). Sums per bin are small.
    public static func memoryEstimate(_ scenario: Scenario, threads: Int) -> Int {
        let histograms = histogramCount(scenario)
        let (perWorker, overflow) = histograms.multipliedReportingOverflow(by: histogramBytes)
        let (total, overflow2) = perWorker.multipliedReportingOverflow(by: Swift.max(1, threads))
        return overflow || overflow2 ? .max : total
    }

    /// The fine histograms a worker holds: one per metric and one or two per factor and output.
    public static func histogramCount(_ scenario: Scenario) -> Int {
        MetricLayout(scenario).metricCount + SensitivityPlan(scenario).medianHistogramCount
    }

    /// At most this many bins of a factor.
    public static let maximumBins = 100
    /// At least this many draws a bin (fewer bins below 50,000 trials).
    public static let minimumBinDraws = 500

    /// Samples the scenario chunk by chunk on `threads` workers (as `Engine.run` does; an
    /// `OutputValueError` stops it) and returns its rows: per output (scenario order), per factor
    /// of that output (scenario order). The rows are the same for any number of threads.
    public static func analyse(
        _ scenario: Scenario, generator: RandomGenerator = .taus2,
        sampler: SamplerKind = .pseudo,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) throws -> [SensitivityRow] {
        let options = RunOptions(threads: threads, generator: generator, sampler: sampler)
        let part = try sample(scenario, options: options)
        var moments = SensitivityMoments(part.plan)
        for c in part.chunks.keys.sorted() { moments.merge(part.chunks[c]!) }
        return rows(part.plan, moments, histograms: part.medians, nonFinite: part.nonFinite)
    }

    /// Samples the chunks of `options.shard` on `options.threads` workers: each chunk's moments
    /// (kept apart when `keepsChunks`, for a shard's state, else folded into chunk 0 as they come,
    /// in chunk order) and the merged median histograms.
    static func sample(_ scenario: Scenario, options: RunOptions, keepsChunks: Bool = false) throws
        -> (plan: SensitivityPlan, chunks: [Int: SensitivityMoments], medians: [MetricState], nonFinite: [Bool])
    {
        try Engine.check(scenario, options)
        GSL.configure()
        let plan = SensitivityPlan(scenario)
        let levels = MetricLayout(scenario).levels
        // The workers read the columns as they pass (`observe`); the sampler's own statistics
        // would go unread, so it keeps none.
        let chunkPlan = ChunkPlan(
            scenario: scenario, options: options, levels: levels, keeps: levels.map { _ in false })
        let total = Engine.chunkCount(trials: scenario.trials)
        let owned = (0..<total).filter { options.shard.owns(chunk: $0) }
        let workers = Swift.max(1, Swift.min(options.threads, owned.count))
        // Chunks are handed out in order, one at a time. A whole run merges their moments in
        // chunk order as soon as every earlier chunk is in, so few wait and the sums do not
        // depend on threads; a shard keeps each chunk's, for the merge to fold in that order.
        struct Fold {
            var next = 0
            var waiting: [Int: SensitivityMoments] = [:]
            var moments: SensitivityMoments
        }
        let fold = Mutex(Fold(moments: SensitivityMoments(plan)))
        let medians = Mutex<[([MetricState], [Bool])]>([])
        try Engine.distribute(
            owned, threads: workers, contiguous: false,
            makeWorker: { SensitivityWorker(plan: plan, chunkPlan: chunkPlan) },
            sample: { worker, c in
                let part = worker.sample(chunk: c)
                if let failure = worker.failure { return failure }
                fold.withLock { f in
                    f.waiting[c] = part
                    while !keepsChunks, let m = f.waiting.removeValue(forKey: f.next) {
                        f.moments.merge(m)
                        f.next += 1
                    }
                }
                return nil
            },
            finish: { worker in
                let states = worker.flushedMedians()
                medians.withLock { $0.append((states, worker.nonFinite)) }
            })
        var histograms = Array(
            repeating: MetricState(levels: SensitivityWorker.noLevels), count: plan.medianHistogramCount)
        var nonFinite = Array(repeating: false, count: histograms.count)
        for (states, flags) in medians.withLock({ $0 }) {
            for h in histograms.indices {
                histograms[h].merge(states[h])
                nonFinite[h] = nonFinite[h] || flags[h]
            }
        }
        let chunks = fold.withLock { keepsChunks ? $0.waiting : [0: $0.moments] }
        return (plan, chunks, histograms, nonFinite)
    }

    /// The rows from the merged moments and median histograms.
    static func rows(
        _ plan: SensitivityPlan, _ moments: SensitivityMoments, histograms: [MetricState], nonFinite: [Bool]
    ) -> [SensitivityRow] {
        let s = plan.scenario
        var h = 0
        return plan.pairs.enumerated().map { p, pair in
            // The value scale when the output took a value <= 0, else the log scale.
            let valueScale = moments.nonPositive[pair.output]
            let medians: [Double]
            if pair.fromRest {
                let rest = medianLog(histograms[h])
                medians = plan.pins[pair.factor].map { exp(rest + pair.coefficient * log($0)) }
                h += 1
            } else {
                medians = (0..<2).map { j in nonFinite[h + j] ? .nan : median(histograms[h + j]) }
                h += 2
            }
            return SensitivityRow(
                factor: s.factors[pair.factor].id, output: s.outputs[pair.output].id,
                varianceShare: moments.share(pair: p, pair, scale: valueScale ? 1 : 0),
                medianAtP10: medians[0], medianAtP90: medians[1], scale: valueScale ? .value : .log)
        }
    }

    /// The type 7 median of the logs a state was given (as `add(logs:)`).
    static func medianLog(_ state: MetricState) -> Double {
        let r = Quantile.type7Ranks(p: 0.5, n: state.count)
        let l = state.orderStatisticLogs(ranks: [r.lower, r.upper])
        return l[0] + r.fraction * (l[1] - l[0])
    }

    /// The type 7 median of the values a state was given (any sign).
    static func median(_ state: MetricState) -> Double {
        let r = Quantile.type7Ranks(p: 0.5, n: state.count)
        let v = state.orderStatistics(ranks: [r.lower, r.upper])
        return v[0] + r.fraction * (v[1] - v[0])
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
}
