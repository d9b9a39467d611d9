import ArgumentParser
import EffSim
import Foundation

extension RandomGenerator: ExpressibleByArgument {}
extension SamplerKind: ExpressibleByArgument {}

/// `--shard K/N` or `--shard auto/N` (K from a job array's index) and `--state FILE|FOLDER/`:
/// run one share of the work and write its mergeable state (`effsim merge`).
struct ShardOptions: ParsableArguments {
    @Option(
        help:
            "Run only shard K of N (K/N with 1 <= K <= N, e.g. 2/4; or auto/N: K from SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX or EFFSIM_ARRAY_INDEX) and write its state with --state; combine with 'effsim merge'."
    )
    var shard: String?

    @Option(
        help:
            "With --shard: the file to write this shard's mergeable state to, or a folder (an existing one, or a path ending in /) to write shard-K-of-N.json in."
    )
    var state: String?

    func validate() throws {
        if (shard == nil) != (state == nil) { throw ValidationError("--shard and --state go together") }
        if let shard {
            do { try Shard.autoCount(shard) } catch { throw ValidationError("\(error)") }
        }
    }

    /// The shard (K read from the environment for auto/N), or nil without --shard; exit 2 for a bad one.
    func resolved() throws -> Shard? {
        guard let shard else { return nil }
        do { return try Shard.resolve(shard, environment: ProcessInfo.processInfo.environment) } catch {
            throw CommandFailure.badInput("\(error)")
        }
    }

    /// Where the shard's state goes, checked before any sampling (exit 2 for a place it cannot go).
    func statePath(for shard: Shard) throws -> String {
        let path = StateFolder.path(state ?? "", shard: shard)
        do { try Destination.checkStateFile(path) } catch { throw CommandFailure.badInput("\(error)") }
        return path
    }

    /// Writes a shard's state file all at once (a temporary name, then renamed).
    func write(_ data: Data, to path: String) throws {
        let folder = ParentFolder.of(path)
        var files = AtomicFiles(directory: folder.isEmpty ? "." : folder)
        do {
            try files.stage((path as NSString).lastPathComponent, data)
            try files.commit()
        } catch { throw CommandFailure.failed("\(error)") }
    }
}

/// How the draws are made: the flags `run`, `sweep` and `sensitivity` share.
struct DrawOptions: ParsableArguments {
    @Option(
        help:
            "Generator: taus2, mt19937, ranlxd2 (GSL's) or philox (counter-based, vectorised). Same seed and generator, same draws."
    )
    var rng: RandomGenerator = .taus2

    @Option(help: "Uniform source: independent pseudo-random draws or a randomly shifted quasi-random sequence.")
    var sampler: SamplerKind = .pseudo
}

/// `--trials` and `--seed`: override the scenario's values. Whole numbers are read as in a
/// scenario file (1000000, 1e6); a negative value is read as a value, not as a flag.
struct ScenarioOverrides: ParsableArguments {
    @Option(
        parsing: .unconditional,
        help: "Number of trials, 1 to 10^12, e.g. 1000000 or 1e6 (overrides the scenario's \"trials\").",
        transform: { try wholeNumber($0, in: 1...Scenario.maximumTrials) })
    var trials: Int?

    @Option(
        parsing: .unconditional, help: "Random seed, 0 to 2^53 (overrides the scenario's \"seed\").",
        transform: { UInt64(try wholeNumber($0, in: 0...Int(Scenario.maximumSeed))) })
    var seed: UInt64?

    /// The scenario with these overrides applied.
    func apply(to scenario: Scenario) -> Scenario {
        var s = scenario
        if let trials { s.trials = trials }
        if let seed { s.seed = seed }
        return s
    }
}

/// `--out` and `--quiet`.
struct OutputOptions: ParsableArguments {
    @Option(
        help: "Output folder (default: results/<scenario file name without .json>; for merge, results/<scenario name>)."
    )
    var out: String?

    @Flag(help: "Print nothing but errors.")
    var quiet = false
}

/// `--force`, for the commands that write a run's results folder.
struct ForceOption: ParsableArguments {
    @Flag(
        help:
            "Replace an output folder written from another scenario file (the same file, however edited, replaces its own folder without it)."
    )
    var force = false
}

/// `--show`: the statistics a console table shows.
struct ShowOption: ParsableArguments {
    @Option(help: "Statistics the console table shows, e.g. p10,p50,p90,p_gt_1000 (summary.csv columns).")
    var show: String?

    /// The columns, checked against the scenario's summary columns (exit 2 before sampling).
    func columns(for scenario: Scenario) throws -> [String]? {
        guard let show else { return nil }
        do { return try ConsoleReport.parseShow(show, scenario: scenario) } catch {
            throw CommandFailure.badInput("\(error)")
        }
    }
}

/// `--threads`.
struct ThreadOptions: ParsableArguments {
    @Option(help: "Worker threads (default: every core). Results do not depend on it.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }
}

/// `--bins`, for the commands that write histogram.csv.
struct BinOptions: ParsableArguments {
    @Option(
        help:
            "histogram.csv bins per decade of log10, 1 to 1024; exact counts when it divides 20480 (10, 20, 40, 80, ...). Default: 20, or finer (up to 640) when an output's central 99% would get fewer than 30 bins."
    )
    var bins: Int?

    func validate() throws {
        if let bins, !HistogramCSV.isValid(binsPerDecade: bins) {
            throw ValidationError("--bins must be from 1 to \(HistogramCSV.maximumBinsPerDecade)")
        }
    }
}

/// A whole number written as in JSON (`1000000`, `1e6`, `2.5e3`) within `range`; digits alone are
/// read exactly, so a seed above 2^53 is refused rather than rounded.
func wholeNumber(_ text: String, in range: ClosedRange<Int>) throws -> Int {
    let reason = ValidationError("must be a whole number from \(range.lowerBound) to \(range.upperBound)")
    if !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) {
        guard text == "0" || !text.hasPrefix("0"), let n = Int(text), range.contains(n) else { throw reason }
        return n
    }
    // A JSON number, as in a scenario file: not 0x10, +5, inf or " 5" (which Double(_:) reads).
    guard !text.contains(where: \.isWhitespace), case let .number(x)? = try? JSONValue.parse(Data(text.utf8), file: "")
    else { throw reason }
    // Below 2^53 a double holds every whole number exactly; above, "9.007199254740993e15" would round.
    guard x == x.rounded(), abs(x) < 0x1p53, x >= Double(range.lowerBound), x <= Double(range.upperBound) else {
        throw reason
    }
    return Int(x)
}
