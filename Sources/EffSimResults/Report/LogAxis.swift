import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// A log10 axis over whole decades: value v sits at start + (log10 v - lo) / (hi - lo) * (end - start).
public struct LogAxis: Equatable, Sendable {
    /// The axis starts at 10^lo.
    public var lo: Int
    /// The axis ends at 10^hi (hi > lo).
    public var hi: Int
    /// The pixel position of 10^lo.
    public var start: Double
    /// The pixel position of 10^hi.
    public var end: Double

    /// An axis from 10^lo at pixel `start` to 10^hi at `end` (at least one decade: hi is raised to lo + 1).
    public init(lo: Int, hi: Int, start: Double, end: Double) {
        self.lo = lo
        self.hi = max(hi, lo + 1)
        self.start = start
        self.end = end
    }

    /// The smallest whole-decade axis holding every positive value given (1x to 10x when none is).
    public init(covering values: [Double], start: Double, end: Double) {
        let logs = values.filter { $0 > 0 && $0.isFinite }.map(log10)
        // A hair of slack so a value a rounding error above a power of ten does not add a decade.
        let lo = Int((logs.min() ?? 0).rounded(.down))
        let hi = Int(((logs.max() ?? 1) - 1e-9).rounded(.up))
        self.init(lo: lo, hi: hi, start: start, end: end)
    }

    /// The pixel position of a positive value `v`.
    public func position(_ v: Double) -> Double {
        start + (log10(v) - Double(lo)) / Double(hi - lo) * (end - start)
    }

    /// Whether a value lies on the axis (ends included, to a rounding error).
    public func holds(_ v: Double) -> Bool {
        let k = log10(v)
        return k >= Double(lo) - 1e-9 && k <= Double(hi) + 1e-9
    }

    /// Whether a bin lies wholly on the axis.
    public func holds(_ b: HistogramBin) -> Bool { holds(b.lower) && holds(b.upper) }

    /// The inverse of `position`.
    public func value(at x: Double) -> Double {
        pow(10, Double(lo) + (x - start) / (end - start) * Double(hi - lo))
    }

    /// Powers of ten to label: every one, or every other one or sparser, so that at most ten
    /// are labelled and labels (about 56px with their gap) do not touch.
    public var majorTicks: [Double] {
        let decade = abs(end - start) / Double(hi - lo)
        var step = (hi - lo + 9) / 10
        while step < hi - lo, decade > 1, Double(step) * decade < 56 { step += 1 }
        return stride(from: lo, through: hi, by: step).map { HistogramCSV.edge($0, 1) }
    }

    /// 2...9 times each power of ten, unlabelled, while decades are wide enough to show them.
    public var minorTicks: [Double] {
        guard abs(end - start) / Double(hi - lo) >= 60 else { return [] }
        return (lo..<hi).flatMap { k in (2...9).map { Double($0) * HistogramCSV.edge(k, 1) } }
    }
}
