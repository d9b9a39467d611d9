import Foundation

public struct RunOptions: Sendable {
    public var threads: Int
    public var generator: RandomGenerator
    public var sampler: SamplerKind
    public var shard: Shard
    /// Called from worker threads with (chunks done, chunks in this shard) after each chunk.
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount, generator: RandomGenerator = .taus2,
                sampler: SamplerKind = .pseudo, shard: Shard = .whole, progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.threads = threads
        self.generator = generator
        self.sampler = sampler
        self.shard = shard
        self.progress = progress
    }
}

/// A run setting the scenario cannot be sampled with (checked before any sampling).
public struct EngineError: Error, CustomStringConvertible, Sendable {
    public var description: String
}
