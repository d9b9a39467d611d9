import CGSL
import EffSimCore
import EffSimModel
import Foundation

/// What every worker needs to sample a chunk; shared read-only.
package struct ChunkPlan: Sendable {
    let scenario: Scenario
    let options: RunOptions
    let levels: [ThresholdLevels]
    /// keeps[m]: whether metric m's statistics are kept (a sweep keeps its outputs' only).
    let keeps: [Bool]

    package init(scenario: Scenario, options: RunOptions, levels: [ThresholdLevels], keeps: [Bool]) {
        self.scenario = scenario
        self.options = options
        self.levels = levels
        self.keeps = keeps
    }

    package func makeWorker() -> ChunkSampler { ChunkSampler(plan: self) }
}

/// One worker's sampler: its own generator, column buffers and statistics. A class, not
/// Sendable: it frees its buffers when dropped, and the compiler keeps it on one thread.
package final class ChunkSampler {
    let plan: ChunkPlan
    let factors: [FactorSampler]
    let outputs: OutputEvaluator
    let stream: RandomStream
    let copula: CorrelationMatrix?
    let quasi: QuasiRandomPoints?
    var states: [MetricState]
    /// Trials in a batch: `Engine.batchSize`, or fewer blocks for a run that has fewer trials
    /// (a small run should not allocate and clear buffers it never fills).
    let batch: Int
    /// Column-major buffers: metric m's batch lives at [m * batch, (m + 1) * batch).
    let buffer: UnsafeMutableBufferPointer<Double>
    /// Scratch for copula scores or quasi-random uniforms, one column per factor.
    let scratch: UnsafeMutableBufferPointer<Double>
    var raised: [Int]
    /// Metrics whose columns hold values (they can be <= 0), not logs.
    let holdsValues: [Bool]

    init(plan: ChunkPlan) {
        self.plan = plan
        let s = plan.scenario
        factors = s.factors.map(FactorSampler.init)
        let blocks = (s.trials + Engine.blockSize - 1) / Engine.blockSize
        batch = Swift.max(Engine.blockSize, Swift.min(Engine.batchSize, blocks * Engine.blockSize))
        outputs = OutputEvaluator(s, blockSize: batch)
        stream = RandomStream(plan.options.generator)
        copula = s.correlations.isEmpty ? nil : CorrelationMatrix(s.correlations)
        quasi =
            plan.options.sampler == .pseudo
            ? nil
            : QuasiRandomPoints(
                plan.options.sampler, dimensions: factors.filter { !$0.isFixed }.count,
                shiftSeed: StreamSeeds.auxiliarySeed(runSeed: s.seed, purpose: 1), generator: plan.options.generator)
        states = plan.levels.map { MetricState(levels: $0) }
        buffer = .allocate(capacity: (factors.count + s.outputs.count) * batch)
        buffer.initialize(repeating: 0)
        scratch = .allocate(capacity: factors.count * Engine.blockSize)
        scratch.initialize(repeating: 0)
        raised = Array(repeating: 0, count: factors.count)
        holdsValues = outputs.holdsValues
    }

    /// The statistics with every counter moved into its 64-bit histogram.
    func flushedStates() -> [MetricState] {
        for m in states.indices { states[m].flush(levels: plan.levels[m]) }
        return states
    }

    deinit {
        buffer.deallocate()
        scratch.deallocate()
    }

    package func sample(chunk c: Int) {
        sample(chunk: c, observe: nil)
    }

    /// The first chunk of this worker in which an output took a value that is not finite.
    package var failure: OutputValueError? { outputs.failure }

    /// Samples chunk c into the statistics; `observe` (tests, sensitivity) also sees every batch
    /// of each metric's column, in trial order.
    package func sample(chunk c: Int, observe: ((Int, UnsafeBufferPointer<Double>) -> Void)?) {
        let trials = plan.scenario.trials
        let start = c * Engine.chunkSize
        let end = min(start + Engine.chunkSize, trials)
        stream.start(runSeed: plan.scenario.seed, chunk: c)
        quasi?.seek(to: start)
        var batchStart = start
        while batchStart < end {
            let batchEnd = min(batchStart + batch, end)
            var blockStart = batchStart
            while blockStart < batchEnd {
                let n = min(Engine.blockSize, batchEnd - blockStart)
                drawBlock(n, at: blockStart - batchStart)
                blockStart += n
            }
            addBatch(batchEnd - batchStart, firstTrial: batchStart, chunk: c, observe: observe)
            batchStart = batchEnd
        }
    }

    /// Draws the factors of n trials into the batch's columns from position `at`, factor after
    /// factor (the order of draws from the chunk's stream).
    private func drawBlock(_ n: Int, at position: Int) {
        let b = Engine.blockSize
        let stride = batch
        let f = factors.count
        let buf = buffer
        let scr = scratch
        func column(_ m: Int) -> UnsafeMutableBufferPointer<Double> {
            UnsafeMutableBufferPointer(rebasing: buf[(m * stride + position)..<(m * stride + position + n)])
        }
        func scratchColumn(_ m: Int) -> UnsafeMutableBufferPointer<Double> {
            UnsafeMutableBufferPointer(rebasing: scr[(m * b)..<(m * b + n)])
        }
        if let quasi {
            quasi.fill(columns: factors.indices.filter { !factors[$0].isFixed }.map(scratchColumn), count: n)
            if let copula {
                for k in copula.factors {
                    let u = scratchColumn(k)
                    for i in 0..<n { u[i] = gsl_cdf_ugaussian_Pinv(u[i]) }
                }
                mix(copula, scratchColumn)
            }
            for k in 0..<f {
                let inCopula = copula?.factors.contains(k) ?? false
                raised[k] &+=
                    inCopula
                    ? factors[k].fill(column(k), fromNormalScores: UnsafeBufferPointer(scratchColumn(k)))
                    : factors[k].fill(column(k), fromUniforms: UnsafeBufferPointer(scratchColumn(k)))
            }
        } else {
            for k in 0..<f {
                if let copula, copula.factors.contains(k) {
                    stream.fillStandardNormals(scratchColumn(k))
                } else {
                    raised[k] &+= factors[k].fill(column(k), stream: stream)
                }
            }
            if let copula {
                mix(copula, scratchColumn)
                for k in copula.factors {
                    raised[k] &+= factors[k].fill(column(k), fromNormalScores: UnsafeBufferPointer(scratchColumn(k)))
                }
            }
        }
    }

    /// Computes the outputs of the batch's n trials and adds every metric's column to its
    /// statistics, one metric at a time.
    private func addBatch(_ n: Int, firstTrial: Int, chunk: Int, observe: ((Int, UnsafeBufferPointer<Double>) -> Void)?)
    {
        let stride = batch
        outputs.computeOutputs(n, logs: buffer.baseAddress!, firstTrial: firstTrial, chunk: chunk)
        for m in states.indices {
            let col = UnsafeBufferPointer(rebasing: buffer[(m * stride)..<(m * stride + n)])
            if plan.keeps[m] {
                if holdsValues[m] {
                    states[m].add(values: col, levels: plan.levels[m])
                } else {
                    states[m].add(logs: col, levels: plan.levels[m])
                }
                if m < factors.count { states[m].floorCount &+= raised[m] }
            }
            if m < factors.count { raised[m] = 0 }
            observe?(m, col)
        }
    }

    /// Replaces the independent scores of the copula's factors by L z, in place.
    private func mix(_ copula: CorrelationMatrix, _ column: (Int) -> UnsafeMutableBufferPointer<Double>) {
        let members = copula.factors
        let d = members.count
        let cols = members.map(column)
        let n = cols.first?.count ?? 0
        var z = Array(repeating: 0.0, count: d)
        for i in 0..<n {
            for j in 0..<d { z[j] = cols[j][i] }
            for r in 0..<d {
                var s = 0.0
                for k in 0...r { s += copula.cholesky[r * d + k] * z[k] }
                cols[r][i] = s
            }
        }
    }
}
