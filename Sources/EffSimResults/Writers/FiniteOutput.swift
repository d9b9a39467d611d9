import EffSimCore
import EffSimModel
import EffSimSampling

/// The last check before a result is written: an accepted run never writes NaN or infinity, nor
/// 0 for positive values too small for a double.
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
            let values =
                [("mean", r.mean)] + r.percentiles.map { ("percentile", $0) }
                + r.exceedance.compactMap { $0.map { ("exceedance", $0) } }
                + (r.floorShare.map { [("floor_share", $0)] } ?? [])
            // A crossing time's NaN marks a statistic read among trials that never cross: an empty cell.
            for (name, v) in values where !v.isFinite && !(r.pNever != nil && v.isNaN) {
                bad.append("\(r.metric) \(name) = \(v)")
            }
        }
        for p in precision {
            for v in [p.estimate, p.lo95, p.hi95] where !v.isFinite {
                bad.append("\(p.metric) \(p.statistic) interval = \(v)")
            }
        }
        try refuse(bad)
    }

    /// Throws when a row whose values are all positive (`positive(row)`: an output or factor that
    /// took no value <= 0, a per-year or derived row) holds a 0: its values are below the smallest
    /// double (1e-60 / 1e300, a floor of 1e-300 over 0.4 years), and a 0 would be a wrong number.
    public static func checkUnderflow(_ rows: [SummaryRow], positive: (Int) -> Bool) throws {
        var bad: [String] = []
        for (i, r) in rows.enumerated() where positive(i) && r.pNever == nil {
            let values = [("mean", r.mean)] + r.percentiles.map { ("a percentile", $0) }
            if let (name, _) = values.first(where: { $0.1 == 0 }) {
                bad.append(Quoted.string(r.metric) + " (\(name) = 0)")
            }
        }
        guard !bad.isEmpty else { return }
        throw NonFiniteOutputError(
            description:
                "row \(bad.joined(separator: ", ")): its values are positive but below the smallest double (\(Double.leastNonzeroMagnitude)) and would be written as 0; nothing was written"
        )
    }

    /// Throws when any of `values` (described by `what`) is not finite.
    public static func check(_ values: [Double], what: String) throws {
        try refuse(values.filter { !$0.isFinite }.map { "\(what) = \($0)" })
    }

    private static func refuse(_ bad: [String]) throws {
        guard !bad.isEmpty else { return }
        let shown = bad.prefix(3).joined(separator: "; ") + (bad.count > 3 ? "; ... (\(bad.count) in all)" : "")
        throw NonFiniteOutputError(
            description:
                "the results would hold non-finite numbers (\(shown)): the scenario's values overflow a double; nothing was written"
        )
    }
}
