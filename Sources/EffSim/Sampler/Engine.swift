import CGSL
import Dispatch
import Foundation
import Synchronization

/// How the uniform randomness behind the draws is produced (`--sampler`).
public enum SamplerKind: String, CaseIterable, Sendable, Codable {
    /// Independent pseudo-random draws from the chosen GSL generator.
    case pseudo
    /// GSL's Sobol sequence (at most 40 non-fixed factors), randomly shifted per seed.
    case sobol
    /// GSL's Halton sequence, randomly shifted per seed.
    case halton

    /// The largest number of dimensions (non-fixed factors) GSL offers for this sequence.
    public var maximumDimension: Int {
        switch self {
        case .pseudo: return .max
        case .sobol: return 40
        case .halton: return 1229
        }
    }

    /// The most points the sequence yields before GSL's generator breaks down: Sobol's 30-bit
    /// counter fails (GSL_EFAILED, leaving the last point in place) at point 2^30 - 1; Halton's
    /// radical inverse takes a signed 32-bit count and returns 0 from count 2^31 on.
    public var maximumTrials: Int {
        switch self {
        case .pseudo: return .max
        case .sobol: return (1 << 30) - 1
        case .halton: return (1 << 31) - 1
        }
    }
}

public struct RunOptions: Sendable {
    public var threads: Int
    public var generator: RandomGenerator
    public var sampler: SamplerKind
    public var shard: Shard
    /// Called from worker threads with (chunks done, chunks in this shard) after each chunk.
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount, generator: RandomGenerator = .taus2,
                sampler: SamplerKind = .pseudo, shard: Shard = .whole, progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.threads = threads
        self.generator = generator
        self.sampler = sampler
        self.shard = shard
        self.progress = progress
    }
}

/// A run setting the scenario cannot be sampled with (checked before any sampling).
public struct EngineError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Samples a scenario: splits the trials into fixed chunks, runs them on worker threads and
/// merges the per-worker statistics.
///
/// Chunk c always covers trials [c * chunkSize, (c + 1) * chunkSize) and always draws from a
/// stream seeded by (seed, c) alone, so the result does not depend on the number of threads,
/// on which thread ran which chunk, or on how the chunks were split into shards.
public enum Engine {
    public static let chunkSize = 1 << 16
    /// Trials processed together through the column buffers (fits in L2 cache).
    static let blockSize = 2048

    public static func chunkCount(trials: Int) -> Int { (trials + chunkSize - 1) / chunkSize }

    /// Refuses option combinations the scenario cannot be sampled with.
    public static func check(_ scenario: Scenario, _ options: RunOptions) throws {
        let dims = scenario.factors.filter { if case .fixed = $0.distribution { return false } else { return true } }.count
        if dims > options.sampler.maximumDimension {
            throw EngineError(description: "the \(options.sampler.rawValue) sampler handles at most \(options.sampler.maximumDimension) non-fixed factors; this scenario has \(dims)")
        }
        if scenario.trials > options.sampler.maximumTrials {
            throw EngineError(description: "the \(options.sampler.rawValue) sampler yields at most \(options.sampler.maximumTrials) points; this run asks for \(scenario.trials) trials (use --sampler pseudo, or shards of a pseudo-random run)")
        }
        if options.threads < 1 { throw EngineError(description: "--threads must be at least 1") }
        if options.shard.count < 1 || options.shard.index < 1 || options.shard.index > options.shard.count {
            throw EngineError(description: "a shard is K/N with 1 <= K <= N")
        }
        // Every shard needs a chunk: an empty shard has nothing to merge (and this bounds N).
        let chunks = chunkCount(trials: scenario.trials)
        if options.shard.count > chunks {
            throw EngineError(description: "\(scenario.trials) trials make \(chunks) chunk(s) of \(chunkSize); a run splits into at most that many shards, not \(options.shard.count)")
        }
    }

    /// Nanoseconds per trial and metric on one thread, rounded up from `make bench` on the
    /// development machine (13 million seed-2024 trials a second, 9 metrics: 8.4 ns).
    static let nanosecondsPerTrialMetric = 10.0

