import EffSimCore
import EffSimModel
import Foundation

/// How one output is computed from a block's columns, decided once per run.
package enum OutputPlan {
    /// A `groups` output of positive factors: the sum of their logs.
    case product([Int])
    /// A `groups` output with a factor that can be <= 0: the product of values.
    case valueProduct([Int])
    /// An expression that is a product, quotient or power of names whose columns hold logs:
    /// stays in logs.
    case logForm(LogForm)
    /// Any other expression: evaluated on values; its column holds values.
    case values(CompiledExpression)
    /// A crossing time, from its series' columns: its column holds values (offsets from the
    /// index's first value, `CrossingTime.never` for a trial that never crosses).
    case crossing(CrossingTime)

    /// Each output's plan, and which metrics' columns hold values rather than logs: factors
    /// that can be <= 0 (`Factor.canBeNonPositive`) and the outputs computed on values.
    package static func plans(_ scenario: Scenario) -> (plans: [OutputPlan], holdsValues: [Bool]) {
        let f = scenario.factors.count
        var holds = scenario.factors.map(\.canBeNonPositive) + scenario.outputs.map { _ in false }
        var plans = scenario.outputs.map { OutputPlan.product($0.factorIndices) }
        for o in scenario.outputOrder {
            let output = scenario.outputs[o]
            if let crossing = output.crossing {
                plans[o] = .crossing(crossing)
                holds[f + o] = true
            } else if let compiled = output.expression?.compiled {
                if let form = compiled.logForm, form.terms.allSatisfy({ !holds[$0.slot] }) {
                    plans[o] = .logForm(form)
                } else {
                    plans[o] = .values(compiled)
                    holds[f + o] = true
                }
            } else if output.factorIndices.contains(where: { holds[$0] }) {
                plans[o] = .valueProduct(output.factorIndices)
                holds[f + o] = true
            }
        }
        return (plans, holds)
    }
}

/// A trial whose output is not a finite number: the run stops, nothing is written (exit status
/// 2 from the command line).
public struct OutputValueError: Error, CustomStringConvertible, Sendable {
    /// The output's id and its expression as written.
    public var output: String
    /// The output's expression as written.
    public var expression: String
    /// The first failing chunk (in trial order among the chunks sampled) and how many of its
    /// trials failed.
    public var chunk: Int
    /// How many of the chunk's trials failed.
    public var failedTrials: Int
    /// How many trials the chunk has.
    public var chunkTrials: Int
    /// One failing trial (0-based, in the run), its value and the values of the factors the
    /// output depends on.
    public var trial: Int
    /// The failing trial's output value: NaN or an infinity.
    public var value: Double
    /// The values the failing trial drew for the factors the output depends on.
    public var factorValues: [FactorValue]

    /// A factor's id and its value (after its floor) in the failing trial.
    public struct FactorValue: Sendable, Equatable {
        /// The factor's id.
        public var id: String
        /// The factor's value after its floor.
        public var value: Double
    }

    /// The message: the output, what its value was, how many trials of which chunk failed, and
    /// the failing trial's factor values.
    public var description: String {
        // Only values that are not finite fail: NaN, or an overflow to either infinity.
        let what = value.isNaN ? "is not a number (NaN)" : "overflows (\(value < 0 ? "-" : "")infinity)"
        let drew = factorValues.map { "\($0.id) = \(formatNumber($0.value))" }.joined(separator: ", ")
        return
            "output \(Quoted.string(output)) = \(expression) \(what) in \(failedTrials) of the \(chunkTrials) trials of chunk \(chunk); "
            + "trial \(trial) drew \(drew.isEmpty ? "no factor" : drew); nothing was written"
    }
}

/// Computes a block's outputs in dependency order and watches for values that are not
/// finite. One per worker, like its buffers.
final class OutputEvaluator {
    package let plans: [OutputPlan]
    /// Metrics whose columns hold values (see `OutputPlan.plans`), the others natural logs.
    let holdsValues: [Bool]
    let order: [Int]
    let factorCount: Int
    /// Exact values of fixed factors (a value column holds 3600, not exp(log 3600)).
    let constants: [Double?]
    /// Value columns, one per metric, filled on first use in a block.
    let values: UnsafeMutableBufferPointer<Double>
    let registers: UnsafeMutablePointer<Double>
    var ready: [Bool]
    let blockSize: Int
    let scenario: Scenario
    /// The first failure of the chunk being sampled, and the chunk's failing trials so far.
    private(set) var failure: OutputValueError?

