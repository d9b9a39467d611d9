import EffSimCore
import Foundation

extension ScenarioReader {
    // MARK: - Typed readers that record what is wrong

    /// Checks that `value` is an object with only `allowed` keys and every `required` key;
    /// returns its members whenever it is an object. The typed readers below stay silent about
    /// an absent value, since a required key's absence is reported here.
    package mutating func object(_ value: JSONValue?, at path: String, allowed: Set<String>, required: [String]) -> [(
        key: String, value: JSONValue
    )]? {
        guard case let .object(members)? = value else {
            issues.append(
                ValidationIssue(path: path, message: "expected an object, found \(value?.typeName ?? "nothing")"))
            return nil
        }
        for m in members where !allowed.contains(m.key) {
            issues.append(
                ValidationIssue(
                    path: join(path, m.key),
                    message:
                        "unknown key \(Quoted.string(m.key)) (allowed: \(allowed.sorted().joined(separator: ", ")))"))
        }
        for key in required where value?[key] == nil {
            issues.append(ValidationIssue(path: join(path, key), message: "required"))
        }
        // Keep reading a flawed object so that every other problem in it is listed too.
        return members
    }

    package func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    package mutating func array(_ value: JSONValue?, at path: String) -> [JSONValue]? {
        guard let value else { return nil }
        guard case let .array(items) = value else {
            issues.append(ValidationIssue(path: path, message: "expected an array, found \(value.typeName)"))
            return nil
        }
        return items
    }

    package enum StringPattern { case identifier }

    package mutating func string(_ value: JSONValue?, at path: String, pattern: StringPattern?) -> String? {
        guard let value else { return nil }
        guard case let .string(s) = value else {
            issues.append(ValidationIssue(path: path, message: "expected a string, found \(value.typeName)"))
            return nil
        }
        if pattern == .identifier {
            let allowed = CharacterSet(
                charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
            // ASCII only: no control character, bidirectional override or lookalike reaches an id.
            if s.isEmpty || s.unicodeScalars.contains(where: { !allowed.contains($0) }) || s.hasPrefix(".")
                || s.unicodeScalars.count > Scenario.maximumIdentifierLength
            {
                issues.append(
                    ValidationIssue(
                        path: path,
                        message:
                            "\(Quoted.string(s)) must be a non-empty name of at most \(Scenario.maximumIdentifierLength) letters, digits, '_', '-' and '.' (it names CSV rows and folders)"
                    ))
                return nil
            }
        }
        return s
    }

    /// Free text (descriptions, labels, sources, units, notes): any character but the controls
    /// that break a terminal, an SVG or an HTML page.
    package mutating func optionalString(_ value: JSONValue?, at path: String) -> String? {
        guard let value, let s = string(value, at: path, pattern: nil) else { return nil }
        if let c = TextRules.forbiddenInText(s) {
            issues.append(
                ValidationIssue(
                    path: path,
                    message:
                        "holds the control character U+\(String(format: "%04X", c.value)); free text may hold tab and newline but no other control character, nor U+FFFE or U+FFFF"
                ))
            return nil
        }
        return s
    }

    package enum NumberRule {
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
                return x >= Scenario.minimumYears
                    ? nil
                    : "must be at least \(formatNumber(Scenario.minimumYears)): per-year values are x^(1/years), and for outputs up to 10^40 a shorter span overflows"
            case .baseline:
                return Scenario.baselineRange.contains(x)
                    ? nil
                    : "must be from 1e-60 to 1e60: derived values are baseline / x for outputs within 10^±40, and must stay far from overflow"
            }
        }
    }

    package mutating func number(_ value: JSONValue?, at path: String, rule: NumberRule) -> Double? {
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
    package mutating func optionalNumber(_ value: JSONValue?, at path: String) -> Double?? {
        guard let value, value != .null else { return .some(nil) }
        guard let x = number(value, at: path, rule: .any) else { return .none }
        return .some(x)
    }

    package mutating func integer(_ value: JSONValue?, at path: String, range: ClosedRange<Int>) -> Int? {
        guard let value else { return nil }
        guard let x = number(value, at: path, rule: .any) else { return nil }
        guard x == x.rounded(), x >= Double(range.lowerBound), x <= Double(range.upperBound) else {
            issues.append(
                ValidationIssue(
                    path: path,
                    message:
                        "must be a whole number from \(range.lowerBound) to \(range.upperBound) (got \(formatNumber(x)))"
                ))
            return nil
        }
        return Int(x)
    }

    /// A list of distinct numbers; `[]` only where `allowsEmpty` (thresholds: none wanted).
    package mutating func numberList(_ value: JSONValue?, at path: String, rule: NumberRule, allowsEmpty: Bool = false)
        -> [Double]?
    {
        guard let value else { return nil }
        guard let items = array(value, at: path) else { return nil }
        if items.isEmpty && !allowsEmpty {
            issues.append(
                ValidationIssue(path: path, message: "must not be empty (leave the key out for the defaults)"))
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

    /// A unit (`"FLOP/(GPU*s)"`); .none when invalid, .some(nil) when absent.
    package mutating func optionalUnit(_ value: JSONValue?, at path: String) -> UnitOfMeasure?? {
        guard let value else { return .some(nil) }
        guard let text = optionalString(value, at: path) else { return .none }
        switch UnitOfMeasure.parse(text) {
        case let .success(unit): return .some(unit)
        case let .failure(issue):
            issues.append(ValidationIssue(path: path, message: issue.description))
            return .none
        }
    }
}
