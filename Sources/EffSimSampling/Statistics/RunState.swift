import EffSimCore
import EffSimModel
import Foundation

/// The mergeable result of sampling some or all chunks of a run.
public struct RunState: Sendable, Equatable {
    /// The scenario sampled.
    public var scenario: Scenario
    /// The pseudo-random generator the run used.
    public var generator: RandomGenerator
    /// Pseudo-random or quasi-random points.
    public var sampler: SamplerKind
    /// The shards whose chunks this state holds.
    public var shards: [Shard]
    /// One per metric: the factors after clamping, then the outputs (see `MetricLayout`).
    public var metrics: [MetricState]

    /// A state of these parts (the engine's result, or a state file read back).
    package init(
        scenario: Scenario, generator: RandomGenerator, sampler: SamplerKind, shards: [Shard], metrics: [MetricState]
    ) {
        self.scenario = scenario
        self.generator = generator
        self.sampler = sampler
        self.shards = shards
        self.metrics = metrics
    }

    /// Adds another part of the same run.
    public mutating func merge(_ other: RunState) {
        for i in metrics.indices { metrics[i].merge(other.metrics[i]) }
        shards += other.shards
    }
}
