import EffSimCore
import Foundation

extension Scenario {
    /// The scenario as a JSON document, built from its values: `ScenarioReader` reads it back
    /// into this same scenario. Defaults are written out (every factor's floor, the outputs,
    /// trials and seed) and distributions keep the form their parameters were given in, so the
    /// record of a run (`run.json`, shard state files) shows exactly what was sampled, even for a
    /// scenario edited in Swift.
    public var document: JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        if let schema { members.append(("$schema", .string(schema))) }
        members += [
            ("name", .string(name)),
            ("description", .string(description)),
            ("trials", .number(Double(trials))),
            ("seed", .number(Double(seed))),
        ]
        if let years { members.append(("years", .number(years))) }
        members += [
            ("percentiles", .array(percentiles.map(JSONValue.number))),
            ("thresholds", .array(thresholds.map(JSONValue.number))),
        ]
        // An importing scenario: each import with its whole document, then its own parts only.
        if !imports.isEmpty { members.append(("imports", .array(imports.map(\.document)))) }
        members += [
            ("factors", .array(factors.dropFirst(importedParts.factors).map(\.document))),
            // A series is one entry of the file, however many index values it has.
            (
                "outputs",
                .array(
                    outputs.dropLast(importedParts.outputs).filter { ($0.series?.position ?? 0) == 0 }.map(\.document))
            ),
        ]
        if !derived.isEmpty {
            members.append(
                (
                    "derived",
                    .array(
                        derived.map { d in
                            .object([
                                ("id", .string(d.id)), ("label", .string(d.label)), ("unit", .string(d.unit)),
                                ("baseline", .number(d.baseline)), ("divide_by", .string(outputs[d.outputIndex].id)),
                            ])
                        })
                ))
        }
        if correlations.count > importedParts.correlations {
            members.append(
                (
                    "correlations",
                    .array(
                        correlations.dropFirst(importedParts.correlations).map { c in
                            .object([
                                ("between", .array([.string(factors[c.first].id), .string(factors[c.second].id)])),
                                ("rank", .number(c.rank)),
                            ])
                        })
                ))
        }
        if !published.isEmpty {
            members.append(
                (
                    "published",
                    .array(
                        published.map { p in
                            .object([
                                ("metric", .string(p.metric)), ("statistic", .string(p.statistic)),
                                ("value", .number(p.value)), ("note", .string(p.note)),
                            ])
                        })
                ))
        }
        return .object(members)
    }

    /// Checks a scenario built or edited in Swift by the rules a scenario file must keep, by
    /// reading its `document` back: every broken rule is listed (as `ScenarioReader` lists a
    /// file's), and indices that disagree with the ids they stand for are refused.
    public func validate() throws {
        let label = "scenario \"\(name)\" (built in code)"
        let reread = try ScenarioReader.read(document, file: label)
        guard reread == self else {
            throw ScenarioError(
                file: label,
                issues: [
                    ValidationIssue(
                        path: "",
                        message:
                            "what it derives disagrees with what it derives it from: outputs' factor indices or units, or derived values' output indices (set the ids, groups, expressions and units, and read the scenario again)"
                    )
                ])
        }
    }
}

extension Factor {
    var document: JSONValue {
        // A factor without a group (allowed when no output multiplies groups) has no "group" key.
        var members: [(key: String, value: JSONValue)] = [("id", .string(id)), ("label", .string(label))]
        if !group.isEmpty { members.append(("group", .string(group))) }
        members += [
            ("source", .string(source)), ("floor", floor.map(JSONValue.number) ?? .null),
            ("distribution", distribution.document),
        ]
        if let unit { members.append(("unit", .string(unit.description))) }
        return .object(members)
    }
}

extension Output {
    /// Keys beyond a `groups` output's three appear only when set, so the documents (and
    /// fingerprints) of scenarios that use neither expressions nor units stay as they were.
    var document: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("id", .string(series?.series ?? id)), ("label", .string(label)),
        ]
        if let crossing {
            members.append(
                (
                    "first",
                    .object([
                        ("series", .string(crossing.series)),
                        (crossing.above ? "above" : "below", .number(crossing.level)),
                    ])
                ))
        } else if let expression {
            members.append(("expression", .string(expression.text)))
        } else {
            members.append(("groups", .array(groups.map(JSONValue.string))))
        }
        if let index = series?.index {
            var over: [(key: String, value: JSONValue)] = [
                ("id", .string(index.id)), ("from", .number(index.from)), ("to", .number(index.to)),
                ("step", .number(index.step)),
            ]
            if let unit = index.unit { over.append(("unit", .string(unit.description))) }
            members.append(("over", .object(over)))
        }
        if declaresUnit { members.append(("unit", .string(unit.description))) }
        switch years {
        case .scenario: break
        case .none: members.append(("years", .null))
        case let .years(y): members.append(("years", .number(y)))
        }
        if let thresholds { members.append(("thresholds", .array(thresholds.map(JSONValue.number)))) }
        return .object(members)
    }
}