    /// A rough wall-time estimate of a run (its shard), for a warning before long runs; never
    /// used for anything that decides a result.
    public static func estimatedSeconds(_ scenario: Scenario, options: RunOptions) -> Double {
        let trials = Double(options.shard.trials(ofRun: scenario.trials))
        let metrics = Double(MetricLayout(scenario).metricCount)
        let threads = Double(max(1, min(options.threads, ProcessInfo.processInfo.activeProcessorCount)))
        return trials * metrics * nanosecondsPerTrialMetric * 1e-9 / threads
    }

    public static func run(_ scenario: Scenario, options: RunOptions = RunOptions()) throws -> RunState {
        try check(scenario, options)
        GSL.configure()
        let layout = MetricLayout(scenario)
        let levels = layout.levels
        let chunks = (0..<chunkCount(trials: scenario.trials)).filter { options.shard.owns(chunk: $0) }
        let threads = max(1, min(options.threads, chunks.count))
        let plan = ChunkPlan(scenario: scenario, options: options, levels: levels)

        // Pseudo-random chunks are handed out one at a time (good balance); quasi-random workers
        // take contiguous runs of chunks, since a sequence is cheap to walk forward only.
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let results = Mutex<[[MetricState]]>([])
        let progress = options.progress
        let total = chunks.count
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            let sampler = plan.makeWorker()
            if options.sampler == .pseudo {
                while true {
                    let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard i < total else { break }
                    sampler.sample(chunk: chunks[i])
                    let d = done.wrappingAdd(1, ordering: .relaxed).newValue
                    progress?(d, total)
                }
            } else {
                let range = (total * worker / threads)..<(total * (worker + 1) / threads)
                for i in range {
                    sampler.sample(chunk: chunks[i])
                    let d = done.wrappingAdd(1, ordering: .relaxed).newValue
                    progress?(d, total)
                }
            }
            let states = sampler.flushedStates()
            results.withLock { $0.append(states) }
        }
        var metrics = levels.map { MetricState(levels: $0) }
        for part in results.withLock({ $0 }) {
            for i in metrics.indices { metrics[i].merge(part[i]) }
        }
        for i in metrics.indices { metrics[i].histogram = metrics[i].histogram.trimmed() }
        return RunState(scenario: scenario, generator: options.generator, sampler: options.sampler,
                        shards: [options.shard], metrics: metrics)
    }

    /// Every trial's clamped factor logs and output logs, in trial order: the same draws the
    /// streaming run summarises. For tests and for analyses that need the joint samples
    /// (sensitivity); memory grows with trials, so keep trials moderate.
    public static func samples(_ scenario: Scenario, generator: RandomGenerator = .taus2,
                               sampler kind: SamplerKind = .pseudo) throws -> [[Double]] {
        try check(scenario, RunOptions(threads: 1, generator: generator, sampler: kind))
        GSL.configure()
        let layout = MetricLayout(scenario)
        let plan = ChunkPlan(scenario: scenario, options: RunOptions(threads: 1, generator: generator, sampler: kind), levels: layout.levels)
        let worker = plan.makeWorker()
        var columns = Array(repeating: [Double](), count: layout.metricCount)
        for c in 0..<chunkCount(trials: scenario.trials) {
            worker.sample(chunk: c) { m, block in columns[m].append(contentsOf: block) }
        }
        return columns
    }
}

/// What every worker needs to sample a chunk; shared read-only.
struct ChunkPlan: Sendable {
    let scenario: Scenario
    let options: RunOptions
    let levels: [ThresholdLevels]

    func makeWorker() -> ChunkSampler { ChunkSampler(plan: self) }
}

/// One worker's sampler: its own generator, column buffers and statistics. A class, not
/// Sendable: it frees its buffers when dropped, and the compiler keeps it on one thread.
final class ChunkSampler {
    let plan: ChunkPlan
    let factors: [FactorSampler]
    let outputs: [[Int]]
    let stream: RandomStream
    let copula: CorrelationMatrix?
    let quasi: QuasiRandomPoints?
    var states: [MetricState]
    /// Column-major buffers: metric m's block lives at [m * blockSize, (m + 1) * blockSize).
    let buffer: UnsafeMutableBufferPointer<Double>
    /// Scratch for copula scores or quasi-random uniforms, one column per factor.
    let scratch: UnsafeMutableBufferPointer<Double>
    var raised: [Int]

