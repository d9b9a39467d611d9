import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// A factor with more than half of its draws raised to its floor: the floor, not the factor's
/// law, decides its value, which is seldom what was meant (a fraction such as an MFU of 0.34
/// under a floor of 1 becomes 1). Printed on stderr, written in `run.json`'s `warnings` and
/// shown on the report page.
public struct FloorWarning: Codable, Equatable, Sendable {
    /// The factor's id.
    public var factor: String
    /// The factor's floor.
    public var floor: Double
    /// The median of the factor's law, before clamping.
    public var median: Double
    /// The share of the factor's draws raised to the floor, in (0.5, 1].
    public var shareRaised: Double

    /// A warning fires above this share of draws raised.
    public static let share = 0.5

    /// The warnings of a run: one per factor whose summary row's `floor_share` exceeds `share`.
    public static func list(_ scenario: Scenario, summary: [SummaryRow]) -> [FloorWarning] {
        scenario.factors.compactMap { f in
            guard let floor = f.floor,
                let share = summary.first(where: { $0.metric == f.id && $0.kind == .factor })?.floorShare,
                share > Self.share
            else { return nil }
            return FloorWarning(factor: f.id, floor: floor, median: f.distribution.quantile(0.5), shareRaised: share)
        }
    }

    /// One line for stderr and the report page.
    public var message: String {
        "factor \(Quoted.string(factor)) has \(ConsoleReport.percent(shareRaised)) of its draws raised to its floor \(ConsoleReport.number(floor)) "
            + "(its median is \(ConsoleReport.number(median))); if it can be below \(ConsoleReport.number(floor)), give it \"floor\": null or a lower floor"
    }
}
