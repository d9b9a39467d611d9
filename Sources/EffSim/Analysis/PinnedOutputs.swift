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
    let blockSize: Int
    /// Slot s (factor, then output) at [s * blockSize, (s + 1) * blockSize), as expressions address them.
    private let slots: UnsafeMutableBufferPointer<Double>
    private let pinned: UnsafeMutableBufferPointer<Double>
    private let registers: UnsafeMutableBufferPointer<Double>
    private var count = 0

    init(_ scenario: Scenario, blockSize: Int) {
        self.scenario = scenario
        self.blockSize = blockSize
        slots = .allocate(capacity: (scenario.factors.count + scenario.outputs.count) * blockSize)
        slots.initialize(repeating: 0)
        pinned = .allocate(capacity: blockSize)
        pinned.initialize(repeating: 0)
        let registerCount = scenario.outputs.compactMap { $0.expression?.compiled.registerCount }.max() ?? 0
        registers = .allocate(capacity: Swift.max(1, registerCount) * blockSize)
        registers.initialize(repeating: 0)
    }

    deinit {
        slots.deallocate()
        pinned.deallocate()
        registers.deallocate()
    }

    /// Takes the factors' values of `n` trials from a sampler's block buffer (metric m at
    /// `columns + m * blockSize`: values where `holdsValues[m]`, else logs).
    func load(columns: UnsafePointer<Double>, count n: Int, holdsValues: [Bool]) {
        count = n
        for (k, factor) in scenario.factors.enumerated() {
            let out = slots.baseAddress! + k * blockSize, column = columns + k * blockSize
            if let value = factor.constantValue {
                out.update(repeating: value, count: n)
            } else if holdsValues[k] {
                out.update(from: column, count: n)
            } else {
                for i in 0..<n { out[i] = exp(column[i]) }
            }
        }
    }

    /// Every output of the loaded block with factor `k` at `value`; output o's values stay at
    /// `output(o)` until the next call.
    func evaluate(pinning k: Int, at value: Double) {
        let n = count, b = blockSize, f = scenario.factors.count
        pinned.baseAddress!.update(repeating: value, count: n)
        let base = slots.baseAddress!
        func column(_ s: Int) -> UnsafePointer<Double> { UnsafePointer(s == k ? pinned.baseAddress! : base + s * b) }
        for o in scenario.outputOrder {
            let output = scenario.outputs[o], out = base + (f + o) * b
            if let compiled = output.expression?.compiled {
                compiled.evaluate(count: n, column: column, into: out, scratch: registers.baseAddress!)
            } else {
                for i in 0..<n { out[i] = output.factorIndices.reduce(1.0) { $0 * column($1)[i] } }
            }
        }
    }

    /// Output o's values from the last `evaluate`.
    func output(_ o: Int) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(start: slots.baseAddress! + (scenario.factors.count + o) * blockSize, count: count)
    }
}
