import Foundation

/// A shard's mergeable state (`effsim run --shard K/N --state FILE`), as JSON.
///
/// It carries the scenario document, the settings that decide the draws (trials, seed,
/// generator, sampler) and each metric's integer histogram, so `effsim merge` can check that
/// the shards belong to one run and rebuild exactly the single-process result. `checksum` is the
/// SHA-256 of the file's canonical payload (see `payload()`); `load` checks it and every count
/// (see StateFile+Integrity.swift) before anything is merged.
public struct StateFile: Codable, Equatable {
    public static let format = "effsim-state-3"

    public var format: String
    public var scenario: JSONValue
    public var trials: Int
    public var seed: UInt64
    public var generator: RandomGenerator
    public var sampler: SamplerKind
    public var shards: [Shard]
    public var metrics: [Metric]
    /// SHA-256 (hex) of `payload()`; nil only while it is computed.
    public var checksum: String?

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
            MetricState(levels: levels, positive: positive?.state ?? MagnitudeState(levels: levels.positive),
                        negative: negative?.state ?? MagnitudeState(levels: levels.negative), zeroCount: zeroCount, floorCount: floorCount)
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
            MagnitudeState(count: count, histogram: LogHistogram(runs: runs.map { LogHistogram.Run(offset: $0.offset, counts: $0.counts) }),
                           minLog: minLog, maxLog: maxLog, above: above, below: below)
        }
    }

    public init(_ state: RunState) {
        format = Self.format
        scenario = state.scenario.document
        trials = state.scenario.trials
        seed = state.scenario.seed
        generator = state.generator
        sampler = state.sampler
        shards = state.shards
        metrics = state.metrics.map(Metric.init)
    }

    /// The file's text: the payload's fields and its checksum, keys sorted.
    public func encoded() throws -> Data {
        var file = self
        file.checksum = try SHA256.hex(payload())
        return try file.canonicalJSON()
    }

    /// The canonical payload the checksum covers: every field but `checksum`, keys sorted, as
    /// JSONEncoder writes them (so a value edited in the file changes it, spacing does not).
    public func payload() throws -> Data {
        var file = self
        file.checksum = nil
        return try file.canonicalJSON()
    }

    private func canonicalJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do { return try encoder.encode(self) } catch {
            throw OutputError(description: "cannot encode the state file (\(type(of: error)))")
        }
    }

    /// The run state this file holds (its scenario is validated again).
    public func runState(file: String) throws -> RunState {
        var scenario = try ScenarioReader.read(self.scenario, file: file)
        scenario.trials = trials
        scenario.seed = seed
        let layout = MetricLayout(scenario)
        guard metrics.count == layout.metricCount else {
            throw OutputError(description: "\(file): holds \(metrics.count) metrics, its scenario has \(layout.metricCount)")
        }
        let states = zip(metrics, layout.levels).map { $0.state(levels: $1) }
        return RunState(scenario: scenario, generator: generator, sampler: sampler, shards: shards, metrics: states)
    }

    /// Merges the states of the shards of one run, checking that they are all of it, once.
    public static func merge(paths: [String]) throws -> RunState {
        guard let firstPath = paths.first else { throw OutputError(description: "no state files given") }
        var files: [StateFile] = []
        var refusals: [String] = []
        for path in paths {
            do { files.append(try load(path: path)) } catch { refusals.append("\(error)") }
        }
        guard refusals.isEmpty else { throw OutputError(description: refusals.joined(separator: "\n")) }
        let first = files[0]
        var problems: [String] = []
        for (path, f) in zip(paths, files).dropFirst() {
            if f.scenario != first.scenario { problems.append("\(path): its scenario differs from \(firstPath)'s") }
            if f.trials != first.trials || f.seed != first.seed || f.generator != first.generator || f.sampler != first.sampler {
                problems.append("\(path): trials/seed/rng/sampler (\(f.trials)/\(f.seed)/\(f.generator.rawValue)/\(f.sampler.rawValue)) differ from \(firstPath)'s (\(first.trials)/\(first.seed)/\(first.generator.rawValue)/\(first.sampler.rawValue))")
            }
        }
        let shards = files.flatMap(\.shards)
        let counts = Set(shards.map(\.count))
        if counts.count != 1 {
            problems.append("the files mix shard counts \(counts.sorted().map(String.init).joined(separator: ", "))")
        } else if let n = counts.first {
            // Each file's shard is within 1...n and n is at most the run's chunk count (checked on load).
            var given = [Int](repeating: 0, count: n + 1)
            for s in shards { given[s.index] += 1 }
            let missing = (1...n).filter { given[$0] == 0 }
            let repeated = (1...n).filter { given[$0] > 1 }
            func list(_ indices: [Int]) -> String {
                let shown = indices.prefix(20).map { "\($0)/\(n)" }.joined(separator: ", ")
                return indices.count > 20 ? "\(shown), ... (\(indices.count) in all)" : shown
            }
            if !missing.isEmpty { problems.append("missing shard(s) \(list(missing))") }
            if !repeated.isEmpty { problems.append("shard(s) given more than once: \(list(repeated))") }
        }
        guard problems.isEmpty else { throw OutputError(description: problems.joined(separator: "\n")) }
        var state = try first.runState(file: firstPath)
        for (path, f) in zip(paths, files).dropFirst() { state.merge(try f.runState(file: path)) }
        state.shards = [.whole]
        return state
    }
}
