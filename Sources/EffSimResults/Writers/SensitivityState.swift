import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// A sensitivity shard's state (`effsim sensitivity SCENARIO --shard K/N --state ...`): the
/// analysis's settings (the keys of `run.json`, under `settings`), each of the shard's chunks' bin moments and the
/// shard's tornado median histograms. Shard K takes the chunks c with c mod N = K - 1, as a run's
/// shard does. The moments are floating-point sums that the single process folds in chunk order,
/// so a state keeps every chunk's (tens of kilobytes each) and `merge` folds them in that order:
/// the result is the same bytes as one process. The median histograms are integer counts and
/// merge exactly.
public struct SensitivityState: ChecksummedFile {
    /// The format this version writes and reads.
    public static let format = "effsim-sensitivity-state-1"

    /// The format the file says it is in.
    public var format: String
    /// What decided the draws (the keys of `run.json`, under `settings`).
    public var settings: RunSettings
    /// The shard the file holds (one).
    public var shards: [Shard]
    /// The shard's chunks, ascending, with their moments.
    var chunks: [Chunk]
    /// The tornado median histograms (`SensitivityPlan` order).
    var medians: [StateFile.Metric]
    /// Median histograms that were given a value that is not finite.
    var nonFinite: [Bool]
    /// SHA-256 (hex) of `payload()`.
    public var checksum: String?
    /// The scenario file the shard analysed, as an absolute path (see `StateFile.scenarioFile`).
    public var scenarioFile: String?

    /// One chunk's moments.
    struct Chunk: Codable {
        var index: Int
        var moments: SensitivityMoments
    }

    /// Samples shard `options.shard` of the analysis of `scenario`.
    public init(analysing scenario: Scenario, options: RunOptions) throws {
        let part = try Sensitivity.sample(scenario, options: options, keepsChunks: true)
        format = Self.format
        settings = RunSettings(scenario: scenario, rng: options.generator, sampler: options.sampler)
        shards = [options.shard]
        chunks = part.chunks.keys.sorted().map { Chunk(index: $0, moments: part.chunks[$0]!) }
        medians = part.medians.map(StateFile.Metric.init)
        nonFinite = part.nonFinite
    }

    /// Reads and checks one sensitivity state: its scenario validates, its shard fits the run,
    /// it holds exactly the shard's chunks with moments of the plan's shape, and its median
    /// histograms are sound.
    public static func load(path: String) throws -> (state: SensitivityState, scenario: Scenario) {
        let name = Quoted.path(path)
        let file = try read(path: path, format: format).file
        func refuse(_ problems: [String]) -> OutputError {
            OutputError(description: problems.map { "\(name): \($0)" }.joined(separator: "\n"))
        }
        let scenario: Scenario
        do { scenario = try file.settings.validatedScenario(file: path) } catch let error as ScenarioError {
            throw refuse(error.issues.map { "its scenario: \($0)" })
        }
        guard file.shards.count == 1, let shard = file.shards.first else {
            throw refuse(["holds \(file.shards.count) shards; a state file holds one"])
        }
        do {
            try Engine.check(
                scenario,
                RunOptions(threads: 1, generator: file.settings.rng, sampler: file.settings.sampler, shard: shard))
        } catch {
            throw refuse(["shard \(shard.index)/\(shard.count): \(error)"])
        }
        let plan = SensitivityPlan(scenario)
        let owned = (0..<Engine.chunkCount(trials: scenario.trials)).filter { shard.owns(chunk: $0) }
        var problems: [String] = []
        if file.chunks.map(\.index) != owned {
            problems.append("its chunks are not those of shard \(shard.index)/\(shard.count)")
        }
        for chunk in file.chunks
        where !chunk.moments.fits(plan, trials: min(Engine.chunkSize, scenario.trials - chunk.index * Engine.chunkSize))
        {
            problems.append(
                "chunk \(chunk.index): its moments do not fit the scenario's factors, outputs and bins or the chunk's trials"
            )
        }
        if file.medians.count != plan.medianHistogramCount || file.nonFinite.count != plan.medianHistogramCount {
            problems.append(
                "holds \(file.medians.count) median histograms, its scenario needs \(plan.medianHistogramCount)")
        } else {
            let trials = shard.trials(ofRun: scenario.trials)
            for (h, m) in file.medians.enumerated() {
                // A histogram that was given a non-finite value left that block out.
                let expected = file.nonFinite[h] ? min(m.count, trials) : trials
                problems += m.problems(expectedCount: expected, levels: SensitivityWorker.noLevels).map {
                    "medians[\(h)]: \($0)"
                }
            }
        }
        guard problems.isEmpty else { throw refuse(problems) }
        return (file, scenario)
    }

    /// The analysis's rows from every shard's state: one analysis, every shard once, the chunks'
    /// moments folded in chunk order as one process folds them.
    /// The record's `scenarioFile` is the absolute path the shards name, when they all name one;
    /// the caller makes it relative to the folder it writes.
    public static func merge(paths: [String]) throws -> (
        scenario: Scenario, record: SensitivityRecord, rows: [SensitivityRow]
    ) {
        var loaded: [(path: String, state: SensitivityState, scenario: Scenario)] = []
        var problems: [String] = []
        for path in paths {
            do {
                let l = try load(path: path)
                loaded.append((path, l.state, l.scenario))
            } catch { problems.append("\(error)") }
        }
        if let first = loaded.first {
            for l in loaded.dropFirst() where l.state.settings != first.state.settings {
                problems.append(
                    "\(Quoted.path(l.path)): a shard of another analysis (scenario, trials, seed, rng or sampler) than \(Quoted.path(first.path))"
                )
            }
        }
        if problems.isEmpty { problems += ShardSet(loaded.flatMap(\.state.shards)).problems }
        guard problems.isEmpty, let first = loaded.first else {
            throw OutputError(description: problems.isEmpty ? "no state files given" : problems.joined(separator: "\n"))
        }
        let plan = SensitivityPlan(first.scenario)
        var byChunk: [Int: SensitivityMoments] = [:]
        var medians = Array(
            repeating: MetricState(levels: SensitivityWorker.noLevels), count: plan.medianHistogramCount)
        var nonFinite = Array(repeating: false, count: medians.count)
        for l in loaded {
            for chunk in l.state.chunks { byChunk[chunk.index] = chunk.moments }
            for h in medians.indices {
                medians[h].merge(l.state.medians[h].state(levels: SensitivityWorker.noLevels))
                nonFinite[h] = nonFinite[h] || l.state.nonFinite[h]
            }
        }
        var moments = SensitivityMoments(plan)
        for c in byChunk.keys.sorted() { moments.merge(byChunk[c]!) }
        let s = first.scenario
        var record = SensitivityRecord(s, rng: first.state.settings.rng, sampler: first.state.settings.sampler)
        let files = Set(loaded.map(\.state.scenarioFile))
        record.scenarioFile = files.count == 1 ? files.first! : nil
        return (s, record, Sensitivity.rows(plan, moments, histograms: medians, nonFinite: nonFinite))
    }
}