    init(_ scenario: Scenario, blockSize: Int) {
        self.scenario = scenario
        self.blockSize = blockSize
        (plans, holdsValues) = OutputPlan.plans(scenario)
        order = scenario.outputOrder
        factorCount = scenario.factors.count
        constants = scenario.factors.map(\.constantValue)
        let metrics = scenario.factors.count + scenario.outputs.count
        let needsValues = plans.contains { if case .values = $0 { true } else { false } }
        values = .allocate(capacity: needsValues ? metrics * blockSize : 0)
        let registerCount = plans.map { if case let .values(c) = $0 { c.registerCount } else { 0 } }.max() ?? 0
        registers = .allocate(capacity: Swift.max(1, registerCount) * blockSize)
        ready = Array(repeating: false, count: metrics)
    }

    deinit {
        values.deallocate()
        registers.deallocate()
    }

    /// The natural log of the greatest finite double.
    static let largestLog = Foundation.log(Double.greatestFiniteMagnitude)

    /// Whether the worker should stop: a chunk failed.
    var failed: Bool { failure != nil }

    /// Writes every output's column (logs, or values where `holdsValues`) for `n` trials; `logs`
    /// is the block's column buffer, metric m at `logs + m * blockSize`. `firstTrial` is the
    /// block's first trial in the run.
    func computeOutputs(_ n: Int, logs: UnsafeMutablePointer<Double>, firstTrial: Int, chunk: Int) {
        let b = blockSize
        let f = factorCount
        for m in ready.indices { ready[m] = false }
        for o in order {
            let out = logs + (f + o) * b
            switch plans[o] {
            case let .product(indices):
                out.update(repeating: 0, count: n)
                for k in indices {
                    let col = logs + k * b
                    for i in 0..<n { out[i] += col[i] }
                }
            case let .valueProduct(indices):
                ValueProduct.fill(
                    UnsafeMutableBufferPointer(start: out, count: n),
                    factors: indices.map { (UnsafeBufferPointer(start: logs + $0 * b, count: n), holdsValues[$0]) })
                for i in 0..<n where !out[i].isFinite {
                    fail(o, trial: i, value: out[i], logs: logs, firstTrial: firstTrial, chunk: chunk)
                    out[i] = 0
                }
            case let .logForm(form):
                form.evaluate(count: n, logColumn: { UnsafePointer(logs + $0 * b) }, into: out)
                // Beyond log(greatest double) the value overflows; a tiny value stays a finite log.
                for i in 0..<n where !(out[i] < Self.largestLog) {
                    fail(
                        o, trial: i, value: out[i].isNaN ? .nan : .infinity, logs: logs, firstTrial: firstTrial,
                        chunk: chunk)
                    out[i] = 0
                }
            case let .values(compiled):
                compiled.evaluate(
                    count: n, column: { UnsafePointer(self.valueColumn($0, n, logs)) }, into: out, scratch: registers)
                for i in 0..<n where !out[i].isFinite {
                    fail(o, trial: i, value: out[i], logs: logs, firstTrial: firstTrial, chunk: chunk)
                    out[i] = 0
                }
            case let .crossing(crossing):
                // The series' points were computed (and checked) before: they come first in `order`.
                let columns = crossing.points.map { (UnsafePointer(logs + (f + $0) * b), holdsValues[f + $0]) }
                for i in 0..<n {
                    out[i] = crossing.offset { k in columns[k].1 ? columns[k].0[i] : Foundation.exp(columns[k].0[i]) }
                }
            }
        }
    }

    /// Slot m's values for the block: columns that hold values as they are, fixed factors
    /// exactly, others from their logs.
    private func valueColumn(_ m: Int, _ n: Int, _ logs: UnsafeMutablePointer<Double>) -> UnsafeMutablePointer<Double> {
        if holdsValues[m] { return logs + m * blockSize }
        let v = values.baseAddress! + m * blockSize
        if !ready[m] {
            if m < factorCount, let c = constants[m] {
                v.update(repeating: c, count: n)
            } else {
                let l = logs + m * blockSize
                for i in 0..<n { v[i] = Foundation.exp(l[i]) }
            }
            ready[m] = true
        }
        return v
    }

    private func fail(
        _ o: Int, trial i: Int, value: Double, logs: UnsafeMutablePointer<Double>, firstTrial: Int, chunk: Int
    ) {
        if failure != nil {
            failure!.failedTrials += 1
            return
        }
        let output = scenario.outputs[o]
        let drew = output.factorIndices.map { k in
            OutputValueError.FactorValue(
                id: scenario.factors[k].id,
                value: constants[k]
                    ?? (holdsValues[k] ? logs[k * blockSize + i] : Foundation.exp(logs[k * blockSize + i])))
        }
        let start = chunk * Engine.chunkSize
        failure = OutputValueError(
            output: output.id, expression: output.expression?.text ?? output.groups.joined(separator: " * "),
            chunk: chunk, failedTrials: 1, chunkTrials: Swift.min(Engine.chunkSize, scenario.trials - start),
            trial: firstTrial + i, value: value, factorValues: drew)
    }
}
