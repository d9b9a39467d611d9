import Foundation

/// The mergeable result of sampling some or all chunks of a run.
public struct RunState: Sendable, Equatable {
    public var scenario: Scenario
    public var generator: RandomGenerator
    public var sampler: SamplerKind
    public var shards: [Shard]
    /// One per metric: the factors after clamping, then the outputs (see `MetricLayout`).
    public var metrics: [MetricState]

    /// Adds another part of the same run.
    public mutating func merge(_ other: RunState) {
        for i in metrics.indices { metrics[i].merge(other.metrics[i]) }
        shards += other.shards
    }
}
