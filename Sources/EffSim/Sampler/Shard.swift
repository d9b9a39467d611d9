import Foundation

/// Which part of a run's chunks a process samples: shard `index` of `count` (1-based) takes
/// every chunk c with c mod count == index - 1.
public struct Shard: Sendable, Equatable, Codable {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    public static let whole = Shard(index: 1, count: 1)

    /// Reads `K/N` (e.g. `2/4`) with 1 <= K <= N; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else { return nil }
        self.init(index: k, count: n)
    }

    public func owns(chunk c: Int) -> Bool { c % count == index - 1 }
}
