import EffSimCore
import Foundation

extension ScenarioReader {
    // MARK: - Outputs, derived values, correlations, published figures

    static let outputKeys: Set<String> = [
        "id", "label", "groups", "expression", "unit", "years", "thresholds", "over", "first",
    ]

    /// One output as read, before expressions are compiled (they may use outputs listed later).
    struct OutputDraft {
        var path: String
        var id: String?
        var label: String?
        var groups: [String]?
        var factorIndices: [Int] = []
        var parsed: ParsedExpression?
        var declaredUnit: UnitOfMeasure?
        var years: OutputYears
        var thresholds: [Double]?
        /// The index of an output over one (`over`).
        var over: SeriesIndex?
        /// A crossing time's series and level (`first`).
        var first: CrossingDraft?
        /// Whether every part of the output was read without a problem.
        var complete: Bool
    }

    /// The outputs: each either a product of `groups` or an `expression` over factors and other
    /// outputs (compiled here, in dependency order, with units checked).
    /// A scenario with imports also gets the imported outputs its own outputs (and derived
    /// values) use, directly or through each other, after its own, ids `alias.id`.
    mutating func outputList(
        _ value: JSONValue?, factors: [Factor]?, brokenFactors: Set<String>, imported: ImportedModel = ImportedModel(),
        alsoUsed: [String] = []
    ) -> [Output]? {
        guard let value else {
            // No outputs given: one output multiplying every factor.
            guard let factors else { return nil }
            let groups = factors.map(\.group).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            var total = Output(id: "total", label: "All factors", groups: groups, factorIndices: Array(factors.indices))
            total.unit = factors.reduce(UnitOfMeasure.dimensionless) { $0 * ($1.unit ?? .dimensionless) }
            return [total]
        }
        guard let items = array(value, at: "outputs") else { return nil }
        if items.isEmpty {
            issues.append(
                ValidationIssue(
                    path: "outputs",
                    message:
                        "must list at least one output (or leave \"outputs\" out for a single product of all factors)"))
            return nil
        }
        var drafts = items.enumerated().map { outputDraft($1, at: "outputs[\($0)]", factors: factors) }
        guard let factors else { return nil }
        for k in drafts.indices {
            for name in drafts[k].parsed?.referencedNames ?? [] {
                if failedImports.contains(where: { name.hasPrefix($0 + ".") }) {
                    drafts[k].complete = false
                    continue
                }
                guard let problem = imported.problem(with: name) else { continue }
                issues.append(ValidationIssue(path: "\(drafts[k].path).expression", message: problem))
                drafts[k].complete = false
            }
        }
        let importedDrafts = imported.outputs(neededBy: drafts.flatMap { $0.parsed?.referencedNames ?? [] } + alsoUsed)
        importedOutputCount = importedDrafts.count
        return compileOutputs(drafts + importedDrafts, factors: factors, brokenFactors: brokenFactors)
    }

