import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// One line of sweep.csv: a grid point's parameter values and one output's summary row.
public struct SweepRow: Sendable {
    /// The grid point's parameter values, in parameter order.
    public var values: [JSONValue]
    /// One output's summary row at that point.
    public var summary: SummaryRow
}
