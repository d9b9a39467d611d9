import Foundation

/// Turns a JSON document into a `Scenario`, or refuses it with every broken rule listed.
///
/// Rules are checked here, once; see README "Scenario format" and `Scenarios/scenario.schema.json`.
public struct ScenarioReader {
    private var issues: [ValidationIssue] = []
    /// Groups named by any factor, valid or not, so outputs can be checked against them even
    /// when a factor elsewhere is broken (no spurious "no such group" on top of the real problem).
    private var knownGroups: Set<String> = []

    private init() {}

    /// Reads and validates a scenario file.
    public static func load(path: String) throws -> Scenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(file: path, issues: [ValidationIssue(path: "", message: "cannot read the file (missing or not readable)")])
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

    /// Validates an already parsed document (sweeps edit documents before reading them).
    public static func read(_ document: JSONValue, file: String) throws -> Scenario {
        var reader = ScenarioReader()
        let scenario = reader.scenario(document)
        if let scenario, reader.issues.isEmpty { return scenario }
        throw ScenarioError(file: file, issues: reader.issues)
    }

    // MARK: - The document

    static let topLevelKeys: Set<String> = [
        "$schema", "name", "description", "trials", "seed", "floor", "years", "percentiles",
        "thresholds", "factors", "outputs", "derived", "correlations", "published",
    ]

    private mutating func scenario(_ doc: JSONValue) -> Scenario? {
        guard object(doc, at: "", allowed: Self.topLevelKeys, required: ["name", "factors"]) != nil else { return nil }
        let name = string(doc["name"], at: "name", pattern: .identifier)
        let description = optionalString(doc["description"], at: "description") ?? ""
        let trials = integer(doc["trials"], at: "trials", range: 1...Scenario.maximumTrials) ?? Scenario.defaultTrials
        let seed = integer(doc["seed"], at: "seed", range: 0...Int(Scenario.maximumSeed)).map(UInt64.init) ?? Scenario.defaultSeed
        let defaultFloor = floorValue(doc["floor"], at: "floor", inherited: 1.0)
        if let schema = doc["$schema"] { _ = string(schema, at: "$schema", pattern: nil) }
        var years: Double?
        if let y = doc["years"], y != .null {
            years = number(y, at: "years", rule: .years)
        }
        let percentiles = numberList(doc["percentiles"], at: "percentiles", rule: .percent) ?? Scenario.defaultPercentiles
        let thresholds = numberList(doc["thresholds"], at: "thresholds", rule: .any) ?? Scenario.defaultThresholds

        let factors = factorList(doc["factors"], defaultFloor: defaultFloor)
        let outputs = outputList(doc["outputs"], factors: factors)
        let derived = derivedList(doc["derived"], outputs: outputs)
        let correlations = correlationList(doc["correlations"], factors: factors)
        checkUniqueNames(factors: factors, outputs: outputs, derived: derived, years: years)
        if let factors, let outputs {
            issues += PositiveRows.problems(factors: factors, outputs: outputs, derived: derived ?? [], years: years)
        }

        guard issues.isEmpty, let name, let factors, let outputs else { return nil }
        var scenario = Scenario(
            name: name, description: description, trials: trials, seed: seed, years: years,
            percentiles: percentiles, thresholds: thresholds, factors: factors, outputs: outputs,
            derived: derived ?? [], correlations: correlations ?? [], published: [])
        scenario.published = publishedList(doc["published"], scenario: scenario) ?? []
        if case let .string(schema)? = doc["$schema"] { scenario.schema = schema }
        if !scenario.correlations.isEmpty, CorrelationMatrix(scenario.correlations) == nil {
            let pairs = scenario.correlations.map { "\(factors[$0.first].id)~\(factors[$0.second].id) \(formatNumber($0.rank))" }
            issues.append(ValidationIssue(path: "correlations", message: "the requested rank correlations (\(pairs.joined(separator: ", "))) do not form a positive definite matrix (no joint distribution has them); weaken some of them"))
        }
        return issues.isEmpty ? scenario : nil
    }

    // MARK: - Factors

