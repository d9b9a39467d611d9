import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// The report of a results folder: `report.html` (one self-contained page: inline SVG and CSS,
/// no script, no network) and each chart as its own SVG file:
/// `histogram-<output>.svg` per output, `series-<id>.svg` per output over an index (a fan chart
/// instead of a histogram per index value), `crossing-<output>.svg` per crossing time,
/// `exceedance.svg` (the other outputs), `factors.svg`, and `tornado.svg`
/// when the folder has a sensitivity.csv of the same draws (see `Fingerprint`). Same folder
/// contents, byte-identical files.
public enum RunReport {
    /// The charts, in page order, then report.html.
    public static func files(_ folder: ResultsFolder) -> [(name: String, text: String)] {
        let charts = charts(folder)
        return charts + [("report.html", HTMLReport.render(folder, charts: Dictionary(uniqueKeysWithValues: charts)))]
    }

    /// The charts alone, in page order, by file name (`effsim serve` answers with them).
    public static func charts(_ folder: ResultsFolder) -> [(name: String, text: String)] {
        var charts: [(name: String, text: String)] = folder.scenario.outputs.compactMap { o in
            if let point = o.series {
                return point.position == 0
                    ? (SeriesFanChart.fileName(point.series), SeriesFanChart.render(folder, series: point.series)) : nil
            }
            if o.crossing != nil { return (CrossingChart.fileName(o.id), CrossingChart.render(folder, output: o)) }
            return ("histogram-\(o.id).svg", HistogramChart.render(folder, output: o))
        }
        if !ExceedanceChart.panels(folder.scenario).isEmpty {
            charts.append(("exceedance.svg", ExceedanceChart.render(folder)))
        }
        charts.append(("factors.svg", FactorPanel.render(folder)))
        if let rows = folder.sensitivity, !rows.isEmpty {
            charts.append(("tornado.svg", TornadoChart.render(folder, rows)))
        }
        return charts
    }

    /// Reads the folder and writes it back with a new report, as one unit (see `FolderUpdate`).
    /// Returns the report's file names and notes (parts left out, and why).
    @discardableResult
    public static func write(directory: String) throws -> (names: [String], notes: [String]) {
        // Locked before reading, so a writer cannot swap the folder between the two.
        guard FileManager.default.fileExists(atPath: directory) else {
            _ = try ResultsFolder.load(directory: directory)
            return ([], [])
        }
        let update = try FolderUpdate(target: directory, scenario: nil, force: false)
        let folder = try ResultsFolder.load(directory: directory)
        let report = files(folder)
        for (name, text) in report { try update.stage(name, text) }
        try update.carryOver(for: .report)
        try update.commit()
        return (report.map(\.name), folder.notes)
    }

    /// Draws the report of the folder being staged (its files written, old files carried over)
    /// into the same update. Returns the notes.
    static func stage(into update: FolderUpdate) throws -> [String] {
        let folder = try ResultsFolder.load(directory: update.staging)
        for (name, text) in files(folder) { try update.stage(name, text) }
        // Notes name the real folder, not the staging one.
        return folder.notes.map { $0.replacingOccurrences(of: update.staging, with: update.target) }
    }
}
