import EffSimCore
import Foundation

extension ScenarioReader {
    // MARK: - Outputs over an index, and crossing times

    static let overKeys: Set<String> = ["id", "from", "to", "step", "unit"]
    static let firstKeys: Set<String> = ["series", "above", "below"]

    /// A `first` output as read: the series it watches and the level.
    struct CrossingDraft {
        var series: String
        var level: Double
        var above: Bool
    }

    /// `"over": {"id": "year", "from": 2024, "to": 2035, "step": 1}`: step > 0, to >= from, at
    /// most `SeriesIndex.maximumCount` values, within ±`SeriesIndex.maximumMagnitude`.
    mutating func seriesIndex(_ value: JSONValue, at path: String) -> SeriesIndex? {
        guard object(value, at: path, allowed: Self.overKeys, required: ["id", "from", "to", "step"]) != nil else {
            return nil
        }
        let id = string(value["id"], at: "\(path).id", pattern: .identifier)
        let from = indexBound(value["from"], at: "\(path).from")
        let to = indexBound(value["to"], at: "\(path).to")
        let step = number(value["step"], at: "\(path).step", rule: .positive)
        let unit = optionalUnit(value["unit"], at: "\(path).unit")
        guard let id, let from, let to, let step, let unit else { return nil }
        if to < from {
            issues.append(
                ValidationIssue(
                    path: "\(path).to", message: "must be >= from (\(formatNumber(from))) (got \(formatNumber(to)))"))
            return nil
        }
        let index = SeriesIndex(id: id, from: from, to: to, step: step, unit: unit)
        if index.count > SeriesIndex.maximumCount {
            let points = ((to - from) / step).rounded(.down) + 1
            issues.append(
                ValidationIssue(
                    path: path,
                    message:
                        "gives \(formatNumber(points)) index values (from \(formatNumber(from)) to \(formatNumber(to)) in steps of \(formatNumber(step))); at most \(SeriesIndex.maximumCount) are allowed"
                ))
            return nil
        }
        return index
    }

    /// An index's `from` or `to`: a number within ±`SeriesIndex.maximumMagnitude`.
    private mutating func indexBound(_ value: JSONValue?, at path: String) -> Double? {
        guard let x = number(value, at: path, rule: .any) else { return nil }
        guard abs(x) <= SeriesIndex.maximumMagnitude else {
            issues.append(ValidationIssue(path: path, message: "must be within ±1e15 (got \(formatNumber(x)))"))
            return nil
        }
        return x
    }

    /// `"first": {"series": "frontier_flop", "above": 1e27}` (or `"below"`).
    mutating func crossingDraft(_ value: JSONValue, at path: String) -> CrossingDraft? {
        guard object(value, at: path, allowed: Self.firstKeys, required: ["series"]) != nil else { return nil }
        let series = string(value["series"], at: "\(path).series", pattern: nil)
        let level: Double?
        let above: Bool
        switch (value["above"], value["below"]) {
        case let (a?, nil): (level, above) = (number(a, at: "\(path).above", rule: .any), true)
        case let (nil, b?): (level, above) = (number(b, at: "\(path).below", rule: .any), false)
        default:
            issues.append(
                ValidationIssue(
                    path: path, message: "give either \"above\" or \"below\" (the level the series crosses)"))
            return nil
        }
        guard let series, let level else { return nil }
        return CrossingDraft(series: series, level: level, above: above)
    }

