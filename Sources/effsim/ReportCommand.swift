import ArgumentParser
import EffSim
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Draw report.html and the charts (SVG) of a finished run's folder.",
        discussion: """
            Reads run.json, summary.csv, histogram.csv and, when present, sensitivity.csv in the folder and \
            writes report.html (self-contained: inline SVG, no script, no network), histogram-<output>.svg, \
            exceedance.svg, factors.svg and tornado.svg (with sensitivity.csv) beside them, all or none.
            """
    )

    @Argument(help: "A folder written by 'effsim run' or 'effsim merge'.")
    var directory: String

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        try writeReport(directory, quiet: quiet)
    }
}

/// Writes the report of a results folder (as one unit with it), or throws what is wrong with it.
func writeReport(_ directory: String, quiet: Bool) throws {
    let written: (names: [String], notes: [String])
    do { written = try RunReport.write(directory: directory) } catch { throw CommandFailure.writing(error) }
    printNotes(written.notes)
    if !quiet { print("wrote \(written.names.joined(separator: ", ")) in \(Quoted.path(directory))") }
}
