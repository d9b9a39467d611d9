import ArgumentParser
import EffSim
import Foundation

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a base scenario over a grid of edited parameters and write sweep.csv.",
        discussion: """
            The sweep file names a base scenario and one or two JSON paths with the values they take. \
            Every grid point is validated before any is sampled; sweep.csv is written only when all are done.
            """
    )

    @Argument(help: "The sweep file (JSON).")
    var sweep: String

    @Option(
        parsing: .unconditional,
        help: "Trials at every point, 1 to 10^12, e.g. 1e6 (overrides the sweep file and the base scenario).",
        transform: { try wholeNumber($0, in: 1...Scenario.maximumTrials) })
    var trials: Int?

    @Option(help: "Output folder for sweep.csv (and report.html) (default: results/sweeps/<sweep name>).")
    var out: String?

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    @Flag(help: "Replace an output folder written from another sweep file or by another command.")
    var force = false

    @OptionGroup var workers: ThreadOptions
    @OptionGroup var draws: DrawOptions
    @OptionGroup var table: ShowOption
    @OptionGroup var sharding: ShardOptions

    @Flag(help: "Also write report.html: per output, p10/p50/p90 and each P(>t) against the varied parameter.")
    var report = false

    @Option(
        help:
            "The most grid points to accept (default \(Sweep.defaultMaximumPoints)); a larger grid is refused before any work."
    )
    var maxPoints: Int = Sweep.defaultMaximumPoints

    func validate() throws {
        if report && sharding.shard != nil {
            throw ValidationError("--report needs the whole sweep: use --report with 'effsim merge'")
        }
    }

    func run() throws {
        let shard = try sharding.resolved()
        let options = RunOptions(
            threads: workers.threads, generator: draws.rng, sampler: draws.sampler, shard: shard ?? .whole)
        let plan: Sweep
        let points: [Sweep.Point]
        do {
            plan = try Sweep.load(path: sweep)
            points = try plan.points(
                trials: trials,
                options: RunOptions(threads: workers.threads, generator: draws.rng, sampler: draws.sampler),
                maximumPoints: maxPoints)
        } catch { throw CommandFailure.badInput("\(error)") }
        if let shard {
            let state = try sharding.statePath(for: shard)
            let result: SweepState
            do { result = try plan.runShard(points, trials: trials, options: options) } catch let error as SweepError {
                throw CommandFailure.badInput("\(error)")
            } catch { throw CommandFailure.sampling(error) }
            let data: Data
            do { data = try result.encoded() } catch { throw CommandFailure.failed("\(error)") }
            try sharding.write(data, to: state)
            return
        }
        let directory = out ?? SweepFiles.defaultDirectory(plan)
        do { try Destination.checkFolder(directory) } catch { throw CommandFailure.badInput("\(error)") }
        let shown = try table.columns(for: points[0].scenario) ?? ["p50"]
        // The folder is locked and checked before sampling: it remembers its sweep file.
        let update = try beginSweepFolder(directory, sweepFile: sweep, force: force)
        let rows: [SweepRow]
        do { rows = try plan.run(points, options: options) } catch {
            update.discard()
            throw CommandFailure.sampling(error)
        }
        try writeSweep(rows, plan, points, into: update, report: report, quiet: quiet, shown: shown)
    }
}

/// Locks and checks a sweep's output folder before any work (exit 2 for a folder of another
/// sweep file or command, unless `force`).
func beginSweepFolder(_ directory: String, sweepFile: String, force: Bool) throws -> FolderUpdate {
    do { return try SweepFiles.begin(directory: directory, sweepFile: sweepFile, force: force) } catch {
        throw CommandFailure.writing(error)
    }
}

/// Writes the sweep's folder and prints the table unless quiet (shared by `sweep` and `merge`).
func writeSweep(
    _ rows: [SweepRow], _ plan: Sweep, _ points: [Sweep.Point], into update: FolderUpdate, report: Bool, quiet: Bool,
    shown: [String]
) throws {
    do { try SweepFiles.write(rows, sweep: plan, points: points, report: report, into: update) } catch {
        throw CommandFailure.writing(error, file: plan.file)
    }
    if !quiet {
        print(SweepCSV.report(rows, sweep: plan, points: points, shown: shown), terminator: "")
        print("\nwrote sweep.csv, sweep.json\(report ? " and report.html" : "") in \(Quoted.path(update.target))")
    }
}
