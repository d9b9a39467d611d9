import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// A shard's mergeable state (`effsim run --shard K/N --state FILE`), as JSON.
///
/// It carries the ``RunSettings`` that decide the draws (the scenario document, trials, seed, rng,
/// sampler; top-level keys, as in `run.json`) and each metric's integer histogram, so
/// `effsim merge` can check that the shards belong to one run and rebuild exactly the
/// single-process result. `checksum` is the SHA-256 of the file's canonical payload (see
/// `payload()`); `load` checks it and every count (see StateFile+Integrity.swift) before anything
/// is merged.
///
/// The settings' fields read through the file too (`file.trials`, `file.rng`).
@dynamicMemberLookup
public struct StateFile: ChecksummedFile, Equatable {
    /// The format this version writes and reads. 3: signed histograms (a side per sign, a zero
    /// count) and the generator's key `rng`, as in `run.json` (2 called it `generator`).
    public static let format = "effsim-state-3"

    /// The format the file says it is in (`format` when this version wrote it).
    public var format: String
    /// What decided the draws.
    public var settings: RunSettings
    /// The shard the file holds (one; a merged state holds `Shard.whole`).
    public var shards: [Shard]
    /// Each metric's state, in `MetricLayout` order (factors, outputs, per-year, derived).
    public var metrics: [Metric]
    /// SHA-256 (hex) of `payload()`; nil only while it is computed.
    public var checksum: String?
    /// The scenario file the shard ran, as an absolute path (a job array's tasks see one file
    /// system), so that the merged `run.json` records it as one process's does; nil when not
    /// known (a file written before it was recorded).
    public var scenarioFile: String?

    /// One metric: its count, zeros and floor count, and each sign's values (left out when none).
    public struct Metric: Codable, Equatable {
        /// The shard's trials.
        public var count: Int
        /// Values exactly 0.
        public var zeroCount: Int
        /// Draws raised to the floor.
        public var floorCount: Int
        /// The positive values (nil when none).
        public var positive: Side?
        /// The negative values by magnitude (nil when none).
        public var negative: Side?

        init(_ m: MetricState) {
            count = m.count
            zeroCount = m.zeroCount
            floorCount = m.floorCount
            positive = m.positive.count == 0 ? nil : Side(m.positive)
            negative = m.negative.count == 0 ? nil : Side(m.negative)
        }

        /// The state this metric holds, counting against `levels`.
        func state(levels: ThresholdLevels) -> MetricState {
            MetricState(
                levels: levels, positive: positive?.state ?? MagnitudeState(levels: levels.positive),
                negative: negative?.state ?? MagnitudeState(levels: levels.negative), zeroCount: zeroCount,
                floorCount: floorCount)
        }
    }

    /// The values of one sign as logs of their magnitudes: the fine histogram as one run of bins
    /// for each decade it reaches (see `LogHistogram.runs`), the extremes and the level counts.
    public struct Side: Codable, Equatable {
        /// Values of this sign (at least 1).
        public var count: Int
        /// The log of the smallest magnitude.
        public var minLog: Double
        /// The log of the largest magnitude.
        public var maxLog: Double
        /// The fine bins, one run a decade, ascending.
        public var runs: [Run]
        /// Counts of logs above each of the side's levels (`LogLevels.above`).
        public var above: [Int]
        /// Counts of logs below each of the side's levels (`LogLevels.below`).
        public var below: [Int]

        /// Bins offset, offset + 1, ... and their counts.
        public struct Run: Codable, Equatable {
            /// The first bin's index.
            public var offset: Int
            /// Counts of bins offset, offset + 1, ...
            public var counts: [Int]
        }

        init(_ m: MagnitudeState) {
            count = m.count
            minLog = m.minLog
            maxLog = m.maxLog
            runs = m.histogram.runs.map { Run(offset: $0.offset, counts: $0.counts) }
            above = m.above
            below = m.below
        }

        var state: MagnitudeState {
            MagnitudeState(
                count: count,
                histogram: LogHistogram(runs: runs.map { LogHistogram.Run(offset: $0.offset, counts: $0.counts) }),
                minLog: minLog, maxLog: maxLog, above: above, below: below)
        }
    }

