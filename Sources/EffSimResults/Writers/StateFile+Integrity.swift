import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// Loading a state file checks all of it, so that `merge` never combines a damaged, edited or
/// hostile file: the JSON itself (one value per key), the format, the checksum, the scenario
/// inside, the shard, and every count against the shard's trials and the format's limits.
extension StateFile {
    /// Reads and checks one state file; the error names the file and every problem found.
    public static func load(path: String) throws -> StateFile {
        let name = Quoted.path(path)
        let (file, parsed) = try read(path: path, format: format)
        let unknown = parsed.map { unknownKeys($0) } ?? []
        if !unknown.isEmpty { throw OutputError(description: unknown.map { "\(name): \($0)" }.joined(separator: "\n")) }
        let problems = try file.problems(file: path)
        guard problems.isEmpty else {
            throw OutputError(description: problems.map { "\(name): \($0)" }.joined(separator: "\n"))
        }
        return file
    }

    /// What is wrong with a decoded file whose checksum matched (a file can be rewritten with a
    /// fresh checksum, so every value is still checked). Empty when it is a sound shard state.
    func problems(file: String) throws -> [String] {
        let scenario: Scenario
        do {
            scenario = try settings.validatedScenario(file: file)
        } catch let error as ScenarioError {
            return error.issues.map { "its scenario: \($0)" }
        }
        guard (1...Scenario.maximumTrials).contains(settings.trials) else {
            return ["trials \(settings.trials) is not from 1 to \(Scenario.maximumTrials)"]
        }
        guard settings.seed <= Scenario.maximumSeed else {
            return ["seed \(settings.seed) is above \(Scenario.maximumSeed)"]
        }
        guard shards.count == 1 else { return ["holds \(shards.count) shards; a state file holds one"] }
        let shard = shards[0]
        do {
            try Engine.check(
                scenario, RunOptions(threads: 1, generator: settings.rng, sampler: settings.sampler, shard: shard))
        } catch {
            return ["shard \(shard.index)/\(shard.count): \(error)"]
        }
        let layout = MetricLayout(scenario)
        guard metrics.count == layout.metricCount else {
            return ["holds \(metrics.count) metrics, its scenario has \(layout.metricCount)"]
        }
        let expected = shard.trials(ofRun: settings.trials)
        var problems: [String] = []
        for (i, (m, levels)) in zip(metrics, layout.levels).enumerated() {
            let name =
                i < scenario.factors.count ? scenario.factors[i].id : scenario.outputs[i - scenario.factors.count].id
            problems += m.problems(expectedCount: expected, levels: levels).map { "metrics[\(i)] (\(name)): \($0)" }
        }
        return problems
    }

    /// Keys the decoder would silently skip: an added key is an edit too (the checksum covers
    /// only what is decoded).
    static func unknownKeys(_ doc: JSONValue) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func check(_ value: JSONValue?, _ path: String, _ allowed: Set<String>) {
            guard case let .object(members)? = value else { return }
            for m in members where !allowed.contains(m.key) {
                issues.append(
                    ValidationIssue(
                        path: path.isEmpty ? m.key : "\(path).\(m.key)", message: "unknown key \(Quoted.string(m.key))")
                )
            }
        }
        check(doc, "", Set(CodingKeys.allCases.map(\.stringValue) + RunSettings.CodingKeys.allCases.map(\.stringValue)))
        for (key, allowed) in [
            ("shards", Set(["index", "count"])),
            ("metrics", Set(["count", "zeroCount", "floorCount", "positive", "negative"])),
        ] {
            if case let .array(items)? = doc[key] {
                for (i, item) in items.enumerated() { check(item, "\(key)[\(i)]", allowed) }
            }
        }
        if case let .array(items)? = doc["metrics"] {
            for (i, item) in items.enumerated() {
                for side in ["positive", "negative"] {
                    let at = "metrics[\(i)].\(side)"
                    check(item[side], at, ["count", "minLog", "maxLog", "runs", "above", "below"])
                    if case let .array(runs)? = item[side]?["runs"] {
                        for (r, run) in runs.enumerated() { check(run, "\(at).runs[\(r)]", ["offset", "counts"]) }
                    }
                }
            }
        }
        return issues
    }

    /// A decoding error in one line: where in the file and what was expected.
    static func reason(_ error: Error) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.hasPrefix(".") ? String(p.dropFirst()) : p
        }
        switch error {
        case let DecodingError.keyNotFound(key, context):
            let at = path(context)
            return "missing key \"\(key.stringValue)\"" + (at.isEmpty ? "" : " in \(at)")
        case let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context):
            return
                "\(path(context)): expected \(type == Int.self || type == UInt64.self ? "a whole number" : "\(type)")"
        case let DecodingError.dataCorrupted(context):
            let at = path(context)
            if at.isEmpty { return "not valid JSON" }
            return "\(at): value out of range or not allowed"
        default:
            return "cannot be decoded"
        }
    }
}

