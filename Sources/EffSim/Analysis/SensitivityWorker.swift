import Foundation

/// One worker of the sensitivity analysis: samples chunks with the run's `ChunkSampler` and
/// folds each block into the chunk's sums and the worker's median histograms, without keeping
/// the draws. A class, like the sampler it drives: it stays on one thread.
final class SensitivityWorker {
    let plan: SensitivityPlan
    let sampler: ChunkSampler
    /// The median histograms: pair p's at `medianIndex[p]` (two, p10 then p90, when recomputed).
    private(set) var medians: [MetricState]
    let medianIndex: [Int]
    /// Pairs recomputed with their factor pinned, by factor.
    let recomputed: [Int: [Int]]
    /// Median histograms that were given a value that is not finite (their median is NaN).
    private(set) var nonFinite: [Bool]
    private let pinnedOutputs: PinnedOutputs?
    /// Each factor's bins for the block, factor k at [k * blockSize, ...).
    private let binOf: UnsafeMutableBufferPointer<Int32>
    /// Each output's scales for the block: log Y at [2o * blockSize, ...), Y at [(2o + 1) * blockSize, ...).
    private let scaled: UnsafeMutableBufferPointer<Double>
    private let rest: UnsafeMutableBufferPointer<Double>
    private var sums: ChunkSums
    private var firstBlock = true

    static let noLevels = ThresholdLevels()

    init(plan: SensitivityPlan, chunkPlan: ChunkPlan) {
        self.plan = plan
        sampler = chunkPlan.makeWorker()
        let s = plan.scenario, b = Engine.blockSize
        var index: [Int] = [], next = 0
        var byFactor: [Int: [Int]] = [:]
        for (p, pair) in plan.pairs.enumerated() {
            index.append(next)
            next += pair.fromRest ? 1 : 2
            if !pair.fromRest { byFactor[pair.factor, default: []].append(p) }
        }
        medianIndex = index
        medians = Array(repeating: MetricState(levels: Self.noLevels), count: next)
        nonFinite = Array(repeating: false, count: next)
        recomputed = byFactor
        pinnedOutputs = byFactor.isEmpty ? nil : PinnedOutputs(s, blockSize: b)
        binOf = .allocate(capacity: s.factors.count * b)
        binOf.initialize(repeating: 0)
        scaled = .allocate(capacity: 2 * s.outputs.count * b)
        scaled.initialize(repeating: 0)
        rest = .allocate(capacity: b)
        rest.initialize(repeating: 0)
        sums = ChunkSums(plan)
    }

    deinit {
        binOf.deallocate()
        scaled.deallocate()
        rest.deallocate()
    }

    /// The first chunk of this worker in which an output was not finite.
    var failure: OutputValueError? { sampler.failure }

    /// Samples chunk c and returns its moments (the median histograms keep growing).
    func sample(chunk c: Int) -> SensitivityMoments {
        sums = ChunkSums(plan)
        firstBlock = true
        let last = plan.scenario.factors.count + plan.scenario.outputs.count - 1
        sampler.sample(chunk: c) { m, column in
            // The block's last metric: every column of the block is ready.
            if m == last { self.add(count: column.count) }
        }
        return sums.moments(plan)
    }

    /// The median histograms, flushed.
    func flushedMedians() -> [MetricState] {
        for i in medians.indices { medians[i].flush(levels: Self.noLevels) }
        return medians
    }

    private func add(count n: Int) {
        let b = Engine.blockSize, s = plan.scenario, f = s.factors.count
        let columns = UnsafePointer(sampler.buffer.baseAddress!)
        func column(_ m: Int) -> UnsafeBufferPointer<Double> { UnsafeBufferPointer(start: columns + m * b, count: n) }
        let first = firstBlock
        firstBlock = false
        sums.trials += n
        for k in 0..<f {
            guard let factorBins = plan.factorBins[k] else { continue }
            let l = column(k), bins = binOf.baseAddress! + k * b
            sums.counts[k].withUnsafeMutableBufferPointer { factorBins.bin(l, into: bins, counts: $0) }
            let (lo, hi) = MagnitudeState.extremes(l)
            sums.factorMin[k] = Swift.min(sums.factorMin[k], lo)
            sums.factorMax[k] = Swift.max(sums.factorMax[k], hi)
            sums.factors[k].add(l, bins: bins, first: first)
        }
        // Each output's scales: log Y (the column itself, or the log of a value column) and Y.
        var scales: [[UnsafeBufferPointer<Double>]] = []
        for o in s.outputs.indices {
            let y = column(f + o)
            if plan.scaleCount(output: o) == 1 {
                scales.append([y])
            } else {
                let logs = scaled.baseAddress! + 2 * o * b
                var nonPositive = false
                for i in 0..<n {
                    if y[i] > 0 { logs[i] = log(y[i]) } else { logs[i] = 0; nonPositive = true }
                }
                if nonPositive { sums.nonPositive[o] = true }
                scales.append([UnsafeBufferPointer(start: logs, count: n), y])
            }
            for (j, values) in scales[o].enumerated() { sums.outputs[o][j].add(values, bins: nil, first: first) }
        }
        for (p, pair) in plan.pairs.enumerated() {
            let bins = plan.factorBins[pair.factor] == nil ? nil : UnsafePointer(binOf.baseAddress! + pair.factor * b)
            for (j, y) in scales[pair.output].enumerated() {
                var r = y
                if pair.coefficient != 0 {
                    let l = column(pair.factor), c = pair.coefficient, out = rest.baseAddress!
                    for i in 0..<n { out[i] = y[i] - c * l[i] }
                    r = UnsafeBufferPointer(start: out, count: n)
                }
                if let bins { sums.pairs[p][j].add(r, bins: bins, first: first) }
                if pair.fromRest { medians[medianIndex[p]].add(logs: r, levels: Self.noLevels) }
            }
        }
        if let pinnedOutputs { addPinned(pinnedOutputs, columns: columns, count: n) }
    }

    /// The recomputed pairs' outputs with their factor at its p10 and at its p90.
    private func addPinned(_ pinned: PinnedOutputs, columns: UnsafePointer<Double>, count n: Int) {
        pinned.load(columns: columns, count: n, holdsValues: plan.holdsValues)
        for (k, pairs) in recomputed.sorted(by: { $0.key < $1.key }) {
            for (j, value) in plan.pins[k].enumerated() {
                pinned.evaluate(pinning: k, at: value)
                for p in pairs {
                    let h = medianIndex[p] + j, values = pinned.output(plan.pairs[p].output)
                    if values.allSatisfy(\.isFinite) {
                        medians[h].add(values: values, levels: Self.noLevels)
                    } else {
                        nonFinite[h] = true
                    }
                }
            }
        }
    }
}
