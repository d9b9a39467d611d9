import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// Outputs recomputed on a block of trials with one factor held at a value: the tornado of an
/// output that is not a sum of factor logs (an expression, or a product with a factor that can
/// be <= 0).
///
/// Every output is evaluated on values, in dependency order, from the block's factor draws
/// (fixed factors exactly); the pinned factor's column is replaced by its value. One per worker,
/// like its buffers; `load` a block once, then `evaluate` each pin.
final class PinnedOutputs {
    let scenario: Scenario
    /// Slot s (factor, then output) at [s * capacity, (s + 1) * capacity), as expressions address them.
    private var slots = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
    private var pinned = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
    private var registers = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
    private var capacity = 0
    private var count = 0

    init(_ scenario: Scenario) {
        self.scenario = scenario
    }

    deinit {
        slots.deallocate()
        pinned.deallocate()
        registers.deallocate()
    }

    /// Room for blocks of n trials.
    private func reserve(_ n: Int) {
        guard n > capacity else { return }
        slots.deallocate()
        pinned.deallocate()
        registers.deallocate()
        let registerCount = scenario.outputs.compactMap { $0.expression?.compiled.registerCount }.max() ?? 0
        slots = .allocate(capacity: (scenario.factors.count + scenario.outputs.count) * n)
        pinned = .allocate(capacity: n)
        registers = .allocate(capacity: Swift.max(1, registerCount) * n)
        capacity = n
    }

    /// Takes the block's factor values from the sampler's columns (`columns[k]` for factor k:
    /// values where `holdsValues[k]`, else logs; all of one length).
    func load(factorColumns columns: [UnsafeBufferPointer<Double>], holdsValues: [Bool]) {
        let n = columns.first?.count ?? 0
        reserve(n)
        count = n
        for (k, factor) in scenario.factors.enumerated() {
            let out = slots.baseAddress! + k * capacity
            let column = columns[k]
            if let value = factor.constantValue {
                out.update(repeating: value, count: n)
            } else if holdsValues[k] {
                out.update(from: column.baseAddress!, count: n)
            } else {
                for i in 0..<n { out[i] = exp(column[i]) }
            }
        }
    }

    /// Every output of the loaded block with factor `k` at `value`; output o's values stay at
    /// `output(o)` until the next call.
    func evaluate(pinning k: Int, at value: Double) {
        let n = count
        let b = capacity
        let f = scenario.factors.count
        pinned.baseAddress!.update(repeating: value, count: n)
        let base = slots.baseAddress!
        func column(_ s: Int) -> UnsafePointer<Double> { UnsafePointer(s == k ? pinned.baseAddress! : base + s * b) }
        for o in scenario.outputOrder {
            let output = scenario.outputs[o]
            let out = base + (f + o) * b
            if let compiled = output.expression?.compiled {
                compiled.evaluate(count: n, column: column, into: out, scratch: registers.baseAddress!)
            } else {
                for i in 0..<n { out[i] = output.factorIndices.reduce(1.0) { $0 * column($1)[i] } }
            }
        }
    }

    /// Output o's values from the last `evaluate`.
    func output(_ o: Int) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(start: slots.baseAddress! + (scenario.factors.count + o) * capacity, count: count)
    }
}
