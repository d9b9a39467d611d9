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

    @Option(parsing: .unconditional, help: "Trials at every point, 1 to 10^12, e.g. 1e6 (overrides the sweep file and the base scenario).",
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

    @Flag(help: "Also write report.html: per output, p10/p50/p90 and each P(>t) against the varied parameter.")
    var report = false

    @Option(help: "The most grid points to accept (default \(Sweep.defaultMaximumPoints)); a larger grid is refused before any work.")
    var maxPoints: Int = Sweep.defaultMaximumPoints

    func run() throws {
        let options = RunOptions(threads: workers.threads, generator: draws.rng, sampler: draws.sampler)
        let plan: Sweep
        let points: [Sweep.Point]
        do {
            plan = try Sweep.load(path: sweep)
            points = try plan.points(trials: trials, options: options, maximumPoints: maxPoints)
        } catch { throw CommandFailure.badInput("\(error)") }
        let directory = out ?? "results/sweeps/\(plan.name)"
        do { try OutputTarget.checkFolder(directory) } catch { throw CommandFailure.badInput("\(error)") }
        let shown = try table.columns(for: points[0].scenario) ?? ["p50"]
        // The folder is locked and checked before sampling: it remembers its sweep file.
        let update: FolderUpdate
        do { update = try FolderUpdate(target: directory, scenario: nil, inputs: ("sweep.json", [sweep]), force: force) } catch { throw CommandFailure.writing(error) }
        let rows: [SweepRow]
        do { rows = try plan.run(points, options: options) } catch { update.discard(); throw CommandFailure.sampling(error) }
        do {
            try FiniteOutput.check(rows.map(\.summary))
            try update.stage("sweep.csv", SweepCSV.render(rows, sweep: plan, scenario: points[0].scenario))
            try update.stage("sweep.json", InputRecord(files: [sweep], folder: directory).encoded())
            if report { try update.stage("report.html", SweepReport.render(rows, sweep: plan, points: points)) }
            try update.carryOver(for: .report)
            try update.commit()
        } catch { update.discard(); throw CommandFailure.writing(error, file: sweep) }
        if !quiet {
            print(SweepCSV.report(rows, sweep: plan, points: points, shown: shown), terminator: "")
            print("\nwrote sweep.csv, sweep.json\(report ? " and report.html" : "") in \(Quoted.path(directory))")
        }
    }
}
