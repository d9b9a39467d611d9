/// What kind of quantity a summary row describes (the `kind` column): the scenario decides which
/// rows exist and which thresholds each reports (`Scenario.thresholds(ofRow:kind:)`).
public enum MetricKind: String, Sendable {
    /// An output, a factor (after clamping), an output's per-year row (`per_year`), a derived value.
    case output, factor
    case perYear = "per_year"
    case derived
}
