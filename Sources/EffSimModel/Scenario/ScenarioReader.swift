import EffSimCore
import Foundation

/// Turns a JSON document into a `Scenario`, or refuses it with every broken rule listed.
///
/// Rules are checked here, once; see README "Scenario format" and `Scenarios/scenario.schema.json`.
public struct ScenarioReader {
    package var issues: [ValidationIssue] = []
    /// Groups named by any factor, valid or not, so outputs can be checked against them even
    /// when a factor elsewhere is broken (no spurious "no such group" on top of the real problem).
    var knownGroups: Set<String> = []
    /// Ids of factors that were refused, so an expression that uses one is not also called wrong.
    var brokenFactors: Set<String> = []
    /// The file the document was read from: imports are relative to its folder.
    var file = ""
    /// How many imported outputs `outputList` added after the scenario's own.
    var importedOutputCount = 0
    /// The aliases of imports that were refused: names under them are not checked again.
    var failedImports: Set<String> = []
    /// Whether an import has no document: `ImportResolver` refused its file.
    var unresolvedImports = false

    /// An empty reader: `Sweep.load` borrows its typed readers for the sweep file's own keys.
    package init() {}

    /// Reads and validates a scenario file.
    public static func load(path: String) throws -> Scenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(
                file: path,
                issues: [ValidationIssue(path: "", message: "cannot read the file (missing or not readable)")])
        }
        return try parse(data, file: path)
    }

    /// Validates JSON text; `file` names it in messages.
    public static func parse(_ data: Data, file: String) throws -> Scenario {
        // Repeated keys and inexact numbers are listed with every other problem of the file.
        let (document, problems) = try JSONValue.parseListingProblems(data, file: file)
        let scenario: Scenario
        do { scenario = try read(document, file: file) } catch let error as ScenarioError {
            throw ScenarioError(file: file, issues: problems + error.issues)
        }
        guard problems.isEmpty else { throw ScenarioError(file: file, issues: problems) }
        return scenario
    }

    /// Validates an already parsed document (sweeps edit documents before reading them). The
    /// files it imports are read relative to `file`'s folder, unless the document holds them
    /// already (`ImportResolver`).
    public static func read(_ document: JSONValue, file: String) throws -> Scenario {
        let (resolved, problems) = ImportResolver.resolve(document, file: file)
        do { return try readResolved(resolved, file: file, problems: problems) } catch let error as ScenarioError {
            throw ScenarioError(file: file, issues: problems + error.issues.filter { !problems.contains($0) })
        }
    }

    /// Validates a document whose imports hold their documents (an import without one was
    /// refused by `ImportResolver`, whose `problems` come first).
    static func readResolved(_ document: JSONValue, file: String, problems: [ValidationIssue] = []) throws -> Scenario {
        var reader = ScenarioReader()
        reader.file = file
        reader.issues = problems
        let scenario = reader.scenario(document)
        if let scenario, reader.issues.isEmpty { return scenario }
        throw ScenarioError(file: file, issues: reader.issues)
    }

    // MARK: - The document

    static let topLevelKeys: Set<String> = [
        "$schema", "name", "description", "trials", "seed", "floor", "years", "percentiles",
        "thresholds", "imports", "factors", "outputs", "derived", "correlations", "published",
    ]

    mutating func scenario(_ doc: JSONValue) -> Scenario? {
        // A scenario with imports may have no factors of its own, but says what it computes.
        let importing = doc["imports"] != nil
        guard
            object(
                doc, at: "", allowed: Self.topLevelKeys,
                required: importing ? ["name", "outputs"] : ["name", "factors"]) != nil
        else { return nil }
        let name = string(doc["name"], at: "name", pattern: .identifier)
        let description = optionalString(doc["description"], at: "description") ?? ""
        let trials = integer(doc["trials"], at: "trials", range: 1...Scenario.maximumTrials) ?? Scenario.defaultTrials
        let seed =
            integer(doc["seed"], at: "seed", range: 0...Int(Scenario.maximumSeed)).map(UInt64.init)
            ?? Scenario.defaultSeed
        // No floor unless the file sets one: a default clamp silently changed fractions.
        let defaultFloor = floorValue(doc["floor"], at: "floor", inherited: nil)
        if let schema = doc["$schema"] { _ = string(schema, at: "$schema", pattern: nil) }
        var years: Double?
        if let y = doc["years"], y != .null {
            years = number(y, at: "years", rule: .years)
        }
        let percentiles =
            numberList(doc["percentiles"], at: "percentiles", rule: .percent) ?? Scenario.defaultPercentiles
        let thresholds =
            numberList(doc["thresholds"], at: "thresholds", rule: .any, allowsEmpty: true) ?? Scenario.defaultThresholds

        // A factor needs a group only when an output multiplies groups (or none is listed: then
        // one output multiplies them all).
        var needsGroups = true
        if case let .array(items)? = doc["outputs"] { needsGroups = items.contains { $0["groups"] != nil } }
        let imports = importList(doc["imports"])
        let imported = imports.map { flatten($0) } ?? ImportedModel()
        for f in imported.factors where !f.group.isEmpty { knownGroups.insert(f.group) }
        let ownFactors = factorList(
            doc["factors"], defaultFloor: defaultFloor, needsGroups: needsGroups, allowsNone: importing)
        // Imported factors come first: factor order decides the draws (`FactorSampler`).
        let factors = ownFactors.map { imported.factors + $0 }
        // The imported outputs the scenario uses come last (`importedOutputCount`).
        var divisors: [String] = []
        if case let .array(items)? = doc["derived"] {
            divisors = items.compactMap { if case let .string(s)? = $0["divide_by"] { s } else { nil } }
        }
        let outputs = outputList(
            doc["outputs"], factors: factors, brokenFactors: brokenFactors, imported: imported, alsoUsed: divisors)
        let derived = derivedList(doc["derived"], outputs: outputs)
        let ownCorrelations = correlationList(doc["correlations"], factors: factors, imported: imported.correlations)
        let correlations = ownCorrelations.map { imported.correlations + $0 }
        let ownOutputs = outputs.map { Array($0.dropLast(importedOutputCount)) }
        checkUniqueNames(factors: ownFactors, outputs: ownOutputs, derived: derived, years: years)
        checkImportPrefixes(doc, aliases: (imports ?? []).map(\.alias) + failedImports)
        checkPerYearUnits(outputs: outputs, years: years)
        if let factors, let outputs {
            issues += PositiveRows.problems(factors: factors, outputs: outputs, derived: derived ?? [], years: years)
        }

        guard issues.isEmpty, !unresolvedImports, let name, let factors, let outputs, let ownOutputs else { return nil }
        var scenario = Scenario(
            name: name, description: description, trials: trials, seed: seed, years: years,
            percentiles: percentiles, thresholds: thresholds, factors: factors, outputs: outputs,
            derived: derived ?? [], correlations: correlations ?? [], published: [])
        scenario.imports = imports ?? []
        scenario.importedParts.factors = imported.factors.count
        scenario.importedParts.correlations = imported.correlations.count
        scenario.importedParts.outputs = outputs.count - ownOutputs.count
        scenario.published = publishedList(doc["published"], scenario: scenario) ?? []
        if case let .string(schema)? = doc["$schema"] { scenario.schema = schema }
        if !scenario.correlations.isEmpty, CorrelationMatrix(scenario.correlations) == nil {
            let pairs = scenario.correlations.map {
                "\(factors[$0.first].id)~\(factors[$0.second].id) \(formatNumber($0.rank))"
            }
            issues.append(
                ValidationIssue(
                    path: "correlations",
                    message:
                        "the requested rank correlations (\(pairs.joined(separator: ", "))) do not form a positive definite matrix (no joint distribution has them); weaken some of them"
                ))
        }
        return issues.isEmpty ? scenario : nil
    }

    // MARK: - Factors

    static let factorKeys: Set<String> = ["id", "label", "group", "source", "floor", "distribution", "unit"]

    mutating func factorList(
        _ value: JSONValue?, defaultFloor: Double??, needsGroups: Bool = true, allowsNone: Bool = false
    ) -> [Factor]? {
        if value == nil, allowsNone { return [] }
        guard let items = array(value, at: "factors") else { return nil }
        if items.isEmpty, !allowsNone {
            issues.append(ValidationIssue(path: "factors", message: "must list at least one factor"))
            return nil
        }
        var result: [Factor] = []
        for (i, item) in items.enumerated() {
            let path = "factors[\(i)]"
            guard
                object(
                    item, at: path, allowed: Self.factorKeys,
                    required: needsGroups ? ["id", "group", "distribution"] : ["id", "distribution"]) != nil
            else { continue }
            let id = string(item["id"], at: "\(path).id", pattern: .identifier)
            let label = optionalString(item["label"], at: "\(path).label")
            let group =
                item["group"] == nil && !needsGroups
                ? "" : string(item["group"], at: "\(path).group", pattern: .identifier)
            if let group, !group.isEmpty { knownGroups.insert(group) }
            let source = optionalString(item["source"], at: "\(path).source") ?? ""
            let floor: Double?? =
                item["floor"] == nil ? defaultFloor : floorValue(item["floor"], at: "\(path).floor", inherited: nil)
            let distribution = self.distribution(item["distribution"], at: "\(path).distribution")
            let unit = optionalUnit(item["unit"], at: "\(path).unit")
            guard let id, let group, let distribution, let floor, let unit else {
                if let id { brokenFactors.insert(id) }
                continue
            }
            if distribution.containsBernoulli, floor != nil {
                issues.append(
                    ValidationIssue(
                        path: "\(path).floor",
                        message: "a bernoulli factor needs \"floor\": null (a floor would turn its 0 into the floor)"))
                brokenFactors.insert(id)
                continue
            }
            if !distribution.containsBernoulli, distribution.hasAtomAtZero, floor != nil {
                issues.append(
                    ValidationIssue(
                        path: "\(path).floor",
                        message:
                            "a factor with a fixed 0 needs \"floor\": null (a floor would turn its 0 into the floor)"))
                brokenFactors.insert(id)
                continue
            }
            result.append(
                Factor(
                    id: id, label: label ?? id, group: group, source: source, floor: floor, distribution: distribution,
                    unit: unit))
        }
        // Partial on error: the scenario is refused anyway, and later checks still run.
        return result
    }

    /// A floor is a number > 0 or null (no clamp). Returns .none when invalid, .some(nil) for null.
    mutating func floorValue(_ value: JSONValue?, at path: String, inherited: Double?) -> Double?? {
        guard let value else { return .some(inherited) }
        if value == .null { return .some(nil) }
        guard let f = number(value, at: path, rule: .positive) else { return .none }
        return .some(f)
    }
}
