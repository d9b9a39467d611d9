import EffSimCore
import Foundation

/// The index an output is computed over (`"over": {"id": "year", "from": 2024, "to": 2035,
/// "step": 1}`): the values from, from + step, ... up to `to`.
///
/// Each value is from + k * step rounded to 12 significant digits, so that a step of 0.1 gives
/// 0.3, not 0.30000000000000004, and `formatNumber` prints it as written. `to` is reached when
/// (to - from) / step is whole (within 1e-9); otherwise the last value is the last one below it.
public struct SeriesIndex: Sendable, Equatable {
    /// The index's name, usable in the output's expression.
    public var id: String
    /// The first value.
    public var from: Double
    /// The last value allowed.
    public var to: Double
    /// The distance between two values, > 0.
    public var step: Double
    /// The index's unit (nil: dimensionless); a crossing time has it.
    public var unit: UnitOfMeasure?

    /// The most values an index may have.
    public static let maximumCount = 10_000
    /// Index values stay within ±10^15, where a double still tells 12 significant digits apart
    /// and a crossing time's offset from `from` never nears `CrossingTime.never`.
    public static let maximumMagnitude = 1e15

    /// An index of these values (unchecked: `ScenarioReader` checks the rules).
    public init(id: String, from: Double, to: Double, step: Double, unit: UnitOfMeasure? = nil) {
        (self.id, self.from, self.to, self.step, self.unit) = (id, from, to, step, unit)
    }

    /// The number of values: floor((to - from) / step) + 1, a whole ratio within 1e-9 counting as whole.
    public var count: Int {
        let ratio = (to - from) / step
        guard ratio.isFinite, ratio >= 0 else { return 0 }
        guard ratio < Double(Self.maximumCount) else { return Self.maximumCount + 1 }
        return Int((ratio + 1e-9).rounded(.down)) + 1
    }

    /// The k-th value, from + k * step rounded to 12 significant digits.
    public func value(_ k: Int) -> Double {
        let x = from + Double(k) * step
        return Double(String(format: "%.12g", x)) ?? x
    }

    /// Every value, in order.
    public var values: [Double] { (0..<count).map(value) }

    /// `frontier_flop[year=2030]`: the summary row of series `id` at the k-th value.
    public func rowName(_ id: String, _ k: Int) -> String { "\(id)[\(self.id)=\(formatNumber(value(k)))]" }
}

/// Where an output that is one point of a series sits: the series it belongs to and the
/// position of its index value.
public struct SeriesPoint: Sendable, Equatable {
    /// The series' id as the scenario file gives it (`frontier_flop`).
    public var series: String
    /// The index the series is computed over.
    public var index: SeriesIndex
    /// The point's position in `index.values`.
    public var position: Int

    /// The point's index value.
    public var value: Double { index.value(position) }
}

/// A `first` output: the index value at which a series first goes above (or below) a level.
public struct CrossingTime: Sendable, Equatable {
    /// The series' id.
    public var series: String
    /// The level crossed, in the series' unit.
    public var level: Double
    /// True for `above` (the first value > level), false for `below` (< level).
    public var above: Bool
    /// The series' index.
    public var index: SeriesIndex
    /// Indices into `Scenario.outputs` of the series' points, in index order.
    public var points: [Int]

    /// What a trial that never crosses within the range holds: a value beyond every crossing,
    /// so it sorts after them, counted exactly by the level `neverLevel`; never written.
    public static let never = Double.greatestFiniteMagnitude
    /// Values above this level are the trials that never cross (crossings lie within
    /// 2 * 10^15 of `from`).
    public static let neverLevel = 1e300

    /// The crossing time of one trial from the series' values at the index points, as an offset
    /// from `index.from` (so that the statistics, kept in logs, keep their 5.6e-5 relative
    /// precision on the offset, not on the year). The first point past the level crosses at its
    /// index value when it is the first point; otherwise between the points k - 1 and k at
    /// from + step * (k - 1 + f), f = (ln L - ln v[k-1]) / (ln v[k] - ln v[k-1]) when the level
    /// and both values are > 0 (exact for exponential growth), else f = (L - v[k-1]) / (v[k] - v[k-1]).
    /// `never` when no point is past it.
    @inline(__always)
    public func offset(_ value: (Int) -> Double) -> Double {
        let n = points.count
        var previous = value(0)
        if above ? previous > level : previous < level { return 0 }
        for k in 1..<max(n, 1) {
            let v = value(k)
            if above ? v > level : v < level {
                let f: Double
                if level > 0, previous > 0, v > 0 {
                    f =
                        (Foundation.log(level) - Foundation.log(previous))
                        / (Foundation.log(v) - Foundation.log(previous))
                } else {
                    f = (level - previous) / (v - previous)
                }
                return (index.value(k - 1) - index.from) + (index.value(k) - index.value(k - 1))
                    * Swift.min(Swift.max(f, 0), 1)
            }
            previous = v
        }
        return Self.never
    }
}
