import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// A linear axis from 0 to a round maximum with 1, 2 or 5 times a power of ten between ticks.
public struct LinearAxis: Equatable, Sendable {
    /// The value at the far end: a whole number of steps.
    public var maximum: Double
    /// The distance between ticks: 1, 2 or 5 times a power of ten.
    public var step: Double
    /// The pixel position of 0 (for a y axis, the bottom).
    public var start: Double
    /// The pixel position of `maximum`.
    public var end: Double

    /// An axis whose maximum is at least `top`, with at most `ticks` steps.
    public init(upTo top: Double, ticks: Int = 5, start: Double, end: Double) {
        let raw = max(top, 1e-12) / Double(ticks)
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw * (1 - 1e-12) }!
        self.step = step
        maximum = (top / step - 1e-9).rounded(.up) * step
        if maximum <= 0 { maximum = step }
        self.start = start
        self.end = end
    }

    /// The pixel position of value `v`: start + v / maximum · (end - start).
    public func position(_ v: Double) -> Double { start + v / maximum * (end - start) }

    /// 0, step, 2·step, ..., maximum.
    public var ticks: [Double] {
        let n = Int((maximum / step).rounded())
        return (0...n).map { Double($0) * step }
    }
}