    static let factorKeys: Set<String> = ["id", "label", "group", "source", "floor", "distribution"]

    private mutating func factorList(_ value: JSONValue?, defaultFloor: Double??) -> [Factor]? {
        guard let items = array(value, at: "factors") else { return nil }
        if items.isEmpty {
            issues.append(ValidationIssue(path: "factors", message: "must list at least one factor"))
            return nil
        }
        var result: [Factor] = []
        for (i, item) in items.enumerated() {
            let path = "factors[\(i)]"
            guard object(item, at: path, allowed: Self.factorKeys, required: ["id", "group", "distribution"]) != nil else { continue }
            let id = string(item["id"], at: "\(path).id", pattern: .identifier)
            let label = optionalString(item["label"], at: "\(path).label")
            let group = string(item["group"], at: "\(path).group", pattern: .identifier)
            if let group { knownGroups.insert(group) }
            let source = optionalString(item["source"], at: "\(path).source") ?? ""
            let floor: Double?? = item["floor"] == nil ? defaultFloor : floorValue(item["floor"], at: "\(path).floor", inherited: nil)
            let distribution = self.distribution(item["distribution"], at: "\(path).distribution")
            guard let id, let group, let distribution, let floor else { continue }
            if distribution.containsBernoulli, floor != nil {
                issues.append(ValidationIssue(path: "\(path).floor", message: "a bernoulli factor needs \"floor\": null (a floor would turn its 0 into the floor)"))
                continue
            }
            result.append(Factor(id: id, label: label ?? id, group: group, source: source, floor: floor, distribution: distribution))
        }
        // Partial on error: the scenario is refused anyway, and later checks still run.
        return result
    }

    /// A floor is a number > 0 or null (no clamp). Returns .none when invalid, .some(nil) for null.
    private mutating func floorValue(_ value: JSONValue?, at path: String, inherited: Double?) -> Double?? {
        guard let value else { return .some(inherited) }
        if value == .null { return .some(nil) }
        guard let f = number(value, at: path, rule: .positive) else { return .none }
        return .some(f)
    }

    static let distributionKeys: [String: Set<String>] = [
        "lognormal": ["type", "ci", "level", "median", "sigma"],
        "normal": ["type", "ci", "level", "mean", "sd", "lower", "upper"],
        "fixed": ["type", "value"],
        "uniform": ["type", "min", "max"],
        "loguniform": ["type", "min", "max"],
        "triangular": ["type", "min", "mode", "max"],
        "pert": ["type", "min", "mode", "max", "lambda"],
        "beta": ["type", "alpha", "beta", "min", "max"],
        "bernoulli": ["type", "p"],
        "mixture": ["type", "components"],
    ]

    /// Keys a type cannot do without (lognormal and normal have two forms, checked apart).
    static let distributionRequiredKeys: [String: [String]] = [
        "fixed": ["value"], "uniform": ["min", "max"], "loguniform": ["min", "max"],
        "triangular": ["min", "mode", "max"], "pert": ["min", "mode", "max"],
        "beta": ["alpha", "beta"], "bernoulli": ["p"], "mixture": ["components"],
    ]

    static let componentKeys: Set<String> = ["weight", "distribution"]

