import Dispatch
import EffSimCore
import EffSimModel
import Foundation
import Synchronization

/// Samples a scenario: splits the trials into fixed chunks, runs them on worker threads and
/// merges the per-worker statistics.
///
/// Chunk c always covers trials [c * chunkSize, (c + 1) * chunkSize) and always draws from a
/// stream seeded by (seed, c) alone, so the result does not depend on the number of threads,
/// on which thread ran which chunk, or on how the chunks were split into shards.
public enum Engine {
    /// Trials in a chunk, 65,536: the unit of random streams, threads and shards.
    public static let chunkSize = 1 << 16
    /// Trials whose factors are drawn together, factor after factor: fixed, since it decides
    /// which draw of a chunk's stream goes to which factor.
    static let blockSize = 2048
    /// Trials whose outputs are computed and binned together: several blocks, so that the
    /// binning of one metric's many values keeps that metric's counters in cache before it moves
    /// to the next metric. Any multiple of `blockSize` gives the same results.
    static let batchSize = 8 * blockSize

    /// Chunks in a run of `trials`: ceil(trials / chunkSize).
    public static func chunkCount(trials: Int) -> Int { (trials + chunkSize - 1) / chunkSize }

    /// Refuses a scenario that breaks a rule (one built or edited in Swift is checked like a
    /// file) and option combinations the scenario cannot be sampled with.
    public static func check(_ scenario: Scenario, _ options: RunOptions) throws {
        try scenario.validate()
        let dims = scenario.factors.filter { !$0.distribution.isFixed }.count
        if dims > options.sampler.maximumDimension {
            throw EngineError(
                description:
                    "the \(options.sampler.rawValue) sampler handles at most \(options.sampler.maximumDimension) non-fixed factors; this scenario has \(dims)"
            )
        }
        if scenario.trials > options.sampler.maximumTrials {
            throw EngineError(
                description:
                    "the \(options.sampler.rawValue) sampler yields at most \(options.sampler.maximumTrials) points; this run asks for \(scenario.trials) trials (use --sampler pseudo, or shards of a pseudo-random run)"
            )
        }
        if options.threads < 1 { throw EngineError(description: "--threads must be at least 1") }
        if options.shard.count < 1 || options.shard.index < 1 || options.shard.index > options.shard.count {
            throw EngineError(description: "a shard is K/N with 1 <= K <= N")
        }
        // Every shard needs a chunk: an empty shard has nothing to merge (and this bounds N).
        let chunks = chunkCount(trials: scenario.trials)
        if options.shard.count > chunks {
            throw EngineError(
                description:
                    "\(scenario.trials) trials make \(chunks) chunk(s) of \(chunkSize); a run splits into at most that many shards, not \(options.shard.count)"
            )
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

    /// Runs `chunks` on `threads` workers, each made by `makeWorker` on its own thread and given
    /// to `finish` when it has no chunk left.
    ///
    /// Chunks go out one at a time, in order (good balance), or, when `contiguous`, as one run of
    /// chunks per worker (a quasi-random sequence is cheap to walk forward only). `sample` returns
    /// the error of a chunk whose outputs failed: that stops the one-at-a-time workers (chunks are
    /// handed out in order, so every chunk before it is still finished and the first failing one
    /// is always found), and the first failing chunk's error is thrown once every worker is done.
    /// `cancelled`, polled before each chunk, stops every worker; the caller decides what a
    /// cancelled run returns.
    package static func distribute<Worker>(
        _ chunks: [Int], threads: Int, contiguous: Bool,
        cancelled: (@Sendable () -> Bool)? = nil,
        makeWorker: @Sendable () -> Worker,
        sample: @Sendable (Worker, Int) -> OutputValueError?,
        finish: @Sendable (Worker) -> Void
    ) throws {
        let next = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        let failures = Mutex<[OutputValueError]>([])
        let total = chunks.count
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let worker = makeWorker()
            /// Samples chunk c; false when its outputs failed.
            func sampled(_ c: Int) -> Bool {
                if let cancelled, cancelled() { return false }
                guard let failure = sample(worker, c) else { return true }
                failures.withLock { $0.append(failure) }
                stop.store(true, ordering: .relaxed)
                return false
            }
            if contiguous {
                for i in (total * t / threads)..<(total * (t + 1) / threads) {
                    guard sampled(chunks[i]) else { break }
                }
            } else {
                while !stop.load(ordering: .relaxed) {
                    let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard i < total, sampled(chunks[i]) else { break }
                }
            }
            finish(worker)
        }
        if let first = failures.withLock({ $0 }).min(by: { $0.chunk < $1.chunk }) { throw first }
    }

    /// Samples a scenario (checked first, see `check`) and returns each metric's state; the
    /// result depends only on the scenario, seed, generator, sampler and shard.
    public static func run(_ scenario: Scenario, options: RunOptions = RunOptions()) throws -> RunState {
        try run(scenario, options: options, outputsOnly: false)
    }

    /// `run`, optionally keeping statistics of the outputs only (the factors' metrics stay
    /// empty): what `Sweep`, which writes output rows only, needs.
    package static func run(_ scenario: Scenario, options: RunOptions, outputsOnly: Bool) throws -> RunState {
        try check(scenario, options)
        GSL.configure()
        let layout = MetricLayout(scenario)
        let levels = layout.levels
        let chunks = (0..<chunkCount(trials: scenario.trials)).filter { options.shard.owns(chunk: $0) }
        let threads = max(1, min(options.threads, chunks.count))
        let plan = ChunkPlan(
            scenario: scenario, options: options, levels: levels,
            keeps: layout.levels.indices.map { !outputsOnly || $0 >= scenario.factors.count })

        let done = Atomic<Int>(0)
        let results = Mutex<[[MetricState]]>([])
        let progress = options.progress
        try distribute(
            chunks, threads: threads, contiguous: options.sampler != .pseudo, cancelled: options.isCancelled,
            makeWorker: { plan.makeWorker() },
            sample: { sampler, c in
                sampler.sample(chunk: c)
                if let failure = sampler.failure { return failure }
                progress?(done.wrappingAdd(1, ordering: .relaxed).newValue, chunks.count)
                return nil
            },
            finish: { sampler in
                let states = sampler.flushedStates()
                results.withLock { $0.append(states) }
            })
        if let cancelled = options.isCancelled, cancelled() { throw CancellationError() }
        // The first worker's states are the start (not merged into empty ones: a copy of
        // every page); merging is exact and order-free, so which worker comes first is immaterial.
        let parts = results.withLock { $0 }
        var metrics = parts.first ?? levels.map { MetricState(levels: $0) }
        for part in parts.dropFirst() {
            for i in metrics.indices { metrics[i].merge(part[i]) }
        }
        return RunState(
            scenario: scenario, generator: options.generator, sampler: options.sampler,
            shards: [options.shard], metrics: metrics)
    }

    /// Every trial's clamped factors and outputs, in trial order, as the columns hold them: natural
    /// logs, or values for a factor that can be <= 0 and an output computed on values (see
    /// `Factor.canBeNonPositive` and the expression outputs). The same draws the streaming run summarises. For tests and
    /// for analyses that need the joint samples; memory grows with trials, so keep trials moderate.
    public static func samples(
        _ scenario: Scenario, generator: RandomGenerator = .taus2,
        sampler kind: SamplerKind = .pseudo
    ) throws -> [[Double]] {
        try check(scenario, RunOptions(threads: 1, generator: generator, sampler: kind))
        GSL.configure()
        let layout = MetricLayout(scenario)
        let plan = ChunkPlan(
            scenario: scenario, options: RunOptions(threads: 1, generator: generator, sampler: kind),
            levels: layout.levels,
            keeps: layout.levels.map { _ in true })
        let worker = plan.makeWorker()
        var columns = Array(repeating: [Double](), count: layout.metricCount)
        for c in 0..<chunkCount(trials: scenario.trials) {
            worker.sample(chunk: c) { m, block in columns[m].append(contentsOf: block) }
            if let failure = worker.failure { throw failure }
        }
        return columns
    }
}
