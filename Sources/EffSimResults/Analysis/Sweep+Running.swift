import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// Sampling a sweep's points.
extension Sweep {
    /// Samples every point in grid order; `progress` hears (points done, points).
    public func run(
        _ points: [Point], options: RunOptions = RunOptions(),
        progress: ((Int, Int) -> Void)? = nil
    ) throws -> [SweepRow] {
        var rows: [SweepRow] = []
        for (k, point) in points.enumerated() {
            let state = try Engine.run(point.scenario, options: options, outputsOnly: true)
            for r in MetricLayout(point.scenario).rows(state.metrics, kinds: [.output]) {
                rows.append(SweepRow(values: point.values, summary: r))
            }
            progress?(k + 1, points.count)
        }
        return rows
    }
}