    private mutating func distribution(_ value: JSONValue?, at path: String, insideMixture: Bool = false) -> Distribution? {
        guard let value else { return nil }
        guard case .object = value else {
            issues.append(ValidationIssue(path: path, message: "expected an object, found \(value.typeName)"))
            return nil
        }
        guard let type = string(value["type"], at: "\(path).type", pattern: nil) else { return nil }
        guard let allowed = Self.distributionKeys[type] else {
            issues.append(ValidationIssue(path: "\(path).type", message: "unknown distribution type \(Quoted.string(type)); expected one of: \(Self.distributionKeys.keys.sorted().joined(separator: ", "))"))
            return nil
        }
        if insideMixture && type == "mixture" {
            issues.append(ValidationIssue(path: path, message: "a mixture cannot contain a mixture"))
            return nil
        }
        guard object(value, at: path, allowed: allowed, required: ["type"] + (Self.distributionRequiredKeys[type] ?? [])) != nil else { return nil }
        // The JSON's shape is checked here; the parameters' rules live with each distribution.
        func num(_ key: String) -> Double? { number(value[key], at: "\(path).\(key)", rule: .any) }
        do {
            switch type {
            case "uniform", "loguniform":
                let lo = num("min"), hi = num("max")
                guard let lo, let hi else { return nil }
                return type == "uniform" ? try .uniform(min: lo, max: hi) : try .logUniform(min: lo, max: hi)
            case "triangular", "pert":
                let lo = num("min"), mode = num("mode"), hi = num("max")
                let lambda: Double?? = value["lambda"] == nil ? .some(nil) : num("lambda").map { Optional<Double>.some($0) }
                guard let lo, let mode, let hi, let lambda else { return nil }
                return type == "triangular" ? try .triangular(min: lo, mode: mode, max: hi) : try .pert(min: lo, mode: mode, max: hi, lambda: lambda)
            case "beta":
                let a = num("alpha"), b = num("beta")
                let lo: Double?? = value["min"] == nil ? .some(nil) : num("min").map { Optional<Double>.some($0) }
                let hi: Double?? = value["max"] == nil ? .some(nil) : num("max").map { Optional<Double>.some($0) }
                guard let a, let b, let lo, let hi else { return nil }
                return try .beta(alpha: a, beta: b, min: lo, max: hi)
            case "bernoulli":
                guard let p = num("p") else { return nil }
                return try .bernoulli(p: p)
            case "mixture":
                guard let items = array(value["components"], at: "\(path).components") else { return nil }
                var components: [(weight: Double, distribution: Distribution)] = []
                for (i, item) in items.enumerated() {
                    let at = "\(path).components[\(i)]"
                    guard object(item, at: at, allowed: Self.componentKeys, required: ["weight", "distribution"]) != nil else { continue }
                    let weight = number(item["weight"], at: "\(at).weight", rule: .any)
                    let d = distribution(item["distribution"], at: "\(at).distribution", insideMixture: true)
                    if let weight, let d { components.append((weight, d)) }
                }
                guard components.count == items.count else { return nil }
                return try .mixture(components: components)
            case "fixed":
                guard let v = number(value["value"], at: "\(path).value", rule: .any) else { return nil }
                return try .fixed(v)
            case "lognormal":
                guard let form = parameterForm(value, at: path, ciKeys: ["ci", "level"], directKeys: ["median", "sigma"]) else { return nil }
                if form == .ci {
                    guard let (lo, hi, level) = ci(value, at: path) else { return nil }
                    return try .logNormal(ci: lo, hi, level: level)
                }
                let median = number(value["median"], at: "\(path).median", rule: .any)
                let sigma = number(value["sigma"], at: "\(path).sigma", rule: .any)
                guard let median, let sigma else { return nil }
                return try .logNormal(median: median, sigma: sigma)
            default:
                guard let form = parameterForm(value, at: path, ciKeys: ["ci", "level"], directKeys: ["mean", "sd"]) else { return nil }
                let lower = optionalNumber(value["lower"], at: "\(path).lower")
                let upper = optionalNumber(value["upper"], at: "\(path).upper")
                guard let lower, let upper else { return nil }
                if form == .ci {
                    guard let (a, b, level) = ci(value, at: path) else { return nil }
                    return try .normal(ci: a, b, level: level, lower: lower, upper: upper)
                }
                let mean = number(value["mean"], at: "\(path).mean", rule: .any)
                let sd = number(value["sd"], at: "\(path).sd", rule: .any)
                guard let mean, let sd else { return nil }
                return try .normal(mean: mean, sd: sd, lower: lower, upper: upper)
            }
        } catch let error as DistributionError {
            for issue in error.issues {
                issues.append(ValidationIssue(path: issue.path.isEmpty ? path : "\(path).\(issue.path)", message: issue.message))
            }
            return nil
        } catch {
            issues.append(ValidationIssue(path: path, message: "\(error)"))
            return nil
        }
    }

    private enum ParameterForm { case ci, direct }

