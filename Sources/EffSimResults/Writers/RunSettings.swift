import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// What decides a run's draws, and how many: the scenario document as run, the trial count, the
/// seed, the generator and the sampler. One run identity for both files that record it —
/// `run.json` (``RunRecord``) and shard state files (``StateFile``) — which write these fields
/// as the same top-level keys: `scenario`, `trials`, `seed`, `rng`, `sampler`.
public struct RunSettings: Codable, Equatable, Sendable {
    /// The scenario document, every default spelled out (`Scenario.document`).
    public var scenario: JSONValue
    /// The run's trial count (all shards together).
    public var trials: Int
    /// The run seed; chunk c draws from a stream seeded by (seed, c).
    public var seed: UInt64
    /// The generator (`--rng`), written as `rng`.
    public var rng: RandomGenerator
    /// Pseudo-random or quasi-random points (`--sampler`).
    public var sampler: SamplerKind

    /// The keys these settings take in a file, in the order of the fields.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        /// One key per field, named as the field.
        case scenario, trials, seed, rng, sampler
    }

    /// The settings a finished (or sharded) run was sampled with.
    public init(_ state: RunState) {
        scenario = state.scenario.document
        trials = state.scenario.trials
        seed = state.scenario.seed
        rng = state.generator
        sampler = state.sampler
    }

    /// The settings of `scenario` (its trials and seed) drawn with `rng` and `sampler`.
    public init(scenario: Scenario, rng: RandomGenerator, sampler: SamplerKind) {
        self.scenario = scenario.document
        trials = scenario.trials
        seed = scenario.seed
        self.rng = rng
        self.sampler = sampler
    }

    /// The scenario these settings ran, validated again by `ScenarioReader`, with their trials and
    /// seed; `file` names it in messages.
    public func validatedScenario(file: String) throws -> Scenario {
        var s = try ScenarioReader.read(scenario, file: file)
        s.trials = trials
        s.seed = seed
        return s
    }

    /// `Fingerprint.run`: the scenario with every setting here.
    public var fingerprint: String {
        Fingerprint.run(scenario, trials: trials, seed: seed, rng: rng, sampler: sampler)
    }

    /// `Fingerprint.draws`: the key a sensitivity analysis of the same draws carries (trials aside).
    public var drawsFingerprint: String { Fingerprint.draws(scenario, seed: seed, rng: rng, sampler: sampler) }

    /// `trials/seed/rng/sampler`, for messages comparing two runs.
    public var drawSummary: String { "\(trials)/\(seed)/\(rng.rawValue)/\(sampler.rawValue)" }
}