    /// The problems of a series or crossing draft's relations to the other outputs: an
    /// expression may use a series only when it is over the same index (point by point), and a
    /// `first` needs a series; nothing may use a crossing time (a trial may never cross).
    /// Returns the drafts refused.
    mutating func checkSeriesUses(_ drafts: [OutputDraft], factors: [Factor]) -> Set<Int> {
        var broken = Set<Int>()
        let byId = Dictionary(
            drafts.enumerated().compactMap { i, d in d.id.map { ($0, i) } }, uniquingKeysWith: { a, _ in a })
        for (i, d) in drafts.enumerated() {
            if let over = d.over, factors.contains(where: { $0.id == over.id }) || byId[over.id] != nil {
                let what = byId[over.id] == nil ? "a factor" : "an output"
                issues.append(
                    ValidationIssue(
                        path: "\(d.path).over.id",
                        message:
                            "index \(Quoted.string(over.id)) is also the id of \(what); an index needs a name of its own"
                    ))
                broken.insert(i)
            }
            for name in d.parsed?.referencedNames ?? [] {
                guard let j = byId[name] else { continue }
                let used = drafts[j]
                if used.first != nil {
                    issues.append(
                        ValidationIssue(
                            path: "\(d.path).expression",
                            message:
                                "uses \(Quoted.string(name)), a crossing time, which is not a number in the trials that never cross; a crossing time cannot be used in an expression"
                        ))
                    broken.insert(i)
                } else if let index = used.over, index != d.over {
                    let mine =
                        d.over.map {
                            "over \(Quoted.string($0.id)) from \(formatNumber($0.from)) to \(formatNumber($0.to)) step \(formatNumber($0.step))"
                        } ?? "not a series"
                    issues.append(
                        ValidationIssue(
                            path: "\(d.path).expression",
                            message:
                                "uses \(Quoted.string(name)), a series over \(Quoted.string(index.id)) from \(formatNumber(index.from)) to \(formatNumber(index.to)) step \(formatNumber(index.step)); a series can be used only by an output over the same index (this one is \(mine)) or by a \"first\" output"
                        ))
                    broken.insert(i)
                }
            }
            if let first = d.first {
                if let j = byId[first.series] {
                    if drafts[j].over == nil, drafts[j].complete {
                        issues.append(
                            ValidationIssue(
                                path: "\(d.path).first.series",
                                message:
                                    "output \(Quoted.string(first.series)) is not a series; \"first\" needs an output with \"over\""
                            ))
                        broken.insert(i)
                    }
                } else {
                    let series = drafts.compactMap { $0.over == nil ? nil : $0.id }
                    let known =
                        factors.contains { $0.id == first.series }
                        ? "\(Quoted.string(first.series)) is a factor, not a series"
                        : "no output has id \(Quoted.string(first.series))"
                    issues.append(
                        ValidationIssue(
                            path: "\(d.path).first.series",
                            message:
                                "\(known); \"first\" needs an output with \"over\" (series: \(series.isEmpty ? "none" : series.joined(separator: ", ")))"
                        ))
                    broken.insert(i)
                }
            }
        }
        return broken
    }

    /// The output over an index at its k-th value: the index name replaced by its value (with
    /// the index's unit), and each series it uses by that series' point at the same value.
    static func pointExpression(_ parsed: ParsedExpression, index: SeriesIndex, position k: Int, series: Set<String>)
        -> ParsedExpression
    {
        let value = index.value(k)
        let syntax = parsed.syntax.replacingNames { name, column in
            if name == index.id { return .number(value, unit: index.unit, column: column) }
            if series.contains(name) { return .name(index.rowName(name, k), column: column) }
            return nil
        }
        return ParsedExpression(text: parsed.text, syntax: syntax)
    }
}

extension ExpressionSyntax {
    /// The tree with each name that `replacement` answers replaced by its answer.
    func replacingNames(_ replacement: (String, Int) -> ExpressionSyntax?) -> ExpressionSyntax {
        switch self {
        case .number: self
        case let .name(n, c): replacement(n, c) ?? self
        case let .negate(a, c): .negate(a.replacingNames(replacement), column: c)
        case let .binary(op, a, b, c):
            .binary(op, a.replacingNames(replacement), b.replacingNames(replacement), column: c)
        case let .call(f, args, c): .call(f, args.map { $0.replacingNames(replacement) }, column: c)
        }
    }
}
