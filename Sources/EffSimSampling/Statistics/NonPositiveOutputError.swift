import EffSimCore
import EffSimModel

/// A run whose output took a value <= 0 while the scenario asks for its per-year row
/// (x^(1/years)) or a derived value (baseline / x), which are defined for positive values only.
///
/// The scenario reader refuses this where it is knowable (a `groups` output with a factor that
/// can be <= 0); an output whose sign shows only when it is sampled fails the run here, with
/// exit status 2 and nothing written, instead of a row computed from logs it does not have.
public struct NonPositiveOutputError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The output's id.
    public var output: String
    /// How many of `trials` values were <= 0.
    public var nonPositive: Int
    /// The output's number of values.
    public var trials: Int
    /// The rows that need positive values (`<output>_per_year`, derived ids).
    public var rows: [String]

    /// The error for `output`, which took `nonPositive` values <= 0 of `trials`, and its `rows`.
    public init(output: String, nonPositive: Int, trials: Int, rows: [String]) {
        self.output = output
        self.nonPositive = nonPositive
        self.trials = trials
        self.rows = rows
    }

    /// One line naming the output, how often it was <= 0 and the rows that need positive values.
    public var description: String {
        "output \(Quoted.string(output)) took values <= 0 in \(nonPositive) of \(trials) trials; "
            + "\(rows.map(Quoted.string).joined(separator: ", ")) (x^(1/years) or baseline / x) need positive values; nothing was written"
    }

    /// Throws for the first output that took a value <= 0 and has per-year or derived rows.
    public static func check(_ state: RunState) throws {
        let s = state.scenario
        let layout = MetricLayout(s)
        for (o, output) in s.outputs.enumerated() {
            let m = state.metrics[layout.outputMetric(o)]
            guard !m.isPositive else { continue }
            let rows =
                (s.years(ofOutput: o) == nil ? [] : ["\(output.id)_per_year"])
                + s.derived.filter { $0.outputIndex == o }.map(\.id)
            guard !rows.isEmpty else { continue }
            throw NonPositiveOutputError(
                output: output.id, nonPositive: m.negative.count + m.zeroCount, trials: m.count, rows: rows)
        }
    }
}
