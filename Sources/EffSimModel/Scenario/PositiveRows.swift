import EffSimCore

/// Per-year rows (x^(1/years)) and derived values (baseline / x) are defined for positive
/// outputs only. Where the scenario shows that an output can be <= 0 (a `groups` output with a
/// factor that can, see `Factor.canBeNonPositive`), the reader refuses them; an output whose
/// sign shows only when sampled (an expression) fails the run instead (`NonPositiveOutputError`).
enum PositiveRows {
    static func problems(factors: [Factor], outputs: [Output], derived: [Derived], years: Double?) -> [ValidationIssue]
    {
        var issues: [ValidationIssue] = []
        for (i, o) in outputs.enumerated() where o.expression == nil && o.crossing == nil {
            guard let f = o.factorIndices.first(where: { factors[$0].canBeNonPositive }) else { continue }
            let why =
                "output \(Quoted.string(o.id)) can take values <= 0 (factor \(Quoted.string(factors[f].id)) has no floor and can be <= 0)"
            if o.perYearSpan(scenarioYears: years) != nil {
                let (path, fix) =
                    o.years == .scenario
                    ? ("years", "leave out \"years\", give this output \"years\": null,")
                    : ("outputs[\(Output.fileIndices(outputs)[i])].years", "remove it")
                issues.append(
                    ValidationIssue(
                        path: path,
                        message:
                            "\(why), and its per-year row x^(1/years) needs positive values; \(fix) or give the factor a floor > 0"
                    ))
            }
            for (j, d) in derived.enumerated() where d.outputIndex == i {
                issues.append(
                    ValidationIssue(
                        path: "derived[\(j)].divide_by", message: "\(why), and baseline / output needs positive values")
                )
            }
        }
        return issues
    }
}
