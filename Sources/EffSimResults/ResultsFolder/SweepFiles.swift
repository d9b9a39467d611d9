import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// A sweep's folder: sweep.csv, sweep.json (the sweep file it was written from) and, with a
/// report, report.html.
public enum SweepFiles {
    /// The default folder: `results/sweeps/<sweep name>`.
    public static func defaultDirectory(_ sweep: Sweep) -> String { "results/sweeps/\(sweep.name)" }

    /// Locks and checks the folder; one written from another sweep file or by another command is
    /// refused unless `force`.
    public static func begin(directory: String, sweepFile: String, force: Bool = false) throws -> FolderUpdate {
        try FolderUpdate(target: directory, scenario: nil, inputs: ("sweep.json", [sweepFile]), force: force)
    }

    /// Writes the sweep's files into `update` and commits it.
    public static func write(
        _ rows: [SweepRow], sweep: Sweep, points: [Sweep.Point], report: Bool, into update: FolderUpdate
    ) throws {
        do {
            try FiniteOutput.check(rows.map(\.summary))
            try update.stage("sweep.csv", SweepCSV.render(rows, sweep: sweep, scenario: points[0].scenario))
            try update.stage("sweep.json", InputRecord(files: [sweep.file], folder: update.target).encoded())
            if report { try update.stage("report.html", SweepReport.render(rows, sweep: sweep, points: points)) }
            try update.carryOver(for: .report)
            try update.commit()
        } catch {
            update.discard()
            throw error
        }
    }
}