    /// Exactly one of the two ways to give a distribution's parameters; `level` goes with `ci` only.
    private mutating func parameterForm(_ value: JSONValue, at path: String, ciKeys: [String], directKeys: [String]) -> ParameterForm? {
        let hasCI = ciKeys.contains { value[$0] != nil }
        let hasDirect = directKeys.contains { value[$0] != nil }
        let both = ciKeys.joined(separator: "+") + " or " + directKeys.joined(separator: "+")
        if hasCI && hasDirect {
            issues.append(ValidationIssue(path: path, message: "give either \(both), not both"))
            return nil
        }
        if !hasCI && !hasDirect {
            issues.append(ValidationIssue(path: path, message: "missing parameters: give \(both)"))
            return nil
        }
        let needed = hasCI ? ciKeys : directKeys
        let missing = needed.filter { value[$0] == nil }
        if !missing.isEmpty {
            for key in missing {
                let why = key == "level" ? " (the confidence level of \"ci\", e.g. 0.8; there is no default)" : ""
                issues.append(ValidationIssue(path: "\(path).\(key)", message: "required\(why)"))
            }
            return nil
        }
        return hasCI ? .ci : .direct
    }

    /// The numbers of a `ci` + `level` pair; their rules are the distribution's.
    private mutating func ci(_ value: JSONValue, at path: String) -> (Double, Double, Double)? {
        let level = number(value["level"], at: "\(path).level", rule: .any)
        guard let items = array(value["ci"], at: "\(path).ci") else { return nil }
        guard items.count == 2 else {
            issues.append(ValidationIssue(path: "\(path).ci", message: "expected two numbers [low, high], found \(items.count)"))
            return nil
        }
        let lo = number(items[0], at: "\(path).ci[0]", rule: .any)
        let hi = number(items[1], at: "\(path).ci[1]", rule: .any)
        guard let lo, let hi, let level else { return nil }
        return (lo, hi, level)
    }

    // MARK: - Outputs, derived values, correlations, published figures

    static let outputKeys: Set<String> = ["id", "label", "groups"]

    private mutating func outputList(_ value: JSONValue?, factors: [Factor]?) -> [Output]? {
        guard let value else {
            // No outputs given: one output multiplying every factor.
            guard let factors else { return nil }
            let groups = factors.map(\.group).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            return [Output(id: "total", label: "All factors", groups: groups, factorIndices: Array(factors.indices))]
        }
        guard let items = array(value, at: "outputs") else { return nil }
        if items.isEmpty {
            issues.append(ValidationIssue(path: "outputs", message: "must list at least one output (or leave \"outputs\" out for a single product of all factors)"))
            return nil
        }
        var result: [Output] = []
        for (i, item) in items.enumerated() {
            let path = "outputs[\(i)]"
            guard object(item, at: path, allowed: Self.outputKeys, required: ["id", "groups"]) != nil else { continue }
            let id = string(item["id"], at: "\(path).id", pattern: .identifier)
            let label = optionalString(item["label"], at: "\(path).label")
            guard let groupItems = array(item["groups"], at: "\(path).groups") else { continue }
            if groupItems.isEmpty {
                issues.append(ValidationIssue(path: "\(path).groups", message: "must name at least one group"))
                continue
            }
            var groups: [String] = []
            for (j, g) in groupItems.enumerated() {
                guard let name = string(g, at: "\(path).groups[\(j)]", pattern: .identifier) else { continue }
                if groups.contains(name) {
                    issues.append(ValidationIssue(path: "\(path).groups[\(j)]", message: "group \(Quoted.string(name)) is listed twice"))
                } else if !knownGroups.contains(name) {
                    let known = knownGroups.sorted().joined(separator: ", ")
                    issues.append(ValidationIssue(path: "\(path).groups[\(j)]", message: "no factor is in group \(Quoted.string(name)) (groups: \(known))"))
                } else {
                    groups.append(name)
                }
            }
            guard let id, let factors, groups.count == groupItems.count else { continue }
            let indices = factors.indices.filter { groups.contains(factors[$0].group) }
            result.append(Output(id: id, label: label ?? id, groups: groups, factorIndices: indices))
        }
        return result.count == items.count ? result : nil
    }

