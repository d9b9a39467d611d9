import ArgumentParser
import EffSim
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Draw report.html and the charts (SVG) of a finished run's folder.",
        discussion: """
        Reads run.json, summary.csv, histogram.csv and, when its sensitivity.json says it is of the same \
        draws, sensitivity.csv in the folder and \
        writes report.html (self-contained: inline SVG, no script, no network), histogram-<output>.svg, \
        exceedance.svg, factors.svg and tornado.svg (with sensitivity.csv) beside them, all or none.
        """
    )

    @Argument(help: "A folder written by 'effsim run' or 'effsim merge'.")
    var directory: String

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        SignalCleanup.install()
        let written: (names: [String], notes: [String])
        do { written = try RunReport.write(directory: directory) } catch { failWriting(error) }
        printNotes(written.notes)
        if !quiet { print("wrote \(written.names.joined(separator: ", ")) in \(directory)") }
    }
}

/// Locks and checks a run's output folder before sampling, or exits (2 for another scenario's folder).
func beginFolder(_ scenario: Scenario, _ directory: String, force: Bool) -> FolderUpdate {
    do { return try RunOutputs.begin(scenario, directory: directory, force: force) } catch { failWriting(error) }
}

/// Writes a finished run's folder (and its report) or exits with what went wrong; prints the table.
func writeRun(_ state: RunState, into update: FolderUpdate, bins: Int, report: Bool, quiet: Bool, shown: [String]? = nil) {
    let directory = update.target
    let written: (rows: [SummaryRow], notes: [String])
    do { written = try RunOutputs.write(state, into: update, binsPerDecade: bins, report: report) } catch { failWriting(error) }
    printNotes(written.notes)
    if !quiet {
        print(ConsoleReport.render(state, rows: written.rows, shown: shown), terminator: "")
        print("\nwrote summary.csv, precision.csv, histogram.csv and run.json\(report ? ", report.html and its charts" : "") in \(directory)")
    }
}

/// `--show` checked against the scenario's summary columns, or exit 2 before sampling.
func parsedShow(_ show: String?, scenario: Scenario) -> [String]? {
    guard let show else { return nil }
    do { return try ConsoleReport.parseShow(show, scenario: scenario) } catch { fail("\(error)", code: 2) }
}
