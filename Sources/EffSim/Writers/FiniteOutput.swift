/// The last check before a result is written: an accepted run never writes NaN or infinity.
///
/// Validation refuses the scenarios known to overflow; this catches whatever slips past it
/// (values far beyond 10^±40, a mean whose square overflows), so that the command fails with
/// exit status 2 and writes nothing instead of a CSV that its own report reader would refuse.
public struct NonFiniteOutputError: Error, CustomStringConvertible, Sendable {
    /// The numbers that are not finite, for the message.
    public var description: String
}

/// Checks a finished run's numbers before they are written (see `NonFiniteOutputError`).
public enum FiniteOutput {
    /// Throws when a summary or precision number is not finite, naming the first few.
    public static func check(_ rows: [SummaryRow], _ precision: [PrecisionRow] = []) throws {
        var bad: [String] = []
        for r in rows {
            let values = [("mean", r.mean)] + r.percentiles.map { ("percentile", $0) } + r.exceedance.compactMap { $0.map { ("exceedance", $0) } }
                + (r.floorShare.map { [("floor_share", $0)] } ?? [])
            for (name, v) in values where !v.isFinite { bad.append("\(r.metric) \(name) = \(v)") }
        }
        for p in precision {
            for v in [p.estimate, p.lo95, p.hi95] where !v.isFinite { bad.append("\(p.metric) \(p.statistic) interval = \(v)") }
        }
        try refuse(bad)
    }

    /// Throws when any of `values` (described by `what`) is not finite.
    public static func check(_ values: [Double], what: String) throws {
        try refuse(values.filter { !$0.isFinite }.map { "\(what) = \($0)" })
    }

    private static func refuse(_ bad: [String]) throws {
        guard !bad.isEmpty else { return }
        let shown = bad.prefix(3).joined(separator: "; ") + (bad.count > 3 ? "; ... (\(bad.count) in all)" : "")
        throw NonFiniteOutputError(description: "the results would hold non-finite numbers (\(shown)): the scenario's values overflow a double; nothing was written")
    }
}