    static let derivedKeys: Set<String> = ["id", "label", "unit", "baseline", "divide_by"]

    private mutating func derivedList(_ value: JSONValue?, outputs: [Output]?) -> [Derived]? {
        guard let value else { return [] }
        guard let items = array(value, at: "derived") else { return nil }
        var result: [Derived] = []
        for (i, item) in items.enumerated() {
            let path = "derived[\(i)]"
            guard object(item, at: path, allowed: Self.derivedKeys, required: ["id", "baseline", "divide_by"]) != nil else { continue }
            let id = string(item["id"], at: "\(path).id", pattern: .identifier)
            let label = optionalString(item["label"], at: "\(path).label")
            let unit = optionalString(item["unit"], at: "\(path).unit") ?? ""
            let baseline = number(item["baseline"], at: "\(path).baseline", rule: .baseline)
            let target = string(item["divide_by"], at: "\(path).divide_by", pattern: nil)
            var index: Int?
            if let target, let outputs {
                index = outputs.firstIndex { $0.id == target }
                if index == nil {
                    issues.append(ValidationIssue(path: "\(path).divide_by", message: "no output has id \(Quoted.string(target)) (outputs: \(outputs.map(\.id).joined(separator: ", ")))"))
                }
            }
            guard let id, let baseline, let index else { continue }
            result.append(Derived(id: id, label: label ?? id, unit: unit, baseline: baseline, outputIndex: index))
        }
        return result.count == items.count ? result : nil
    }

    static let correlationKeys: Set<String> = ["between", "rank"]

    private mutating func correlationList(_ value: JSONValue?, factors: [Factor]?) -> [Correlation]? {
        guard let value else { return [] }
        guard let items = array(value, at: "correlations") else { return nil }
        var result: [Correlation] = []
        var seen: Set<[Int]> = []
        for (i, item) in items.enumerated() {
            let path = "correlations[\(i)]"
            guard object(item, at: path, allowed: Self.correlationKeys, required: ["between", "rank"]) != nil else { continue }
            let rank = number(item["rank"], at: "\(path).rank", rule: .openCorrelation)
            guard let pair = array(item["between"], at: "\(path).between") else { continue }
            guard pair.count == 2 else {
                issues.append(ValidationIssue(path: "\(path).between", message: "expected two factor ids, found \(pair.count)"))
                continue
            }
            var indices: [Int] = []
            for (j, p) in pair.enumerated() {
                guard let id = string(p, at: "\(path).between[\(j)]", pattern: nil), let factors else { continue }
                guard let k = factors.firstIndex(where: { $0.id == id }) else {
                    issues.append(ValidationIssue(path: "\(path).between[\(j)]", message: "no factor has id \(Quoted.string(id))"))
                    continue
                }
                if factors[k].distribution.isFixed {
                    issues.append(ValidationIssue(path: "\(path).between[\(j)]", message: "factor \(Quoted.string(id)) is fixed and cannot be correlated"))
                    continue
                }
                indices.append(k)
            }
            guard indices.count == 2, let rank else { continue }
            if indices[0] == indices[1] {
                issues.append(ValidationIssue(path: "\(path).between", message: "a factor cannot be correlated with itself"))
                continue
            }
            let key = indices.sorted()
            if !seen.insert(key).inserted {
                issues.append(ValidationIssue(path: "\(path).between", message: "this pair is already given a correlation"))
                continue
            }
            result.append(Correlation(first: key[0], second: key[1], rank: rank))
        }
        return result.count == items.count ? result : nil
    }

    static let publishedKeys: Set<String> = ["metric", "statistic", "value", "note"]

