import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// The grid a sweep expands to, and its points edited and validated before any is sampled.
extension Sweep {
    /// The default ceiling on the grid size (`effsim sweep --max-points` raises it): each point
    /// is a validated scenario in memory and a run.
    public static let defaultMaximumPoints = 10_000

    /// The number of grid points, without building the grid (saturating at Int.max).
    public var pointCount: Int {
        parameters.reduce(1) { n, p in
            let (product, overflow) = n.multipliedReportingOverflow(by: p.values.count)
            return overflow ? .max : product
        }
    }

    /// The grid: every combination of parameter values, the first parameter varying slowest.
    public var grid: [[JSONValue]] {
        parameters.reduce([[]]) { partial, p in partial.flatMap { prefix in p.values.map { prefix + [$0] } } }
    }

    /// Edits, validates and checks every grid point before any is sampled; throws a `SweepError`
    /// listing each bad point's parameter values and all its problems.
    public func points(
        trials trialsOverride: Int? = nil, options: RunOptions = RunOptions(),
        maximumPoints: Int = Sweep.defaultMaximumPoints
    ) throws -> [Point] {
        guard pointCount <= maximumPoints else {
            let sizes = parameters.map { String($0.values.count) }.joined(separator: " × ")
            throw SweepError(
                file: file,
                problems: [
                    "the grid has \(sizes) = \(pointCount) points, more than the limit of \(maximumPoints) (raise it with --max-points)"
                ])
        }
        var problems: [String] = []
        var result: [Point] = []
        var columns: [String]?
        for values in grid {
            let point = "point \(label(values))"
            var doc = base
            do {
                for (p, v) in zip(parameters, values) { doc = try p.path.setting(v, in: doc) }
            } catch {
                problems.append("\(point): \(error)")
                continue
            }
            var scenario: Scenario
            do { scenario = try ScenarioReader.read(doc, file: basePath) } catch let e as ScenarioError {
                problems.append(contentsOf: e.issues.map { "\(point): \(basePath): \($0)" })
                continue
            }
            if let t = trialsOverride ?? trials { scenario.trials = t }
            if let seed { scenario.seed = seed }
            do { try Engine.check(scenario, options) } catch { problems.append("\(point): \(error)") }
            if columns == nil { columns = scenario.statisticColumns }
            if scenario.statisticColumns != columns {
                problems.append(
                    "\(point): its statistics columns (\(scenario.statisticColumns.joined(separator: ","))) differ from the first point's; sweep percentiles or thresholds in separate sweeps"
                )
            }
            result.append(Point(values: values, scenario: scenario))
        }
        guard problems.isEmpty else { throw SweepError(file: file, problems: problems) }
        return result
    }
}
