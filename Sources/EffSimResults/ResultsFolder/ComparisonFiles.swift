import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// A comparison's folder: compare.csv, only-in-one.csv, compare.json (A and B) and, with the two
/// runs drawn, compare.html.
public enum ComparisonFiles {
    /// Locks and checks the folder; one written from other inputs or by another command is
    /// refused unless `force`.
    public static func begin(directory: String, a: String, b: String, force: Bool = false) throws -> FolderUpdate {
        try FolderUpdate(target: directory, scenario: nil, inputs: ("compare.json", [a, b]), force: force)
    }

    /// Writes the comparison of `a` and `b` (paths as given) into `update` and commits it;
    /// `drawn` (the two runs) adds compare.html.
    public static func write(
        _ comparison: Comparison, a: String, b: String, drawn: (a: ResultsFolder, b: ResultsFolder)?,
        into update: FolderUpdate
    ) throws {
        do {
            try update.stage("compare.csv", comparison.csv())
            try update.stage("compare.json", InputRecord(files: [a, b], folder: update.target).encoded())
            try update.stage("only-in-one.csv", comparison.onlyInOneCSV())
            if let drawn {
                try update.stage(
                    "compare.html",
                    ComparisonReport.render(a: drawn.a, b: drawn.b, comparison: comparison, labelA: a, labelB: b))
            }
            try update.carryOver(for: .report)
            try update.commit()
        } catch {
            update.discard()
            throw error
        }
    }
}
