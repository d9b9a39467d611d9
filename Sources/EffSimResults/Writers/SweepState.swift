import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// A sweep shard's state (`effsim sweep SWEEP.json --shard K/N --state ...`): the summary rows of
/// the grid points it ran. A sweep is split by points, not by chunks: point i (0-based, grid
/// order) belongs to shard K when i mod N = K - 1, and runs whole in one process, so its rows are
/// the ones `effsim sweep` computes, and a state is kilobytes whatever the trials (a point's
/// fine histograms would be megabytes). `effsim merge` checks the states, reads the sweep file
/// again (its points must have the fingerprint the shards ran), and writes sweep.csv.
public struct SweepState: ChecksummedFile, Equatable {
    /// The format this version writes and reads.
    public static let format = "effsim-sweep-state-1"

    /// The format the file says it is in.
    public var format: String
    /// The sweep's name.
    public var sweep: String
    /// The sweep file, as an absolute path (the merge reads it again).
    public var file: String
    /// `--trials` when given (else the sweep file's or the base scenario's).
    public var trials: Int?
    /// The generator (`--rng`).
    public var rng: RandomGenerator
    /// The sampler (`--sampler`).
    public var sampler: SamplerKind
    /// The grid's number of points.
    public var points: Int
    /// `Sweep.fingerprint` of every point as run: the merge refuses a sweep file edited since.
    public var fingerprint: String
    /// The shard the file holds (one).
    public var shards: [Shard]
    /// The rows of the shard's points, in grid order.
    public var rows: [Row]
    /// SHA-256 (hex) of `payload()`.
    public var checksum: String?

    /// One output's summary at one grid point (a row of sweep.csv without the parameter values).
    public struct Row: Codable, Equatable {
        /// The grid point's index (0-based, grid order).
        public var point: Int
        /// The output's id.
        public var metric: String
        /// The point's trials.
        public var trials: Int
        /// Its mean.
        public var mean: Double
        /// Its percentiles, in the scenario's order.
        public var percentiles: [Double]
        /// P(value > t), in the order of the scenario's threshold columns; null where the output
        /// does not report a threshold (another output's own).
        public var exceedance: [Double?]
    }

    /// The state of shard `shard` of `sweep`, whose points `indices` gave `rows` (per point).
    public init(
        sweep: Sweep, points: [Sweep.Point], trials: Int?, options: RunOptions, rows: [(point: Int, rows: [SweepRow])]
    ) {
        format = Self.format
        self.sweep = sweep.name
        file = URL(fileURLWithPath: sweep.file).standardizedFileURL.path
        self.trials = trials
        rng = options.generator
        sampler = options.sampler
        self.points = points.count
        fingerprint = Sweep.fingerprint(points, options: options)
        shards = [options.shard]
        self.rows = rows.flatMap { p in
            p.rows.map { r in
                Row(
                    point: p.point, metric: r.summary.metric, trials: r.summary.trials, mean: r.summary.mean,
                    percentiles: r.summary.percentiles, exceedance: r.summary.exceedance)
            }
        }
    }

    /// What a merge needs in common: one sweep, run with the same settings.
    var identity: String {
        "\(sweep) \(file) trials=\(trials.map(String.init) ?? "sweep's") rng=\(rng.rawValue) sampler=\(sampler.rawValue) points=\(points) fingerprint=\(fingerprint)"
    }

    /// Reads and checks one sweep state: the shard lies within 1...N with N at most the points,
    /// and the rows are those of exactly the shard's points, in order.
    public static func load(path: String) throws -> SweepState {
        let name = Quoted.path(path)
        let file = try read(path: path, format: format).file
        var problems: [String] = []
        if file.shards.count != 1 {
            problems.append("holds \(file.shards.count) shards; a state file holds one")
        } else if let s = file.shards.first,
            !(1...max(1, min(s.count, file.points))).contains(s.index) || s.count > file.points
        {
            problems.append(
                "shard \(s.index)/\(s.count) is not one of 1 to N with N at most the sweep's \(file.points) points")
        } else {
            let owned = Array(stride(from: file.shards[0].index - 1, to: file.points, by: file.shards[0].count))
            var seen: [Int] = []
            for r in file.rows where seen.last != r.point { seen.append(r.point) }
            if seen != owned {
                problems.append(
                    "its rows are not those of points \(owned.map(String.init).joined(separator: ", ")) of shard \(file.shards[0].index)/\(file.shards[0].count)"
                )
            }
        }
        guard problems.isEmpty else {
            throw OutputError(description: problems.map { "\(name): \($0)" }.joined(separator: "\n"))
        }
        return file
    }

    /// The merged sweep: every shard's rows, checked to be of one sweep, every shard once, and
    /// of the sweep file as it is now (read again, every point validated).
    public static func merge(paths: [String]) throws -> (sweep: Sweep, points: [Sweep.Point], rows: [SweepRow]) {
        var states: [(path: String, state: SweepState)] = []
        var problems: [String] = []
        for path in paths {
            do { states.append((path, try load(path: path))) } catch { problems.append("\(error)") }
        }
        if let first = states.first {
            for (path, s) in states.dropFirst() where s.identity != first.state.identity {
                problems.append(
                    "\(Quoted.path(path)): a shard of another sweep or settings (\(s.identity)) than \(Quoted.path(first.path)) (\(first.state.identity))"
                )
            }
        }
        if problems.isEmpty { problems += ShardSet(states.flatMap(\.state.shards)).problems }
        guard problems.isEmpty, let first = states.first?.state else {
            throw OutputError(description: problems.isEmpty ? "no state files given" : problems.joined(separator: "\n"))
        }
        let sweep = try Sweep.load(path: first.file)
        let options = RunOptions(generator: first.rng, sampler: first.sampler)
        let points = try sweep.points(trials: first.trials, options: options, maximumPoints: first.points)
        guard points.count == first.points, Sweep.fingerprint(points, options: options) == first.fingerprint else {
            throw OutputError(
                description:
                    "\(first.file): the sweep file or its base scenario changed since the shards ran; rerun them")
        }
        var byPoint = [[Row]](repeating: [], count: points.count)
        for (_, s) in states { for r in s.rows { byPoint[r.point].append(r) } }
        var rows: [SweepRow] = []
        for (i, point) in points.enumerated() {
            let s = point.scenario
            if byPoint[i].map(\.metric) != s.outputs.map(\.id)
                || byPoint[i].contains(where: {
                    $0.trials != s.trials || $0.percentiles.count != s.percentiles.count
                        || $0.exceedance.count != s.thresholdColumns.count
                })
            {
                problems.append(
                    "point \(sweep.label(point.values)): its rows do not fit the point's outputs, trials, percentiles and thresholds"
                )
            }
            for r in byPoint[i] {
                let summary = SummaryRow(
                    metric: r.metric, kind: .output, trials: r.trials, mean: r.mean,
                    percentiles: r.percentiles, exceedance: r.exceedance, floorShare: nil)
                rows.append(SweepRow(values: point.values, summary: summary))
            }
        }
        guard problems.isEmpty else { throw OutputError(description: problems.joined(separator: "\n")) }
        return (sweep, points, rows)
    }
}
