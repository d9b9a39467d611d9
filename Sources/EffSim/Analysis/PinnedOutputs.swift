import Foundation

/// Outputs recomputed from a run's joint draws with one factor held at a value: the tornado
/// of an expression output, which is not a sum of factor logs.
///
/// Every output is evaluated on values, in dependency order, from the factors' draws (fixed
/// factors exactly); the pinned factor's column is replaced by its value. Results are cached per
/// (factor, value), since one pin serves every output.
struct PinnedOutputs {
    let scenario: Scenario
    let factorValues: [[Double]]
    private var cache: [Key: [[Double]]] = [:]

    private struct Key: Hashable {
        var factor: Int
        var value: Double
    }

    /// `logs`: the columns of `Engine.samples` (factors first, then outputs); a factor that can
    /// be <= 0 holds values there, the others logs.
    init(_ scenario: Scenario, logs: [[Double]]) {
        self.scenario = scenario
        factorValues = scenario.factors.indices.map { k in
            if let value = scenario.factors[k].constantValue {
                return Array(repeating: value, count: logs[k].count)
            }
            return scenario.factors[k].canBeNonPositive ? logs[k] : logs[k].map { exp($0) }
        }
    }

    /// The median of output `o` with factor `k` pinned at `value`.
    mutating func median(output o: Int, factor k: Int, at value: Double) -> Double {
        let key = Key(factor: k, value: value)
        if cache[key] == nil { cache[key] = outputs(pinning: k, at: value) }
        return Quantile.type7(sorted: cache[key]![o].sorted(), p: 0.5)
    }

    private func outputs(pinning k: Int, at value: Double) -> [[Double]] {
        let n = factorValues.first?.count ?? 0
        let f = scenario.factors.count
        // Slot s (factor, then output) at [s * n, (s + 1) * n), as the expressions address them.
        var slots = [Double](repeating: 0, count: (f + scenario.outputs.count) * n)
        for (j, column) in factorValues.enumerated() {
            slots.replaceSubrange((j * n)..<((j + 1) * n), with: j == k ? Array(repeating: value, count: n) : column)
        }
        var result = [Double](repeating: 0, count: n)
        for o in scenario.outputOrder {
            let output = scenario.outputs[o]
            if let compiled = output.expression?.compiled {
                slots.withUnsafeBufferPointer { base in
                    result.withUnsafeMutableBufferPointer { out in
                        compiled.evaluate(count: n, column: { base.baseAddress! + $0 * n }, into: out.baseAddress!)
                    }
                }
            } else {
                for i in 0..<n { result[i] = output.factorIndices.reduce(1.0) { $0 * slots[$1 * n + i] } }
            }
            slots.replaceSubrange(((f + o) * n)..<((f + o + 1) * n), with: result)
        }
        return scenario.outputs.indices.map { Array(slots[((f + $0) * n)..<((f + $0 + 1) * n)]) }
    }
}
