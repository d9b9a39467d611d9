import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// The shards a merge was given: all of one split, each once. Shared by the merges of runs,
/// sweeps and sensitivity analyses.
public struct ShardSet {
    /// The shards, as the files gave them.
    public var shards: [Shard]

    /// The shards the files hold.
    public init(_ shards: [Shard]) { self.shards = shards }

    /// What keeps them from being one whole split: mixed counts, missing or repeated shards
    /// (each file's shard lies within 1...N, checked when it is read). Empty when whole.
    public var problems: [String] {
        let counts = Set(shards.map(\.count))
        guard counts.count == 1, let n = counts.first else {
            return counts.isEmpty
                ? [] : ["the files mix shard counts \(counts.sorted().map(String.init).joined(separator: ", "))"]
        }
        var given = [Int](repeating: 0, count: n + 1)
        for s in shards { given[s.index] += 1 }
        let missing = (1...n).filter { given[$0] == 0 }
        let repeated = (1...n).filter { given[$0] > 1 }
        func list(_ indices: [Int]) -> String {
            let shown = indices.prefix(20).map { "\($0)/\(n)" }.joined(separator: ", ")
            return indices.count > 20 ? "\(shown), ... (\(indices.count) in all)" : shown
        }
        var problems: [String] = []
        if !missing.isEmpty {
            let files = missing.prefix(20).map { Shard(index: $0, count: n).stateFileName }.joined(separator: ", ")
            problems.append(
                "missing shard(s) \(list(missing)) (\(files)\(missing.count > 20 ? ", ..." : "")): rerun them; merge refuses until every shard is there"
            )
        }
        if !repeated.isEmpty { problems.append("shard(s) given more than once: \(list(repeated))") }
        return problems
    }
}
