import Foundation

/// Loading a state file checks all of it, so that `merge` never combines a damaged, edited or
/// hostile file: the JSON itself (one value per key), the format, the checksum, the scenario
/// inside, the shard, and every count against the shard's trials and the format's limits.
extension StateFile {
    /// Reads and checks one state file; the error names the file and every problem found.
    public static func load(path: String) throws -> StateFile {
        let name = Quoted.path(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OutputError(description: "\(name): cannot read the state file")
        }
        // A file of another format is named as such, not by the first key this one lacks.
        struct Format: Decodable { var format: String }
        if let other = try? JSONDecoder().decode(Format.self, from: data), other.format != format {
            throw OutputError(description: "\(name): state format \(Quoted.string(other.format)) is not \"\(format)\" (rerun the shard with this effsim)")
        }
        let file: StateFile
        do {
            file = try JSONDecoder().decode(StateFile.self, from: data)
        } catch {
            throw OutputError(description: "\(name): not an effsim state file (\(Self.reason(error)))")
        }
        // Repeated keys and inexact whole numbers, which the decoder passes over in silence.
        // One parse serves both checks (a Codable decode of the whole file into JSONValue took
        // most of a merge's time).
        let parsed = try? JSONParser.parse(Array(data))
        let repeated = (parsed?.problems ?? []) + (parsed.map { unknownKeys($0.value) } ?? [])
        if !repeated.isEmpty {
            throw OutputError(description: repeated.map { "\(name): \($0)" }.joined(separator: "\n"))
        }
        guard let checksum = file.checksum else { throw OutputError(description: "\(name): has no checksum") }
        guard try SHA256.hex(file.payload()) == checksum else {
            throw OutputError(description: "\(name): its checksum does not match its content (the file was edited or damaged)")
        }
        let problems = try file.problems(file: path)
        guard problems.isEmpty else { throw OutputError(description: problems.map { "\(name): \($0)" }.joined(separator: "\n")) }
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
        guard settings.seed <= Scenario.maximumSeed else { return ["seed \(settings.seed) is above \(Scenario.maximumSeed)"] }
        guard shards.count == 1 else { return ["holds \(shards.count) shards; a state file holds one"] }
        let shard = shards[0]
        do {
            try Engine.check(scenario, RunOptions(threads: 1, generator: settings.rng, sampler: settings.sampler, shard: shard))
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
            let name = i < scenario.factors.count ? scenario.factors[i].id : scenario.outputs[i - scenario.factors.count].id
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
                issues.append(ValidationIssue(path: path.isEmpty ? m.key : "\(path).\(m.key)", message: "unknown key \(Quoted.string(m.key))"))
            }
        }
        check(doc, "", Set(CodingKeys.allCases.map(\.stringValue) + RunSettings.CodingKeys.allCases.map(\.stringValue)))
        for (key, allowed) in [("shards", Set(["index", "count"])),
                               ("metrics", Set(["count", "offset", "counts", "minLog", "maxLog", "floorCount", "above", "below"]))] {
            if case let .array(items)? = doc[key] {
                for (i, item) in items.enumerated() { check(item, "\(key)[\(i)]", allowed) }
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
            return "\(path(context)): expected \(type == Int.self || type == UInt64.self ? "a whole number" : "\(type)")"
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
        let limit = MetricState.binLimit
        guard !counts.isEmpty, counts.count <= 2 * limit + 1, offset >= -limit, offset <= limit - counts.count + 1 else {
            return ["histogram bins \(offset) to \(offset) + \(counts.count) lie outside the format's \(-limit)...\(limit)"]
        }
        if let bad = counts.firstIndex(where: { $0 < 0 }) { return ["histogram count \(counts[bad]) is negative"] }
        guard counts.first != 0, counts.last != 0 else { return ["histogram is not trimmed (an end bin is empty)"] }
        var sum = 0
        for c in counts {
            let (s, overflow) = sum.addingReportingOverflow(c)
            guard !overflow else { return ["histogram counts add up to more than \(Int.max)"] }
            sum = s
        }
        guard sum == count else { return ["histogram counts add up to \(sum), not count \(count)"] }
        var problems: [String] = []
        guard minLog.isFinite, maxLog.isFinite, minLog <= maxLog else {
            return ["minLog \(minLog) and maxLog \(maxLog) are not an ordered pair of finite numbers"]
        }
        let edge = Double(limit) / LogHistogram.scale
        func bin(_ l: Double) -> Int { LogHistogram.bin(ofLog: Swift.min(Swift.max(l, -edge), edge * 0.999_999)) }
        if bin(minLog) != offset || bin(maxLog) != offset + counts.count - 1 {
            problems.append("minLog and maxLog do not fall in the histogram's first and last bins")
        }
        if !(0...count).contains(floorCount) || floorCount > counts[0] {
            problems.append("floorCount \(floorCount) is more than the first bin holds (\(counts[0]))")
        }
        // A threshold count lies between the values in bins wholly past its level and those
        // including the level's own bin (levels beyond 10^±40 share clamped edge bins: not checked).
        func within(_ given: [Int], _ levelLogs: [Double], _ key: String, above: Bool) {
            guard given.count == levelLogs.count else {
                problems.append("\(key) has \(given.count) counts, the scenario needs \(levelLogs.count)")
                return
            }
            for (j, (n, level)) in zip(given, levelLogs).enumerated() {
                guard (0...count).contains(n) else { problems.append("\(key)[\(j)] = \(n) is not from 0 to \(count)"); continue }
                guard abs(level) < edge * 0.999 else { continue }
                let b = LogHistogram.bin(ofLog: level) - offset
                let strict = counts.indices.reduce(0) { $0 + ((above ? $1 > b : $1 < b) ? counts[$1] : 0) }
                let own = counts.indices.contains(b) ? counts[b] : 0
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

extension Shard {
    /// The trials this shard samples in a run of `trials`: its chunks of `Engine.chunkSize`, the
    /// last chunk of the run holding the remainder.
    public func trials(ofRun trials: Int) -> Int {
        let chunks = Engine.chunkCount(trials: trials)
        let first = index - 1
        guard first < chunks else { return 0 }
        let owned = (chunks - 1 - first) / count + 1
        let ownsLast = (chunks - 1) % count == first
        return owned * Engine.chunkSize - (ownsLast ? chunks * Engine.chunkSize - trials : 0)
    }
}