extension StateFile.Metric {
    /// What is wrong with one metric's state, for a shard of `expectedCount` trials whose levels
    /// are `levels`. Checks run in an order that keeps every later one in bounds.
    func problems(expectedCount: Int, levels: ThresholdLevels) -> [String] {
        guard count == expectedCount else {
            return ["count \(count) is not the shard's \(expectedCount) trials"]
        }
        guard (0...count).contains(zeroCount) else { return ["zeroCount \(zeroCount) is not from 0 to \(count)"] }
        var problems: [String] = []
        var sum = zeroCount
        for (name, side, sideLevels) in [
            ("positive", positive, levels.positive), ("negative", negative, levels.negative),
        ] {
            guard let side else { continue }
            let found = side.problems(levels: sideLevels)
            problems += found.map { "\(name): \($0)" }
            guard found.isEmpty else { continue }
            let (s, overflow) = sum.addingReportingOverflow(side.count)
            guard !overflow else { return problems + ["counts add up to more than \(Int.max)"] }
            sum = s
        }
        guard problems.isEmpty else { return problems }
        if sum != count { problems.append("positive, negative and zero counts add up to \(sum), not count \(count)") }
        let atFloor = positive?.runs.first?.counts.first ?? 0
        if !(0...count).contains(floorCount) || floorCount > atFloor {
            problems.append("floorCount \(floorCount) is more than the first positive bin holds (\(atFloor))")
        }
        return problems
    }
}

extension StateFile.Side {
    /// What is wrong with one sign's values: a present side holds at least one value, its runs
    /// are one a decade (trimmed, ascending, within the bins of finite doubles), its counts add
    /// up, its extremes fall in its first and last bins and its level counts agree with them.
    func problems(levels: LogLevels) -> [String] {
        guard count > 0 else { return ["count \(count) is not positive (a side with no values is left out)"] }
        guard !runs.isEmpty else { return ["has no histogram runs"] }
        let range = LogHistogram.binRange
        var previousDecade = Int.min
        var sum = 0
        for (i, run) in runs.enumerated() {
            let last = run.offset.addingReportingOverflow(run.counts.count - 1)
            guard !run.counts.isEmpty, !last.overflow, range.contains(run.offset), range.contains(last.partialValue)
            else {
                return ["runs[\(i)]: bins lie outside the \(range.lowerBound)...\(range.upperBound) of finite doubles"]
            }
            let decade = LogHistogram.decade(ofBin: run.offset)
            guard decade == LogHistogram.decade(ofBin: last.partialValue), decade > previousDecade else {
                return ["runs[\(i)]: not one decade of bins after the previous run's"]
            }
            previousDecade = decade
            if let bad = run.counts.first(where: { $0 < 0 }) { return ["runs[\(i)]: count \(bad) is negative"] }
            guard run.counts.first != 0, run.counts.last != 0 else {
                return ["runs[\(i)]: not trimmed (an end bin is empty)"]
            }
            for c in run.counts {
                let (s, overflow) = sum.addingReportingOverflow(c)
                guard !overflow else { return ["histogram counts add up to more than \(Int.max)"] }
                sum = s
            }
        }
        guard sum == count else { return ["histogram counts add up to \(sum), not count \(count)"] }
        guard minLog.isFinite, maxLog.isFinite, minLog <= maxLog else {
            return ["minLog \(minLog) and maxLog \(maxLog) are not an ordered pair of finite numbers"]
        }
        var problems: [String] = []
        let lastBin = runs[runs.count - 1].offset + runs[runs.count - 1].counts.count - 1
        if LogHistogram.bin(ofLog: minLog) != runs[0].offset || LogHistogram.bin(ofLog: maxLog) != lastBin {
            problems.append("minLog and maxLog do not fall in the histogram's first and last bins")
        }
        // A threshold count lies between the values in bins wholly past its level and those
        // including the level's own bin.
        func within(_ given: [Int], _ levelLogs: [Double], _ key: String, above: Bool) {
            guard given.count == levelLogs.count else {
                problems.append("\(key) has \(given.count) counts, the scenario needs \(levelLogs.count)")
                return
            }
            for (j, (n, level)) in zip(given, levelLogs).enumerated() {
                guard (0...count).contains(n) else {
                    problems.append("\(key)[\(j)] = \(n) is not from 0 to \(count)")
                    continue
                }
                guard level.isFinite else {
                    // An infinite level passes every value or none.
                    let all = above ? level < 0 : level > 0
                    if n != (all ? count : 0) {
                        problems.append("\(key)[\(j)] = \(n), the level passes \(all ? "every value" : "none")")
                    }
                    continue
                }
                let b = LogHistogram.bin(ofLog: level)
                var strict = 0
                var own = 0
                for run in runs {
                    for (i, c) in run.counts.enumerated() {
                        let k = run.offset + i
                        if k == b { own = c } else if above ? k > b : k < b { strict += c }
                    }
                }
                if n < strict || n > strict + own {
                    problems.append("\(key)[\(j)] = \(n) disagrees with the histogram (\(strict) to \(strict + own))")
                }
            }
        }
        within(above, levels.above, "above", above: true)
        within(below, levels.below, "below", above: false)
        return problems
    }
}
