import EffSimCore
import EffSimModel
import Foundation

/// One level a metric counts its values against: a threshold of any sign, or a log-scale level
/// of positive values (the per-year and derived rows' levels, which may be ±infinity when every
/// positive value passes or none does).
public enum ThresholdLevel: Sendable, Equatable {
    /// exp(log), kept as its log so per-year (log t * years) and derived (log(baseline / t))
    /// levels are the same numbers as the sampling loop's logs.
    case positive(log: Double)
    /// The level 0.
    case zero
    /// -exp(log).
    case negative(log: Double)

    /// The level of a finite threshold t: positive(log t), zero or negative(log -t).
    public init(value t: Double) {
        self = t > 0 ? .positive(log: log(t)) : t < 0 ? .negative(log: log(-t)) : .zero
    }
}

/// The levels a metric counts values above and below (thresholds of the metric itself and of
/// the per-year and derived rows computed from it), split into the log-scale levels each sign's
/// `MagnitudeState` counts:
///
/// - x > t for t > 0: positive values with log x > log t;
/// - x > 0: every positive value;
/// - x > t for t < 0: every positive value and zero, and negative values with log|x| < log|t|;
///
/// and mirrored for x < t.
public struct ThresholdLevels: Sendable, Equatable {
    /// Levels counted as value > level, in column order.
    public let above: [ThresholdLevel]
    /// Levels counted as value < level (derived rows).
    public let below: [ThresholdLevel]
    /// The levels of the positive values' logs and of the negative values' log magnitudes.
    public let positive: LogLevels
    /// The levels of the negative values' log magnitudes.
    public let negative: LogLevels
    /// For each level of `above` then `below`: where its count comes from.
    let recipes: [Recipe]

    /// How one level's count is put together from the two sides and the zeros.
    enum Recipe: Sendable, Equatable {
        /// positive.above[j].
        case positiveAbove(Int)
        /// every positive value.
        case allPositive
        /// every positive value, the zeros and negative.below[j].
        case negativeBelowPlusRest(Int)
        /// positive.below[j], the zeros and every negative value.
        case positiveBelowPlusRest(Int)
        /// every negative value.
        case allNegative
        /// negative.above[j].
        case negativeAbove(Int)
    }

    /// The levels, split into each sign's log levels once.
    public init(above: [ThresholdLevel] = [], below: [ThresholdLevel] = []) {
        self.above = above
        self.below = below
        var pa: [Double] = []
        var pb: [Double] = []
        var na: [Double] = []
        var nb: [Double] = []
        var recipes: [Recipe] = []
        for level in above {
            switch level {
            case let .positive(l):
                recipes.append(.positiveAbove(pa.count))
                pa.append(l)
            case .zero: recipes.append(.allPositive)
            case let .negative(l):
                recipes.append(.negativeBelowPlusRest(nb.count))
                nb.append(l)
            }
        }
        for level in below {
            switch level {
            case let .positive(l):
                recipes.append(.positiveBelowPlusRest(pb.count))
                pb.append(l)
            case .zero: recipes.append(.allNegative)
            case let .negative(l):
                recipes.append(.negativeAbove(na.count))
                na.append(l)
            }
        }
        positive = LogLevels(above: pa, below: pb)
        negative = LogLevels(above: na, below: nb)
        self.recipes = recipes
    }

    /// Log-scale levels of positive values: x > exp(l) for l in `aboveLogs`, x < exp(l) for l
    /// in `belowLogs`.
    public init(aboveLogs: [Double], belowLogs: [Double] = []) {
        self.init(above: aboveLogs.map { .positive(log: $0) }, below: belowLogs.map { .positive(log: $0) })
    }

    /// Thresholds of any sign: x > t for t in `aboveValues`, x < t for t in `belowValues`.
    public init(aboveValues: [Double], belowValues: [Double] = []) {
        self.init(
            above: aboveValues.map(ThresholdLevel.init(value:)), below: belowValues.map(ThresholdLevel.init(value:)))
    }

    /// Each level's count, `above` then `below`.
    func counts(_ m: MetricState) -> [Int] {
        recipes.map { r in
            switch r {
            case let .positiveAbove(j): return m.positive.above[j]
            case .allPositive: return m.positive.count
            case let .negativeBelowPlusRest(j): return m.positive.count + m.zeroCount + m.negative.below[j]
            case let .positiveBelowPlusRest(j): return m.positive.below[j] + m.zeroCount + m.negative.count
            case .allNegative: return m.negative.count
            case let .negativeAbove(j): return m.negative.above[j]
            }
        }
    }
}
