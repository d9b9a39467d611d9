import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// The files of a sensitivity analysis (sensitivity.csv, sensitivity.json), written as
/// `RunFiles` writes a run's: the folder begun (locked and checked) before any work, then its
/// files staged, checked for non-finite numbers and committed as one unit, or discarded on any
/// error. `SweepFiles` and `ComparisonFiles` do the same for theirs; the commands (and
/// `merge`) call these and print, and stage nothing themselves.
public enum SensitivityFiles {
    /// Locks and checks the folder of an analysis of `scenario` (another scenario's, or another
    /// scenario file's when `file` is given, is refused unless `force`).
    public static func begin(
        _ scenario: Scenario, record: SensitivityRecord, directory: String,
        file: String? = nil, force: Bool = false
    ) throws -> FolderUpdate {
        try FolderUpdate(
            target: directory, scenario: (scenario.name, record.scenarioFingerprint), file: file, force: force)
    }

    /// Writes sensitivity.csv and sensitivity.json into `update` and commits it; the run files of
    /// the same scenario carry over.
    public static func write(_ rows: [SensitivityRow], record: SensitivityRecord, into update: FolderUpdate) throws {
        do {
            try FiniteOutput.check(
                rows.flatMap { [$0.varianceShare, $0.medianAtP10, $0.medianAtP90] }, what: "a sensitivity figure")
            try update.stage("sensitivity.csv", SensitivityCSV.render(rows))
            try update.stage(SensitivityRecord.fileName, record.encoded())
            try update.carryOver(for: .sensitivity(scenarioFingerprint: record.scenarioFingerprint))
            try update.commit()
        } catch {
            update.discard()
            throw error
        }
    }
}
