import Foundation

/// The report of a results folder: `report.html` (one self-contained page: inline SVG and CSS,
/// no script, no network) and each chart as its own SVG file:
/// `histogram-<output>.svg` per output, `exceedance.svg`, `factors.svg`, and `tornado.svg`
/// when the folder has a sensitivity.csv. Same folder contents, byte-identical files.
public enum RunReport {
    /// The charts, in page order, then report.html.
    public static func files(_ folder: ResultsFolder) -> [(name: String, text: String)] {
        var charts = folder.scenario.outputs.map { (name: "histogram-\($0.id).svg", text: HistogramChart.render(folder, output: $0)) }
        charts.append(("exceedance.svg", ExceedanceChart.render(folder)))
        charts.append(("factors.svg", FactorPanel.render(folder)))
        if let rows = folder.sensitivity, !rows.isEmpty {
            charts.append(("tornado.svg", TornadoChart.render(folder, rows)))
        }
        return charts + [("report.html", HTMLReport.render(folder, charts: Dictionary(uniqueKeysWithValues: charts)))]
    }

    /// Reads the folder and writes every report file into it, all or none. Returns their names.
    @discardableResult
    public static func write(directory: String) throws -> [String] {
        let report = files(try ResultsFolder.load(directory: directory))
        var output = OutputFiles(directory: directory)
        for (name, text) in report { try output.stage(name, text) }
        try output.commit()
        // A tornado from an earlier sensitivity.csv would no longer match the page.
        if !report.contains(where: { $0.name == "tornado.svg" }) {
            try? FileManager.default.removeItem(atPath: ResultsFolder.path(directory, "tornado.svg"))
        }
        return report.map(\.name)
    }
}
