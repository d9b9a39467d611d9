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

    @Option(help: "Output folder (default: results/sweeps/<sweep name>).")
    var out: String?

    @Option(help: "Trials at every point (overrides the sweep file and the base scenario).")
    var trials: Int?

    @Option(help: "Worker threads (default: every core). Results do not depend on it.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var draws: DrawOptions

    @Option(help: "Statistics the console table shows, e.g. p10,p50,p90,p_gt_1000 (summary.csv columns).")
    var show: String?

    @Flag(help: "Also write report.html: per output, p10/p50/p90 and each P(>t) against the varied parameter.")
    var report = false

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if let trials, !(1...Scenario.maximumTrials).contains(trials) {
            throw ValidationError("--trials must be from 1 to \(Scenario.maximumTrials)")
        }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        SignalCleanup.install()
        let options = RunOptions(threads: threads, generator: draws.rng, sampler: draws.sampler)
        let plan: Sweep
        let points: [Sweep.Point]
        do {
            plan = try Sweep.load(path: sweep)
            points = try plan.points(trials: trials, options: options)
        } catch { fail("\(error)", code: 2) }
        let shown = parsedShow(show, scenario: points[0].scenario) ?? ["p50"]
        let rows: [SweepRow]
        do { rows = try plan.run(points, options: options) } catch { fail("\(error)") }
        let directory = out ?? "results/sweeps/\(plan.name)"
        do {
            let update = try FolderUpdate(target: directory, scenario: nil, force: false)
            try update.stage("sweep.csv", SweepCSV.render(rows, sweep: plan, scenario: points[0].scenario))
            if report { try update.stage("report.html", SweepReport.render(rows, sweep: plan, points: points)) }
            try update.carryOver(for: .report)
            try update.commit()
        } catch { failWriting(error) }
        if !quiet {
            print(SweepCSV.report(rows, sweep: plan, points: points, shown: shown), terminator: "")
            print("\nwrote sweep.csv\(report ? " and report.html" : "") in \(directory)")
        }
    }
}