    private mutating func publishedList(_ value: JSONValue?, scenario: Scenario) -> [PublishedFigure]? {
        guard let value else { return [] }
        guard let items = array(value, at: "published") else { return nil }
        var result: [PublishedFigure] = []
        var seen: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            let path = "published[\(i)]"
            guard object(item, at: path, allowed: Self.publishedKeys, required: ["metric", "statistic", "value"]) != nil else { continue }
            let metric = string(item["metric"], at: "\(path).metric", pattern: nil)
            let statistic = string(item["statistic"], at: "\(path).statistic", pattern: nil)
            let value = number(item["value"], at: "\(path).value", rule: .any)
            let note = optionalString(item["note"], at: "\(path).note") ?? ""
            if let metric, !scenario.metricNames.contains(metric) {
                issues.append(ValidationIssue(path: "\(path).metric", message: "no metric \(Quoted.string(metric)) (metrics: \(scenario.metricNames.joined(separator: ", ")))"))
            }
            let columns = SummaryColumns(scenario).comparableNames
            if let statistic, !columns.contains(statistic) {
                issues.append(ValidationIssue(path: "\(path).statistic", message: "no statistic \(Quoted.string(statistic)) (statistics: \(columns.joined(separator: ", ")))"))
            }
            guard let metric, let statistic, let value else { continue }
            if let first = seen.updateValue(i, forKey: "\(metric) \(statistic)") {
                issues.append(ValidationIssue(path: path, message: "\(metric) \(statistic) is already given at published[\(first)]; give each figure once"))
                continue
            }
            result.append(PublishedFigure(metric: metric, statistic: statistic, value: value, note: note))
        }
        return result
    }

    private mutating func checkUniqueNames(factors: [Factor]?, outputs: [Output]?, derived: [Derived]?, years: Double?) {
        var seen: [String: String] = [:]
        func claim(_ name: String, _ path: String) {
            if let first = seen[name] {
                issues.append(ValidationIssue(path: path, message: "id \(Quoted.string(name)) is already used at \(first); ids of factors, outputs and derived values must be unique"))
            } else {
                seen[name] = path
            }
        }
        for (i, f) in (factors ?? []).enumerated() { claim(f.id, "factors[\(i)].id") }
        for (i, o) in (outputs ?? []).enumerated() {
            claim(o.id, "outputs[\(i)].id")
            if years != nil { claim("\(o.id)_per_year", "outputs[\(i)].id (its per-year row)") }
        }
        for (i, d) in (derived ?? []).enumerated() { claim(d.id, "derived[\(i)].id") }
    }

    // MARK: - Typed readers that record what is wrong

    /// Checks that `value` is an object with only `allowed` keys and every `required` key;
    /// returns its members whenever it is an object. The typed readers below stay silent about
    /// an absent value, since a required key's absence is reported here.
    private mutating func object(_ value: JSONValue?, at path: String, allowed: Set<String>, required: [String]) -> [(key: String, value: JSONValue)]? {
        guard case let .object(members)? = value else {
            issues.append(ValidationIssue(path: path, message: "expected an object, found \(value?.typeName ?? "nothing")"))
            return nil
        }
        for m in members where !allowed.contains(m.key) {
            issues.append(ValidationIssue(path: join(path, m.key), message: "unknown key \(Quoted.string(m.key)) (allowed: \(allowed.sorted().joined(separator: ", ")))"))
        }
        for key in required where value?[key] == nil {
            issues.append(ValidationIssue(path: join(path, key), message: "required"))
        }
        // Keep reading a flawed object so that every other problem in it is listed too.
        return members
    }

    private func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private mutating func array(_ value: JSONValue?, at path: String) -> [JSONValue]? {
        guard let value else { return nil }
        guard case let .array(items) = value else {
            issues.append(ValidationIssue(path: path, message: "expected an array, found \(value.typeName)"))
            return nil
        }
        return items
    }

    enum StringPattern { case identifier }

    private mutating func string(_ value: JSONValue?, at path: String, pattern: StringPattern?) -> String? {
        guard let value else { return nil }
        guard case let .string(s) = value else {
            issues.append(ValidationIssue(path: path, message: "expected a string, found \(value.typeName)"))
            return nil
        }
        if pattern == .identifier {
            let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
            // ASCII only: no control character, bidirectional override or lookalike reaches an id.
            if s.isEmpty || s.unicodeScalars.contains(where: { !allowed.contains($0) }) || s.hasPrefix(".") || s.unicodeScalars.count > Scenario.maximumIdentifierLength {
                issues.append(ValidationIssue(path: path, message: "\(Quoted.string(s)) must be a non-empty name of at most \(Scenario.maximumIdentifierLength) letters, digits, '_', '-' and '.' (it names CSV rows and folders)"))
                return nil
            }
        }
        return s
    }

    /// Free text (descriptions, labels, sources, units, notes): any character but the controls
    /// that break a terminal, an SVG or an HTML page.
    private mutating func optionalString(_ value: JSONValue?, at path: String) -> String? {
        guard let value, let s = string(value, at: path, pattern: nil) else { return nil }
        if let c = TextRules.forbiddenInText(s) {
            issues.append(ValidationIssue(path: path, message: "holds the control character U+\(String(format: "%04X", c.value)); free text may hold tab and newline but no other control character, nor U+FFFE or U+FFFF"))
            return nil
        }
        return s
    }

    enum NumberRule {
        case any, positive, percent, openCorrelation, years, baseline

        func check(_ x: Double) -> String? {
            switch self {
            case .any: return nil
            case .positive: return x > 0 ? nil : "must be > 0"
            case .percent: return (0...100).contains(x) ? nil : "must be a percentile between 0 and 100"
            case .openCorrelation: return x > -1 && x < 1 ? nil : "must be strictly between -1 and 1"
            // The summary covers values within 10^±40 (MetricState.binLimit); the per-year and
            // derived maps of that range, and their squares (for the mean's interval), stay finite.
            case .years:
                return x >= Scenario.minimumYears ? nil : "must be at least \(formatNumber(Scenario.minimumYears)): per-year values are x^(1/years), and for outputs up to 10^40 a shorter span overflows"
            case .baseline:
                return Scenario.baselineRange.contains(x) ? nil : "must be from 1e-60 to 1e60: derived values are baseline / x for outputs within 10^±40, and must stay far from overflow"
            }
        }
    }

    private mutating func number(_ value: JSONValue?, at path: String, rule: NumberRule) -> Double? {
        guard let value else { return nil }
        guard case let .number(x) = value else {
            var found = value.typeName
            if case let .string(s) = value { found += " \(Quoted.string(s)) (write numbers without quotes)" }
            issues.append(ValidationIssue(path: path, message: "expected a number, found \(found)"))
            return nil
        }
        guard x.isFinite else {
            issues.append(ValidationIssue(path: path, message: "must be a finite number"))
            return nil
        }
        if let why = rule.check(x) {
            issues.append(ValidationIssue(path: path, message: "\(why) (got \(formatNumber(x)))"))
            return nil
        }
        return x
    }

    /// A number or null; .none when invalid, .some(nil) when absent or null.
    private mutating func optionalNumber(_ value: JSONValue?, at path: String) -> Double?? {
        guard let value, value != .null else { return .some(nil) }
        guard let x = number(value, at: path, rule: .any) else { return .none }
        return .some(x)
    }

    private mutating func integer(_ value: JSONValue?, at path: String, range: ClosedRange<Int>) -> Int? {
        guard let value else { return nil }
        guard let x = number(value, at: path, rule: .any) else { return nil }
        guard x == x.rounded(), x >= Double(range.lowerBound), x <= Double(range.upperBound) else {
            issues.append(ValidationIssue(path: path, message: "must be a whole number from \(range.lowerBound) to \(range.upperBound) (got \(formatNumber(x)))"))
            return nil
        }
        return Int(x)
    }

    private mutating func numberList(_ value: JSONValue?, at path: String, rule: NumberRule) -> [Double]? {
        guard let value else { return nil }
        guard let items = array(value, at: path) else { return nil }
        if items.isEmpty {
            issues.append(ValidationIssue(path: path, message: "must not be empty (leave the key out for the defaults)"))
            return nil
        }
        var result: [Double] = []
        for (i, item) in items.enumerated() {
            guard let x = number(item, at: "\(path)[\(i)]", rule: rule) else { continue }
            if result.contains(x) {
                issues.append(ValidationIssue(path: "\(path)[\(i)]", message: "\(formatNumber(x)) is listed twice"))
                continue
            }
            result.append(x)
        }
        return result.count == items.count ? result : nil
    }
}

