import EffSimCore
import EffSimModel
import EffSimSampling
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
    /// The columns the sampler showed for the block so far, by metric.
    private var columns: [UnsafeBufferPointer<Double>]
    /// Per block: each factor's bins (factor k at [k * capacity, ...)), each output's log Y
    /// (output o at [o * capacity, ...)) and R of one pair.
    private var binOf = UnsafeMutableBufferPointer<Int32>(start: nil, count: 0)
    private var logs = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
    private var rest = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
    private var capacity = 0
    private var sums: ChunkSums
    private var firstBlock = true

    static let noLevels = ThresholdLevels()

    init(plan: SensitivityPlan, chunkPlan: ChunkPlan) {
        self.plan = plan
        sampler = chunkPlan.makeWorker()
        let s = plan.scenario
        var index: [Int] = []
        var next = 0
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
        pinnedOutputs = byFactor.isEmpty ? nil : PinnedOutputs(s)
        columns = Array(repeating: UnsafeBufferPointer(start: nil, count: 0), count: s.factors.count + s.outputs.count)
        sums = ChunkSums(plan)
    }

    deinit {
        binOf.deallocate()
        logs.deallocate()
        rest.deallocate()
    }

    /// The first chunk of this worker in which an output was not finite.
    var failure: OutputValueError? { sampler.failure }

    /// Samples chunk c and returns its moments (the median histograms keep growing).
    func sample(chunk c: Int) -> SensitivityMoments {
        sums = ChunkSums(plan)
        firstBlock = true
        let last = columns.count - 1
        sampler.sample(chunk: c) { m, column in
            self.columns[m] = column
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

    /// Room for blocks of n trials (the sampler decides their size).
    private func reserve(_ n: Int) {
        guard n > capacity else { return }
        let s = plan.scenario
        binOf.deallocate()
        logs.deallocate()
        rest.deallocate()
        binOf = .allocate(capacity: s.factors.count * n)
        logs = .allocate(capacity: s.outputs.count * n)
        rest = .allocate(capacity: n)
        capacity = n
    }

    private func add(count n: Int) {
        reserve(n)
        let s = plan.scenario
        let f = s.factors.count
        let b = capacity
        let columns = columns
        func column(_ m: Int) -> UnsafeBufferPointer<Double> { columns[m] }
        let first = firstBlock
        firstBlock = false
        sums.trials += n
        for k in 0..<f {
            guard let factorBins = plan.factorBins[k] else { continue }
            let l = column(k)
            let bins = binOf.baseAddress! + k * b
            var lo = sums.factorMin[k]
            var hi = sums.factorMax[k]
            sums.counts[k].withUnsafeMutableBufferPointer {
                factorBins.bin(l, into: bins, counts: $0, lo: &lo, hi: &hi)
            }
            sums.factorMin[k] = lo
            sums.factorMax[k] = hi
            sums.factors[k].add(l, bins: bins, first: first)
        }
        // Each output's scales: log Y (the column itself, or the log of a value column) and Y.
        var scales: [[UnsafeBufferPointer<Double>]] = []
        for o in s.outputs.indices {
            let y = column(f + o)
            if plan.scaleCount(output: o) == 1 {
                scales.append([y])
            } else {
                let logs = self.logs.baseAddress! + o * b
                var nonPositive = false
                for i in 0..<n {
                    if y[i] > 0 {
                        logs[i] = log(y[i])
                    } else {
                        logs[i] = 0
                        nonPositive = true
                    }
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
                    let l = column(pair.factor)
                    let c = pair.coefficient
                    let out = rest.baseAddress!
                    for i in 0..<n { out[i] = y[i] - c * l[i] }
                    r = UnsafeBufferPointer(start: out, count: n)
                }
                if let bins { sums.pairs[p][j].add(r, bins: bins, first: first) }
                if pair.fromRest { medians[medianIndex[p]].add(logs: r, levels: Self.noLevels) }
            }
        }
        if let pinnedOutputs { addPinned(pinnedOutputs, columns: columns) }
    }

    /// The recomputed pairs' outputs with their factor at its p10 and at its p90.
    private func addPinned(_ pinned: PinnedOutputs, columns: [UnsafeBufferPointer<Double>]) {
        pinned.load(factorColumns: columns, holdsValues: plan.holdsValues)
        for (k, pairs) in recomputed.sorted(by: { $0.key < $1.key }) {
            for (j, value) in plan.pins[k].enumerated() {
                pinned.evaluate(pinning: k, at: value)
                for p in pairs {
                    let h = medianIndex[p] + j
                    let values = pinned.output(plan.pairs[p].output)
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
