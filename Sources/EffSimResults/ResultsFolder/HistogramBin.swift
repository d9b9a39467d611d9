import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// One bin of histogram.csv: `count` values in [lower, upper) (in (lower, upper] below 0; the
/// zeros' bin has lower = upper = 0).
public struct HistogramBin: Equatable, Sendable {
    /// k: the bin covers [10^(k/B), 10^((k+1)/B)) at B bins a decade.
    public var bin: Int
    /// The lower edge, 10^(k/B).
    public var lower: Double
    /// The upper edge, 10^((k+1)/B).
    public var upper: Double
    /// The values in the bin.
    public var count: Int

    /// A bin from its fields.
    public init(bin: Int, lower: Double, upper: Double, count: Int) {
        self.bin = bin
        self.lower = lower
        self.upper = upper
        self.count = count
    }

    /// 1 for a bin of positive values, -1 for negative ones, 0 for the zeros.
    public var sign: Int { lower > 0 ? 1 : upper < 0 ? -1 : 0 }
}
