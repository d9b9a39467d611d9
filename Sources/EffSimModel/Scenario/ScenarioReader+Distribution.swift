import EffSimCore
import Foundation

/// A factor's `distribution` object: its `type` is looked up in `Distribution.laws`, its keys
/// checked against the law's, and the law reads the rest (its parameters' rules live in its
/// constructors: one door for files and for code).
extension ScenarioReader {
    mutating func distribution(_ value: JSONValue?, at path: String, insideMixture: Bool = false) -> Distribution? {
        guard let value else { return nil }
        guard case .object = value else {
            issues.append(ValidationIssue(path: path, message: "expected an object, found \(value.typeName)"))
            return nil
        }
        guard let type = string(value["type"], at: "\(path).type", pattern: nil) else { return nil }
        guard let law = Distribution.law(named: type) else {
            let names = Distribution.laws.map { $0.typeName }.sorted().joined(separator: ", ")
            issues.append(
                ValidationIssue(
                    path: "\(path).type",
                    message: "unknown distribution type \(Quoted.string(type)); expected one of: \(names)"))
            return nil
        }
        if insideMixture && law.typeName == Mixture.typeName {
            issues.append(ValidationIssue(path: path, message: "a mixture cannot contain a mixture"))
            return nil
        }
        guard object(value, at: path, allowed: law.keys, required: ["type"] + law.requiredKeys) != nil else {
            return nil
        }
        do {
            return try law.read(value, at: path, with: &self)
        } catch let error as DistributionError {
            for issue in error.issues {
                issues.append(
                    ValidationIssue(path: issue.path.isEmpty ? path : "\(path).\(issue.path)", message: issue.message))
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
    mutating func parameterForm(_ value: JSONValue, at path: String, ciKeys: [String], directKeys: [String])
        -> ParameterForm?
    {
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
            issues.append(
                ValidationIssue(path: "\(path).ci", message: "expected two numbers [low, high], found \(items.count)"))
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
                issues.append(
                    ValidationIssue(
                        path: "\(path)[\(i)]",
                        message: "expected a pair [probability, value], found \(pair.count) items"))
                continue
            }
            let p = number(pair[0], at: "\(path)[\(i)][0]", rule: .any)
            let x = number(pair[1], at: "\(path)[\(i)][1]", rule: .any)
            if let p, let x { points.append(QuantilePoint(probability: p, value: x)) }
        }
        return points.count == items.count ? points : nil
    }
}