    private mutating func outputDraft(_ item: JSONValue, at path: String, factors: [Factor]?) -> OutputDraft {
        var draft = OutputDraft(path: path, years: .scenario, complete: false)
        guard object(item, at: path, allowed: Self.outputKeys, required: ["id"]) != nil else { return draft }
        draft.id = string(item["id"], at: "\(path).id", pattern: .identifier)
        draft.label = optionalString(item["label"], at: "\(path).label")
        var complete = draft.id != nil
        if let first = item["first"] {
            let others = ["groups", "expression", "over", "years"].filter { item[$0] != nil }
            if others.isEmpty {
                draft.first = crossingDraft(first, at: "\(path).first")
                complete = complete && draft.first != nil
            } else {
                issues.append(
                    ValidationIssue(
                        path: path,
                        message:
                            "a \"first\" output is a crossing time: it takes no \(others.map { "\"\($0)\"" }.joined(separator: ", "))"
                    ))
                complete = false
            }
        } else if let over = item["over"] {
            if item["expression"] == nil {
                issues.append(
                    ValidationIssue(
                        path: "\(path).over",
                        message: "an output over an index needs an \"expression\" that uses the index"))
                complete = false
            } else {
                draft.over = seriesIndex(over, at: "\(path).over")
                complete = complete && draft.over != nil
            }
        }
        if item["first"] == nil, !formula(item, at: path, into: &draft, factors: factors) { complete = false }
        if let unit = optionalUnit(item["unit"], at: "\(path).unit") {
            draft.declaredUnit = unit
        } else {
            complete = false
        }
        if let years = item["years"] {
            if years == .null {
                draft.years = .none
            } else if let y = number(years, at: "\(path).years", rule: .years) {
                draft.years = .years(y)
            } else {
                complete = false
            }
        }
        if item["thresholds"] != nil {
            draft.thresholds = numberList(item["thresholds"], at: "\(path).thresholds", rule: .any, allowsEmpty: true)
            complete = complete && draft.thresholds != nil
        }
        draft.complete = complete
        return draft
    }

    /// A `groups` or `expression` output's formula into `draft`; false when it is missing or wrong.
    private mutating func formula(_ item: JSONValue, at path: String, into draft: inout OutputDraft, factors: [Factor]?)
        -> Bool
    {
        switch (item["groups"], item["expression"]) {
        case (nil, nil):
            issues.append(
                ValidationIssue(
                    path: path,
                    message:
                        "give either \"groups\" (a product of factor groups), \"expression\" or \"first\" (a crossing time)"
                ))
            return false
        case (.some, .some):
            issues.append(ValidationIssue(path: path, message: "give either \"groups\" or \"expression\", not both"))
            return false
        case let (groups?, nil):
            draft.groups = groupList(groups, at: "\(path).groups")
            if let groups = draft.groups, let factors {
                draft.factorIndices = factors.indices.filter { groups.contains(factors[$0].group) }
            }
            return draft.groups != nil
        case let (nil, expression?):
            if let text = optionalString(expression, at: "\(path).expression") {
                switch ParsedExpression.parse(text) {
                case let .success(parsed): draft.parsed = parsed
                case let .failure(error): expressionIssues(error, at: path)
                }
            }
            return draft.parsed != nil
        }
    }

    /// The group names of a `groups` output; nil when any is wrong.
    private mutating func groupList(_ value: JSONValue, at path: String) -> [String]? {
        guard let groupItems = array(value, at: path) else { return nil }
        if groupItems.isEmpty {
            issues.append(ValidationIssue(path: path, message: "must name at least one group"))
            return nil
        }
        var groups: [String] = []
        for (j, g) in groupItems.enumerated() {
            guard let name = string(g, at: "\(path)[\(j)]", pattern: .identifier) else { continue }
            if groups.contains(name) {
                issues.append(
                    ValidationIssue(path: "\(path)[\(j)]", message: "group \(Quoted.string(name)) is listed twice"))
            } else if !knownGroups.contains(name) {
                let known = knownGroups.sorted().joined(separator: ", ")
                issues.append(
                    ValidationIssue(
                        path: "\(path)[\(j)]",
                        message: "no factor is in group \(Quoted.string(name)) (groups: \(known))"))
            } else {
                groups.append(name)
            }
        }
        return groups.count == groupItems.count ? groups : nil
    }

    /// `outputs[1].expression: column 17: ...`, or `outputs[1]: ...` for a problem of the whole.
    private mutating func expressionIssues(_ error: ExpressionError, at path: String) {
        for issue in error.issues {
            issues.append(
                ValidationIssue(path: issue.column == nil ? path : "\(path).expression", message: issue.description))
        }
    }

    /// Compiles the expressions in dependency order (each output's unit known before an output
    /// that uses it), infers every output's unit and checks the declared ones. An output over an
    /// index becomes one output per index value (`frontier_flop[year=2030]`), in index order.
    private mutating func compileOutputs(_ drafts: [OutputDraft], factors: [Factor], brokenFactors: Set<String>)
        -> [Output]?
    {
        let f = factors.count
        let usesUnits =
            factors.contains { $0.unit != nil }
            || drafts.contains {
                $0.declaredUnit != nil || ($0.parsed?.containsUnitLiteral ?? false) || $0.over?.unit != nil
            }
        let refused = checkSeriesUses(drafts, factors: factors)
        // Each cycle is reported once; its outputs are left out, so the others are still checked.
        var uses = drafts.map {
            (id: $0.id ?? "", uses: $0.parsed?.referencedNames ?? $0.first.map { [$0.series] } ?? [])
        }
        var onCycle = Set<Int>()
        var order: [Int] = []
        while true {
            switch ExpressionOrder.dependencyOrder(uses) {
            case let .success(o): order = o
            case let .failure(cycle):
                issues.append(ValidationIssue(path: "outputs", message: cycle.description))
                for (i, u) in uses.enumerated() where cycle.ids.contains(u.id) {
                    onCycle.insert(i)
                    uses[i].uses = []
                }
                continue
            }
            break
        }
        // Where each draft's outputs start in the scenario's list: a series takes one per index value.
        let widths = drafts.map { $0.over?.count ?? 1 }
        let starts = widths.indices.map { widths[..<$0].reduce(0, +) }
        let factorNames = factors.enumerated().map { ExpressionScope.Name(id: $1.id, slot: $0, unit: $1.unit) }
        var outputNames: [ExpressionScope.Name] = []
        for (d, draft) in drafts.enumerated() {
            let id = draft.id ?? ""
            for k in 0..<widths[d] {
                outputNames.append(
                    ExpressionScope.Name(
                        id: draft.over.map { $0.rowName(id, k) } ?? id, slot: f + starts[d] + k, unit: nil))
            }
        }
        var results: [[Output]?] = Array(repeating: nil, count: drafts.count)
        let outputIndex = Dictionary(
            drafts.enumerated().compactMap { i, d in d.id.map { ($0, i) } }, uniquingKeysWith: { a, _ in a })
        let seriesIds = Set(drafts.compactMap { $0.over == nil ? nil : $0.id })
        for o in order {
            let draft = drafts[o]
            guard draft.complete, !onCycle.contains(o), !refused.contains(o), let id = draft.id else { continue }
            var output = Output(
                id: id, label: draft.label ?? id, groups: draft.groups ?? [], factorIndices: draft.factorIndices)
            output.years = draft.years
            output.thresholds = draft.thresholds
            output.declaresUnit = draft.declaredUnit != nil
            if let first = draft.first {
                guard let j = outputIndex[first.series], let points = results[j], let index = drafts[j].over else {
                    continue
                }
                output.crossing = CrossingTime(
                    series: first.series, level: first.level, above: first.above, index: index,
                    points: points.indices.map { starts[j] + $0 })
                output.factorIndices = Set(points.flatMap(\.factorIndices)).sorted()
                output.unit = index.unit ?? .dimensionless
                if let declared = draft.declaredUnit, declared != output.unit {
                    issues.append(
                        ValidationIssue(
                            path: draft.path,
                            message: UnitOfMeasure.mismatchMessage(inferred: output.unit, declared: declared)))
                    continue
                }
            } else if let parsed = draft.parsed {
                // A name that is a broken factor or output was reported where it is defined.
                let blocked = parsed.referencedNames.contains { name in
                    brokenFactors.contains(name) || outputIndex[name].map { results[$0] == nil } ?? false
                }
                if blocked { continue }
                let scope = ExpressionScope(factors: factorNames, outputs: outputNames)
                var compiled: [Output] = []
                for k in 0..<widths[o] {
                    let point =
                        draft.over.map { Self.pointExpression(parsed, index: $0, position: k, series: seriesIds) }
                        ?? parsed
                    switch CompiledExpression.compile(
                        point, scope: scope, declaredUnit: draft.declaredUnit, usesUnits: usesUnits)
                    {
                    case let .failure(error):
                        expressionIssues(error, at: draft.path)
                    case let .success(expression):
                        var p = output
                        p.expression = OutputExpression(expression)
                        p.unit = expression.unit
                        var indices = Set<Int>()
                        for name in parsed.referencedNames {
                            if let fk = factors.firstIndex(where: { $0.id == name }) { indices.insert(fk) }
                            if let j = outputIndex[name], let used = results[j] {
                                indices.formUnion(used[used.count == 1 ? 0 : k].factorIndices)
                            }
                        }
                        p.factorIndices = indices.sorted()
                        if let index = draft.over {
                            p.id = index.rowName(id, k)
                            p.series = SeriesPoint(series: id, index: index, position: k)
                        }
                        outputNames[starts[o] + k].unit = p.unit
                        compiled.append(p)
                        continue
                    }
                    break
                }
                if compiled.count < widths[o] { continue }
                results[o] = compiled
                continue
            } else {
                output.unit = draft.factorIndices.reduce(UnitOfMeasure.dimensionless) {
                    $0 * (factors[$1].unit ?? .dimensionless)
                }
                if let declared = draft.declaredUnit, declared != output.unit {
                    issues.append(
                        ValidationIssue(
                            path: draft.path,
                            message: UnitOfMeasure.mismatchMessage(inferred: output.unit, declared: declared)))
                    continue
                }
            }
            outputNames[starts[o]].unit = output.unit
            results[o] = [output]
        }
        let outputs = results.compactMap { $0 }
        return outputs.count == drafts.count ? outputs.flatMap { $0 } : nil
    }

    static let derivedKeys: Set<String> = ["id", "label", "unit", "baseline", "divide_by"]

    mutating func derivedList(_ value: JSONValue?, outputs: [Output]?) -> [Derived]? {
        guard let value else { return [] }
        guard let items = array(value, at: "derived") else { return nil }
        var result: [Derived] = []
        for (i, item) in items.enumerated() {
            let path = "derived[\(i)]"
            guard object(item, at: path, allowed: Self.derivedKeys, required: ["id", "baseline", "divide_by"]) != nil
            else { continue }
            let id = string(item["id"], at: "\(path).id", pattern: .identifier)
            let label = optionalString(item["label"], at: "\(path).label")
            let unit = optionalString(item["unit"], at: "\(path).unit") ?? ""
            let baseline = number(item["baseline"], at: "\(path).baseline", rule: .baseline)
            let target = string(item["divide_by"], at: "\(path).divide_by", pattern: nil)
            var index: Int?
            if let target, let outputs {
                index = outputs.firstIndex { $0.id == target }
                if let i = index, outputs[i].crossing != nil {
                    issues.append(
                        ValidationIssue(
                            path: "\(path).divide_by",
                            message:
                                "output \(Quoted.string(target)) is a crossing time, which has no value in the trials that never cross; divide by another output"
                        ))
                    index = nil
                } else if index == nil {
                    issues.append(
                        ValidationIssue(
                            path: "\(path).divide_by",
                            message:
                                "no output has id \(Quoted.string(target)) (outputs: \(outputs.map(\.id).joined(separator: ", ")))"
                        ))
                }
            }
            guard let id, let baseline, let index else { continue }
            result.append(Derived(id: id, label: label ?? id, unit: unit, baseline: baseline, outputIndex: index))
        }
        return result.count == items.count ? result : nil
    }

    static let correlationKeys: Set<String> = ["between", "rank"]

    /// The scenario's own correlations; `imported` ones (between imported factors) come before
    /// them, so a pair may not be given again.
    mutating func correlationList(_ value: JSONValue?, factors: [Factor]?, imported: [Correlation] = [])
        -> [Correlation]?
    {
        guard let value else { return [] }
        guard let items = array(value, at: "correlations") else { return nil }
        var result: [Correlation] = []
        var seen = Set(imported.map { [$0.first, $0.second] })
        for (i, item) in items.enumerated() {
            let path = "correlations[\(i)]"
            guard object(item, at: path, allowed: Self.correlationKeys, required: ["between", "rank"]) != nil else {
                continue
            }
            let rank = number(item["rank"], at: "\(path).rank", rule: .openCorrelation)
            guard let pair = array(item["between"], at: "\(path).between") else { continue }
            guard pair.count == 2 else {
                issues.append(
                    ValidationIssue(path: "\(path).between", message: "expected two factor ids, found \(pair.count)"))
                continue
            }
            var indices: [Int] = []
            for (j, p) in pair.enumerated() {
                guard let id = string(p, at: "\(path).between[\(j)]", pattern: nil), let factors else { continue }
                guard let k = factors.firstIndex(where: { $0.id == id }) else {
                    issues.append(
                        ValidationIssue(path: "\(path).between[\(j)]", message: "no factor has id \(Quoted.string(id))")
                    )
                    continue
                }
                if factors[k].distribution.isFixed {
                    issues.append(
                        ValidationIssue(
                            path: "\(path).between[\(j)]",
                            message: "factor \(Quoted.string(id)) is fixed and cannot be correlated"))
                    continue
                }
                indices.append(k)
            }
            guard indices.count == 2, let rank else { continue }
            if indices[0] == indices[1] {
                issues.append(
                    ValidationIssue(path: "\(path).between", message: "a factor cannot be correlated with itself"))
                continue
            }
            let key = indices.sorted()
            if !seen.insert(key).inserted {
                issues.append(
                    ValidationIssue(path: "\(path).between", message: "this pair is already given a correlation"))
                continue
            }
            result.append(Correlation(first: key[0], second: key[1], rank: rank))
        }
        return result.count == items.count ? result : nil
    }

    static let publishedKeys: Set<String> = ["metric", "statistic", "value", "note"]

    mutating func publishedList(_ value: JSONValue?, scenario: Scenario) -> [PublishedFigure]? {
        guard let value else { return [] }
        guard let items = array(value, at: "published") else { return nil }
        var result: [PublishedFigure] = []
        var seen: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            let path = "published[\(i)]"
            guard
                object(item, at: path, allowed: Self.publishedKeys, required: ["metric", "statistic", "value"]) != nil
            else { continue }
            let metric = string(item["metric"], at: "\(path).metric", pattern: nil)
            let statistic = string(item["statistic"], at: "\(path).statistic", pattern: nil)
            let value = number(item["value"], at: "\(path).value", rule: .any)
            let note = optionalString(item["note"], at: "\(path).note") ?? ""
            if let metric, !scenario.metricNames.contains(metric) {
                issues.append(
                    ValidationIssue(
                        path: "\(path).metric",
                        message:
                            "no metric \(Quoted.string(metric)) (metrics: \(scenario.metricNames.joined(separator: ", ")))"
                    ))
            }
            let columns = SummaryColumns(scenario).comparableNames
            if let statistic, !columns.contains(statistic) {
                issues.append(
                    ValidationIssue(
                        path: "\(path).statistic",
                        message:
                            "no statistic \(Quoted.string(statistic)) (statistics: \(columns.joined(separator: ", ")))")
                )
            }
            guard let metric, let statistic, let value else { continue }
            if let first = seen.updateValue(i, forKey: "\(metric) \(statistic)") {
                issues.append(
                    ValidationIssue(
                        path: path,
                        message: "\(metric) \(statistic) is already given at published[\(first)]; give each figure once"
                    ))
                continue
            }
            result.append(PublishedFigure(metric: metric, statistic: statistic, value: value, note: note))
        }
        return result
    }

    mutating func checkUniqueNames(factors: [Factor]?, outputs: [Output]?, derived: [Derived]?, years: Double?) {
        var seen: [String: String] = [:]
        func claim(_ name: String, _ path: String) {
            if let first = seen[name] {
                issues.append(
                    ValidationIssue(
                        path: path,
                        message:
                            "id \(Quoted.string(name)) is already used at \(first); ids of factors, outputs and derived values must be unique"
                    ))
            } else {
                seen[name] = path
            }
        }
        for (i, f) in (factors ?? []).enumerated() { claim(f.id, "factors[\(i)].id") }
        let outputs = outputs ?? []
        let fileIndices = Output.fileIndices(outputs)
        for (i, o) in outputs.enumerated() where (o.series?.position ?? 0) == 0 {
            claim(o.series?.series ?? o.id, "outputs[\(fileIndices[i])].id")
            if o.perYearSpan(scenarioYears: years) != nil {
                claim("\(o.id)_per_year", "outputs[\(fileIndices[i])].id (its per-year row)")
            }
        }
        for (i, d) in (derived ?? []).enumerated() {
            claim(d.id, "derived[\(i)].id")
            // Factors' and outputs' ids were checked against indices with the outputs.
            for (j, o) in outputs.enumerated() where o.series?.position == 0 && o.series?.index.id == d.id {
                issues.append(
                    ValidationIssue(
                        path: "outputs[\(fileIndices[j])].over.id",
                        message:
                            "index \(Quoted.string(d.id)) is also the id of a derived value; an index needs a name of its own"
                    ))
            }
        }
    }

    /// A per-year row is x^(1/years): a growth rate of a dimensionless multiplier only.
    mutating func checkPerYearUnits(outputs: [Output]?, years: Double?) {
        let outputs = outputs ?? []
        let fileIndices = Output.fileIndices(outputs)
        for (i, o) in outputs.enumerated()
        where !o.unit.isDimensionless && o.perYearSpan(scenarioYears: years) != nil && (o.series?.position ?? 0) == 0 {
            let why =
                o.years == .scenario
                ? " (the scenario's \"years\" applies to it; give this output \"years\": null)" : ""
            issues.append(
                ValidationIssue(
                    path: "outputs[\(fileIndices[i])].years",
                    message:
                        "a per-year row is x^(1/years), which needs a dimensionless output; this one is in \(o.unit)\(why)"
                ))
        }
    }
}
