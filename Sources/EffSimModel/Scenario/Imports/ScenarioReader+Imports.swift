import EffSimCore
import Foundation

/// The imported parts of a scenario, flattened: every imported factor once (ids `alias.id`,
/// groups `alias.group`), the imports' correlations between them, and every imported output as
/// a draft the importing scenario's outputs may use.
struct ImportedModel {
    var factors: [Factor] = []
    var correlations: [Correlation] = []
    /// Every imported output, once each, in import order, with its ids renamed.
    var outputs: [ScenarioReader.OutputDraft] = []
    /// Where each of `outputs` is defined (`ScenarioImport.outputOrigins`).
    var outputOrigins: [String] = []
    /// A name that reaches a factor or output of a file already reached by an earlier path,
    /// mapped to the first path's name (the one the flattened scenario uses).
    var aliases: [String: String] = [:]
    var imports: [ScenarioImport] = []

    /// The imported outputs `names` use, directly or through other imported outputs, in order.
    func outputs(neededBy names: [String]) -> [ScenarioReader.OutputDraft] {
        var needed = Set<String>()
        var queue = names
        let byID = Dictionary(outputs.map { ($0.id ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        while let name = queue.popLast() {
            guard let draft = byID[name], needed.insert(name).inserted else { continue }
            queue += draft.parsed?.referencedNames ?? []
        }
        return outputs.filter { needed.contains($0.id ?? "") }
    }

    /// The message for a name `alias.x` that the import does not have, or that names a shared
    /// file through its second path; nil when the name is fine or not an imported one.
    func problem(with name: String) -> String? {
        // `imports` left out: the reason is listed where the import is.
        guard let i = imports.first(where: { name.hasPrefix($0.alias + ".") }) else { return nil }
        if let first = aliases[name] {
            return
                "\(Quoted.string(name)) names what \(Quoted.string(first)) names: \(Quoted.path(i.key)) reaches a file that an earlier import reaches too, and a file reached by two paths is one set of factors, named by the first path; write \(Quoted.string(first))"
        }
        if factors.contains(where: { $0.id == name }) || outputs.contains(where: { $0.id == name }) { return nil }
        let s = i.scenario
        let inner = String(name.dropFirst(i.alias.count + 1))
        return
            "unknown name \(Quoted.string(name)): the scenario imported as \(Quoted.string(i.alias)) (\(Quoted.path(i.key))) has no factor or output \(Quoted.string(inner)) (factors: \(s.factors.map(\.id).joined(separator: ", ")); outputs: \(s.outputs.map(\.id).joined(separator: ", ")))"
    }
}

extension ScenarioReader {
    static let importKeys: Set<String> = ["as", "file", "scenario"]

    /// The entries of `imports` (each with its document filled in by `ImportResolver`), each
    /// imported scenario read by its own rules; those that are wrong are left out (their issues
    /// listed, their aliases in `failedImports`), so the rest of the scenario is still checked.
    mutating func importList(_ value: JSONValue?) -> [ScenarioImport]? {
        guard let value else { return [] }
        guard let items = array(value, at: "imports") else { return nil }
        // Every scenario then has a factor: its own, or its imports' (whose own imports end in one).
        if items.isEmpty {
            issues.append(
                ValidationIssue(path: "imports", message: "must list at least one import (or leave \"imports\" out)"))
        }
        var result: [ScenarioImport] = []
        var seen: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            let path = "imports[\(i)]"
            if case let .string(a)? = item["as"], seen[a] == nil { failedImports.insert(a) }
            guard object(item, at: path, allowed: Self.importKeys, required: ["as", "file"]) != nil else { continue }
            var alias = string(item["as"], at: "\(path).as", pattern: nil)
            if let a = alias,
                a.contains(".") || !ParsedExpression.isBareName(a) || a.count > Scenario.maximumIdentifierLength
            {
                issues.append(
                    ValidationIssue(
                        path: "\(path).as",
                        message:
                            "\(Quoted.string(a)) must be a name of letters, digits and '_' that starts with a letter or '_' (expressions write \(Quoted.string(a)).id without backquotes)"
                    ))
                alias = nil
            } else if let a = alias, let first = seen[a] {
                issues.append(
                    ValidationIssue(
                        path: "\(path).as",
                        message:
                            "\(Quoted.string(a)) is already used at imports[\(first)]; give each import its own name"))
                alias = nil
            }
            if let alias { seen[alias] = i }
            let file = string(item["file"], at: "\(path).file", pattern: nil)
            // No "scenario" left by the resolver: it said why (in the importing file's message).
            if item["scenario"] == nil { unresolvedImports = true }
            guard let alias, let file, let inline = item["scenario"] else { continue }
            let key = ImportResolver.key(file, from: self.file)
            do {
                let scenario = try ScenarioReader.readResolved(inline, file: key)
                result.append(ScenarioImport(alias: alias, file: file, scenario: scenario, key: key))
                failedImports.remove(alias)
            } catch let e as ScenarioError {
                issues += e.issues.map { ValidationIssue(path: path, message: "\(Quoted.path(key)): \($0)") }
            } catch {
                issues.append(ValidationIssue(path: path, message: "\(Quoted.path(key)): \(error)"))
            }
        }
        return result
    }

    /// The imports' factors, correlations and outputs under the importing scenario's names. A
    /// file reached by two paths (its origin seen before) adds nothing the second time: its names
    /// on that path become aliases of the first path's.
    mutating func flatten(_ imports: [ScenarioImport]) -> ImportedModel {
        var model = ImportedModel(imports: imports)
        var factorAt: [String: Int] = [:]
        for (n, imp) in imports.enumerated() {
            let s = imp.scenario
            var local: [Int] = []
            for (f, origin) in zip(s.factors, imp.factorOrigins) {
                let id = "\(imp.alias).\(f.id)"
                if let j = factorAt[origin] {
                    model.aliases[id] = model.factors[j].id
                    var same = f
                    same.id = model.factors[j].id
                    same.group = model.factors[j].group
                    same.label = model.factors[j].label
                    if same != model.factors[j] {
                        issues.append(
                            ValidationIssue(
                                path: "imports[\(n)]",
                                message:
                                    "factor \(Quoted.string(id)) comes from the same file as \(Quoted.string(model.factors[j].id)) but differs from it; a file reached by two paths is sampled once, so edit it at its first path (\(Quoted.string(model.factors[j].id)))"
                            ))
                    }
                    local.append(j)
                    continue
                }
                var g = f
                g.id = id
                if !g.group.isEmpty { g.group = "\(imp.alias).\(f.group)" }
                factorAt[origin] = model.factors.count
                local.append(model.factors.count)
                model.factors.append(g)
            }
            let pairs = Set(model.correlations.map { [$0.first, $0.second] })
            for c in s.correlations {
                let a = Swift.min(local[c.first], local[c.second])
                let b = Swift.max(local[c.first], local[c.second])
                if !pairs.contains([a, b]) {
                    model.correlations.append(Correlation(first: a, second: b, rank: c.rank))
                }
            }
            var fresh: [(output: Output, origin: String)] = []
            for (o, origin) in zip(s.outputs, imp.outputOrigins) {
                if let k = model.outputOrigins.firstIndex(of: origin) {
                    model.aliases["\(imp.alias).\(o.id)"] = model.outputs[k].id
                } else {
                    fresh.append((o, origin))
                }
            }
            let rename = { (name: String) -> String in
                let prefixed = "\(imp.alias).\(name)"
                return model.aliases[prefixed] ?? prefixed
            }
            for (o, origin) in fresh {
                var draft = OutputDraft(
                    path: "imports[\(n)]", id: "\(imp.alias).\(o.id)", label: o.label, years: .none, complete: true)
                draft.declaredUnit = o.declaresUnit ? o.unit : nil
                if let e = o.expression {
                    draft.parsed = try? ParsedExpression.parse(
                        ParsedExpression.parse(e.text).get().renamingNames(rename)
                    ).get()
                    draft.complete = draft.parsed != nil
                } else {
                    draft.groups = o.groups.map { "\(imp.alias).\($0)" }
                    draft.factorIndices = o.factorIndices.map { local[$0] }.sorted()
                }
                model.outputs.append(draft)
                model.outputOrigins.append(origin)
            }
        }
        return model
    }

    /// Own ids may not start with an import's `alias.`: those names are the import's.
    mutating func checkImportPrefixes(_ doc: JSONValue, aliases: [String]) {
        for key in ["factors", "outputs", "derived"] {
            guard case let .array(items)? = doc[key] else { continue }
            for (k, item) in items.enumerated() {
                guard case let .string(id)? = item["id"], let alias = aliases.first(where: { id.hasPrefix($0 + ".") })
                else { continue }
                issues.append(
                    ValidationIssue(
                        path: "\(key)[\(k)].id",
                        message:
                            "id \(Quoted.string(id)) starts with \(Quoted.string(alias + ".")), which names the scenario imported as \(Quoted.string(alias)); choose another id"
                    ))
            }
        }
    }
}
