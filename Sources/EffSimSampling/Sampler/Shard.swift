import EffSimCore
import EffSimModel
import Foundation

/// Which part of a run's chunks a process samples: shard `index` of `count` (1-based) takes
/// every chunk c with c mod count == index - 1.
public struct Shard: Sendable, Equatable, Codable {
    /// K, from 1 to `count`.
    public var index: Int
    /// N, the number of shards the run is split into.
    public var count: Int

    /// Shard `index` of `count` (not checked: `Engine.check` refuses a bad one).
    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// The whole run, in one process.
    public static let whole = Shard(index: 1, count: 1)

    /// Reads `K/N` (e.g. `2/4`) with 1 <= K <= N; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else {
            return nil
        }
        self.init(index: k, count: n)
    }

    /// Whether chunk c (0-based) is this shard's: c mod count == index - 1.
    public func owns(chunk c: Int) -> Bool { c % count == index - 1 }

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