    init(plan: ChunkPlan) {
        self.plan = plan
        let s = plan.scenario
        factors = s.factors.map(FactorSampler.init)
        outputs = s.outputs.map(\.factorIndices)
        stream = RandomStream(plan.options.generator)
        copula = s.correlations.isEmpty ? nil : CorrelationMatrix(scenario: s)
        quasi = plan.options.sampler == .pseudo ? nil
            : QuasiRandomPoints(plan.options.sampler, dimensions: factors.filter { !$0.isFixed }.count,
                                shiftSeed: StreamSeeds.auxiliarySeed(runSeed: s.seed, purpose: 1), generator: plan.options.generator)
        states = plan.levels.map { MetricState(levels: $0) }
        buffer = .allocate(capacity: (factors.count + outputs.count) * Engine.blockSize)
        buffer.initialize(repeating: 0)
        scratch = .allocate(capacity: factors.count * Engine.blockSize)
        scratch.initialize(repeating: 0)
        raised = Array(repeating: 0, count: factors.count)
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

    func sample(chunk c: Int) {
        sample(chunk: c, observe: nil)
    }

    /// Samples chunk c into the statistics; `observe` (tests, sensitivity) also sees every block.
    func sample(chunk c: Int, observe: ((Int, UnsafeBufferPointer<Double>) -> Void)?) {
        let trials = plan.scenario.trials
        let start = c * Engine.chunkSize
        let end = min(start + Engine.chunkSize, trials)
        stream.reseed(StreamSeeds.chunkSeed(runSeed: plan.scenario.seed, chunk: c))
        quasi?.seek(to: start)
        var blockStart = start
        while blockStart < end {
            let n = min(Engine.blockSize, end - blockStart)
            sampleBlock(n, observe: observe)
            blockStart += n
        }
    }

    private func sampleBlock(_ n: Int, observe: ((Int, UnsafeBufferPointer<Double>) -> Void)?) {
        let b = Engine.blockSize
        let f = factors.count
        let buf = buffer, scr = scratch
        func column(_ m: Int) -> UnsafeMutableBufferPointer<Double> {
            UnsafeMutableBufferPointer(rebasing: buf[(m * b)..<(m * b + n)])
        }
        func scratchColumn(_ m: Int) -> UnsafeMutableBufferPointer<Double> {
            UnsafeMutableBufferPointer(rebasing: scr[(m * b)..<(m * b + n)])
        }
        for k in 0..<f { raised[k] = 0 }
        do {
            do {
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
                        raised[k] = inCopula
                            ? factors[k].fill(column(k), fromNormalScores: UnsafeBufferPointer(scratchColumn(k)))
                            : factors[k].fill(column(k), fromUniforms: UnsafeBufferPointer(scratchColumn(k)))
                    }
                } else {
                    for k in 0..<f {
                        if let copula, copula.factors.contains(k) {
                            let z = scratchColumn(k)
                            for i in 0..<n { z[i] = stream.standardNormal() }
                        } else {
                            raised[k] = factors[k].fill(column(k), stream: stream)
                        }
                    }
                    if let copula {
                        mix(copula, scratchColumn)
                        for k in copula.factors {
                            raised[k] = factors[k].fill(column(k), fromNormalScores: UnsafeBufferPointer(scratchColumn(k)))
                        }
                    }
                }
                for (o, indices) in outputs.enumerated() {
                    let out = column(f + o)
                    out.update(repeating: 0)
                    for k in indices {
                        let col = column(k)
                        for i in 0..<n { out[i] += col[i] }
                    }
                }
                for m in states.indices {
                    let col = UnsafeBufferPointer(column(m))
                    states[m].add(logs: col, levels: plan.levels[m])
                    if m < f { states[m].floorCount &+= raised[m] }
                    observe?(m, col)
                }
            }
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
