import EffSimCore
import Foundation

/// A factor's `distribution` object: its JSON shape is checked here, its parameters by the
/// distribution's own constructors (one door for files and for code).
extension ScenarioReader {
    static let distributionKeys: [String: Set<String>] = [
        "lognormal": ["type", "ci", "level", "median", "sigma", "quantiles"],
        "normal": ["type", "ci", "level", "mean", "sd", "quantiles", "lower", "upper"],
        "metalog": ["type", "quantiles", "lower", "upper"],
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
        "beta": ["alpha", "beta"], "bernoulli": ["p"], "mixture": ["components"], "metalog": ["quantiles"],
    ]

    static let componentKeys: Set<String> = ["weight", "distribution"]

    mutating func distribution(_ value: JSONValue?, at path: String, insideMixture: Bool = false) -> Distribution? {
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
            case "metalog":
                let points = quantilePoints(value["quantiles"], at: "\(path).quantiles")
                let lower = optionalNumber(value["lower"], at: "\(path).lower")
                let upper = optionalNumber(value["upper"], at: "\(path).upper")
                guard let points, let lower, let upper else { return nil }
                return try .metalog(quantiles: points, lower: lower, upper: upper)
            case "lognormal":
                guard let form = parameterForm(value, at: path, ciKeys: ["ci", "level"], directKeys: ["median", "sigma"]) else { return nil }
                if form == .quantiles {
                    guard let points = quantilePoints(value["quantiles"], at: "\(path).quantiles") else { return nil }
                    return try .logNormal(quantiles: points)
                }
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
                if form == .quantiles {
                    guard let points = quantilePoints(value["quantiles"], at: "\(path).quantiles") else { return nil }
                    return try .normal(quantiles: points, lower: lower, upper: upper)
                }
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

    enum ParameterForm { case ci, direct, quantiles }

    /// Exactly one of the three ways to give a lognormal's or a normal's parameters (`ci` +
    /// `level`, the direct form, or `quantiles`); `level` goes with `ci` only.
    mutating func parameterForm(_ value: JSONValue, at path: String, ciKeys: [String], directKeys: [String]) -> ParameterForm? {
        let hasCI = ciKeys.contains { value[$0] != nil }
        let hasDirect = directKeys.contains { value[$0] != nil }
        let hasQuantiles = value["quantiles"] != nil
        let forms = ciKeys.joined(separator: "+") + ", " + directKeys.joined(separator: "+") + " or quantiles"
        if [hasCI, hasDirect, hasQuantiles].filter({ $0 }).count > 1 {
            issues.append(ValidationIssue(path: path, message: "give one of \(forms), not more"))
            return nil
        }
        if hasQuantiles { return .quantiles }
        if !hasCI && !hasDirect {
            issues.append(ValidationIssue(path: path, message: "missing parameters: give \(forms)"))
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
    mutating func ci(_ value: JSONValue, at path: String) -> (Double, Double, Double)? {
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

    /// A `quantiles` array of `[probability, value]` pairs, as given; the pairs' rules
    /// (order, probabilities in (0, 1), how many) are the distribution's.
    mutating func quantilePoints(_ value: JSONValue?, at path: String) -> [QuantilePoint]? {
        guard let items = array(value, at: path) else { return nil }
        var points: [QuantilePoint] = []
        for (i, item) in items.enumerated() {
            guard let pair = array(item, at: "\(path)[\(i)]") else { continue }
            guard pair.count == 2 else {
                issues.append(ValidationIssue(path: "\(path)[\(i)]", message: "expected a pair [probability, value], found \(pair.count) items"))
                continue
            }
            let p = number(pair[0], at: "\(path)[\(i)][0]", rule: .any)
            let x = number(pair[1], at: "\(path)[\(i)][1]", rule: .any)
            if let p, let x { points.append(QuantilePoint(probability: p, value: x)) }
        }
        return points.count == items.count ? points : nil
    }
}