    /// The file's own keys; the settings add theirs (``RunSettings/CodingKeys``).
    public enum CodingKeys: String, CodingKey, CaseIterable {
        /// The format, the shards, the metrics' states, the checksum and the scenario file.
        case format, shards, metrics, checksum, scenarioFile
    }

    /// The state of a shard (or a whole run) as its file.
    public init(_ state: RunState) {
        format = Self.format
        settings = RunSettings(state)
        shards = state.shards
        metrics = state.metrics.map(Metric.init)
    }

    /// The settings' fields, flat in the file beside the file's own.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        settings = try RunSettings(from: decoder)
        shards = try c.decode([Shard].self, forKey: .shards)
        metrics = try c.decode([Metric].self, forKey: .metrics)
        checksum = try c.decodeIfPresent(String.self, forKey: .checksum)
        scenarioFile = try c.decodeIfPresent(String.self, forKey: .scenarioFile)
    }

    /// Writes the settings' keys and the file's own in one object.
    public func encode(to encoder: Encoder) throws {
        try settings.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(shards, forKey: .shards)
        try c.encode(metrics, forKey: .metrics)
        try c.encodeIfPresent(checksum, forKey: .checksum)
        try c.encodeIfPresent(scenarioFile, forKey: .scenarioFile)
    }

    /// A setting read through the file: `file.trials` is `file.settings.trials`.
    public subscript<T>(dynamicMember field: KeyPath<RunSettings, T>) -> T { settings[keyPath: field] }

    /// The run state this file holds (its scenario is validated again).
    public func runState(file: String) throws -> RunState {
        let scenario = try settings.validatedScenario(file: file)
        let layout = MetricLayout(scenario)
        guard metrics.count == layout.metricCount else {
            throw OutputError(
                description: "\(file): holds \(metrics.count) metrics, its scenario has \(layout.metricCount)")
        }
        let states = zip(metrics, layout.levels).map { $0.state(levels: $1) }
        return RunState(
            scenario: scenario, generator: settings.rng, sampler: settings.sampler, shards: shards, metrics: states)
    }

    /// Merges the states of the shards of one run, checking that they are all of it, once. One
    /// file is held at a time beside the sum, so memory does not grow with the number of files.
    /// Every problem of every file is listed.
    public static func merge(paths: [String]) throws -> RunState { try mergeRecordingFile(paths: paths).state }

    /// `merge(paths:)`, and the scenario file the shards ran when they all name the same one.
    public static func mergeRecordingFile(paths: [String]) throws -> (state: RunState, scenarioFile: String?) {
        guard let firstPath = paths.first else { throw OutputError(description: "no state files given") }
        var refusals: [String] = []
        var problems: [String] = []
        var first: RunSettings?
        var reference = firstPath
        var shards: [Shard] = []
        var state: RunState?
        var files: Set<String?> = []
        for path in paths {
            let f: StateFile
            do { f = try load(path: path) } catch {
                refusals.append("\(error)")
                continue
            }
            if let first {
                var differs = false
                if f.scenario != first.scenario {
                    problems.append("\(Quoted.path(path)): its scenario differs from \(Quoted.path(reference))'s")
                    differs = true
                }
                if f.drawSummary != first.drawSummary {
                    problems.append(
                        "\(Quoted.path(path)): trials/seed/rng/sampler (\(f.drawSummary)) differ from \(Quoted.path(reference))'s (\(first.drawSummary))"
                    )
                    differs = true
                }
                if differs { continue }
            } else {
                (first, reference) = (f.settings, path)
            }
            shards += f.shards
            files.insert(f.scenarioFile)
            guard refusals.isEmpty, problems.isEmpty else { continue }
            let part = try f.runState(file: path)
            if state == nil { state = part } else { state?.merge(part) }
        }
        // A refused file's shard is unknown: the bookkeeping waits until every file reads.
        problems = refusals + problems + (refusals.isEmpty ? ShardSet(shards).problems : [])
        guard problems.isEmpty, var merged = state else {
            throw OutputError(description: problems.joined(separator: "\n"))
        }
        merged.shards = [.whole]
        return (merged, files.count == 1 ? files.first! : nil)
    }
}
