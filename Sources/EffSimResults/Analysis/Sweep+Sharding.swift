import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// Splitting a sweep over the tasks of a job array: by grid points (see ``SweepState``).
extension Sweep {
    /// The points shard K of N runs: i mod N = K - 1 (0-based, grid order), as chunks are dealt.
    public static func pointIndices(count: Int, shard: Shard) -> [Int] {
        Array(stride(from: shard.index - 1, to: count, by: shard.count))
    }

    /// One key for every point's run (`Fingerprint.run` of each, in grid order), so a merge can
    /// tell that the sweep file and its base scenario are still the ones the shards ran.
    public static func fingerprint(_ points: [Point], options: RunOptions) -> String {
        let runs = points.map {
            Fingerprint.run(
                $0.scenario.document, trials: $0.scenario.trials, seed: $0.scenario.seed, rng: options.generator,
                sampler: options.sampler)
        }
        return Fingerprint.hash(Data(runs.joined(separator: " ").utf8))
    }

    /// Runs shard `options.shard`'s points and returns its state; refuses more shards than points.
    public func runShard(_ points: [Point], trials: Int?, options: RunOptions) throws -> SweepState {
        let shard = options.shard
        guard shard.count <= points.count else {
            throw SweepError(
                file: file,
                problems: [
                    "--shard \(shard.index)/\(shard.count): the sweep has \(points.count) point(s) and is split by points, so at most \(points.count) shard(s)"
                ])
        }
        var whole = options
        whole.shard = .whole
        let rows = try Self.pointIndices(count: points.count, shard: shard).map { i in
            (point: i, rows: try run([points[i]], options: whole))
        }
        return SweepState(sweep: self, points: points, trials: trials, options: options, rows: rows)
    }
}
