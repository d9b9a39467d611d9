import EffSimCore
import EffSimModel
import Foundation

/// How a run is carried out: none of it changes the result except the generator, the sampler
/// and which shard is sampled.
public struct RunOptions: Sendable {
    /// Worker threads (capped at the processor count); the result does not depend on it.
    public var threads: Int
    /// The GSL generator each chunk draws from (`--rng`).
    public var generator: RandomGenerator
    /// Pseudo-random or quasi-random points (`--sampler`).
    public var sampler: SamplerKind
    /// The part of the chunks this process samples (`--shard`).
    public var shard: Shard
    /// Called from worker threads with (chunks done, chunks in this shard) after each chunk.
    public var progress: (@Sendable (Int, Int) -> Void)?
    /// Polled from worker threads before each chunk: true stops the run, which then throws
    /// `CancellationError` (`effsim serve` drops a computation that a newer edit made stale).
    public var isCancelled: (@Sendable () -> Bool)? = nil

    /// Options with the defaults of `effsim run`: every processor, taus2, pseudo-random, the whole run.
    public init(
        threads: Int = ProcessInfo.processInfo.activeProcessorCount, generator: RandomGenerator = .taus2,
        sampler: SamplerKind = .pseudo, shard: Shard = .whole, progress: (@Sendable (Int, Int) -> Void)? = nil,
        isCancelled: (@Sendable () -> Bool)? = nil
    ) {
        self.threads = threads
        self.generator = generator
        self.sampler = sampler
        self.shard = shard
        self.progress = progress
        self.isCancelled = isCancelled
    }
}

/// A run setting the scenario cannot be sampled with (checked before any sampling).
public struct EngineError: Error, CustomStringConvertible, Sendable {
    /// The message.
    public var description: String

    /// A refusal saying `description`.
    public init(description: String) { self.description = description }
}
