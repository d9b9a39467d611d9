import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// A finished run's tables: summary.csv's rows and precision.csv's, computed once for the files
/// and the console.
public struct SummaryTables: Sendable, Equatable {
    /// summary.csv's rows.
    public var summary: [SummaryRow]
    /// precision.csv's rows.
    public var precision: [PrecisionRow]

    /// The tables of a finished run.
    public init(_ state: RunState) {
        let layout = MetricLayout(state.scenario)
        let moments = layout.moments(state.metrics)
        summary = layout.rows(state.metrics, moments: moments)
        precision = Precision.rows(state, summary: summary, moments: moments)
    }
}
