import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// What a report is drawn from: the files of a finished run's folder, read back and checked.
///
/// `run.json` gives the validated scenario and the run's settings; `summary.csv` the statistics;
/// `histogram.csv` the binned distributions; `sensitivity.csv`, when present, the tornado's data.
/// Reading files (not a `RunState`) keeps one path for `effsim report DIR` and `run --report`.
public struct ResultsFolder {
    /// run.json: the run's settings and fingerprint.
    public var record: RunRecord
    /// The scenario in run.json, validated, with the run's trials and seed.
    public var scenario: Scenario
    /// The rows of summary.csv, in file order.
    public var summary: [SummaryRow]
    /// Each metric's non-empty bins from histogram.csv, ascending.
    public var histograms: [String: [HistogramBin]]
    /// The rows of sensitivity.csv, or nil when the folder has none or it belongs to other draws.
    public var sensitivity: [SensitivityRow]?
    /// Why a part of the folder is left out of the report (a console note), e.g. a sensitivity.csv
    /// of another scenario or seed.
    public var notes: [String] = []

    /// A folder from its parts, already read (or a run held in memory).
    public init(
        record: RunRecord, scenario: Scenario, summary: [SummaryRow],
        histograms: [String: [HistogramBin]], sensitivity: [SensitivityRow]?
    ) {
        self.record = record
        self.scenario = scenario
        self.summary = summary
        self.histograms = histograms
        self.sensitivity = sensitivity
    }

    /// summary.csv's row of `metric`, nil when there is none.
    public func row(_ metric: String) -> SummaryRow? { summary.first { $0.metric == metric } }

    /// Reads and checks the folder; the error (a `DamagedFolderError`, bad input like an invalid
    /// scenario) lists every problem found, each with file and line.
    public static func load(directory: String) throws -> ResultsFolder {
        do { return try read(directory: directory) } catch let error as DamagedFolderError { throw error } catch {
            throw DamagedFolderError(description: "\(error)")
        }
    }

    private static func read(directory: String) throws -> ResultsFolder {
        let record = try RunRecord.load(directory: directory)
        let scenario = try record.settings.validatedScenario(file: path(directory, "run.json"))
        var problems: [String] = []
        let summary = SummaryTableReader(scenario: scenario).rows(
            try table(directory, "summary.csv"), problems: &problems)
        let histograms = readHistograms(
            try table(directory, "histogram.csv"), start: crossingStarts(scenario), problems: &problems)
        let note = sensitivityNote(directory, record: record)
        let sensitivity =
            note == nil && FileManager.default.fileExists(atPath: path(directory, "sensitivity.csv"))
            ? readSensitivity(try table(directory, "sensitivity.csv"), problems: &problems) : nil
        for name in scenario.outputs.map(\.id) + scenario.factors.map(\.id) {
            if !summary.contains(where: { $0.metric == name }) {
                problems.append("\(path(directory, "summary.csv")): no row for \(name)")
            }
            // A crossing time that no trial crossed has no bins.
            let neverCrossed = scenario.outputs.contains { $0.id == name && $0.crossing != nil }
            if histograms[name] == nil, !neverCrossed {
                problems.append("\(path(directory, "histogram.csv")): no bins for \(name)")
            }
        }
        guard problems.isEmpty else { throw OutputError(description: problems.joined(separator: "\n")) }
        var folder = ResultsFolder(
            record: record, scenario: scenario, summary: summary, histograms: histograms, sensitivity: sensitivity)
        folder.notes = note.map { [$0] } ?? []
        return folder
    }

    /// Why the folder's sensitivity.csv must not be drawn with its run, or nil when it may (or
    /// there is none): it needs a sensitivity.json whose draws fingerprint is the run's.
    static func sensitivityNote(_ directory: String, record: RunRecord) -> String? {
        let csv = path(directory, "sensitivity.csv")
        guard FileManager.default.fileExists(atPath: csv) else { return nil }
        let lead = "\(csv) left out of the report: "
        guard let s = SensitivityRecord.load(directory: directory) else {
            return lead
                + "no readable \(SensitivityRecord.fileName) says which run it belongs to (rerun 'effsim sensitivity')"
        }
        if s.drawsFingerprint == record.drawsFingerprint { return nil }
        if s.scenarioFingerprint != record.scenarioFingerprint {
            return lead
                + "it is from scenario \"\(s.scenarioName)\" (fingerprint \(s.scenarioFingerprint)), the run is \"\(record.scenarioName)\" (\(record.scenarioFingerprint))"
        }
        return lead
            + "it is from seed \(s.seed), rng \(s.rng.rawValue), sampler \(s.sampler.rawValue); the run used seed \(record.seed), rng \(record.rng.rawValue), sampler \(record.sampler.rawValue)"
    }

    static func path(_ directory: String, _ name: String) -> String {
        (directory as NSString).appendingPathComponent(name)
    }

    /// A CSV file's records, named for error messages.
    struct Table {
        var file: String
        var header: [String]
        /// (line number, fields), header excluded.
        var rows: [(line: Int, fields: [String])]

        /// Each row as column name -> field; rows of the wrong width are reported and skipped.
        func named(_ wanted: [String], problems: inout [String]) -> [(line: Int, field: [String: String])] {
            let missing = wanted.filter { !header.contains($0) }
            if !missing.isEmpty {
                problems.append("\(file): header lacks \(missing.joined(separator: ", "))")
                return []
            }
            return rows.compactMap { line, fields in
                guard fields.count == header.count else {
                    problems.append("\(file):\(line): \(fields.count) fields, the header has \(header.count)")
                    return nil
                }
                return (line, Dictionary(zip(header, fields), uniquingKeysWith: { a, _ in a }))
            }
        }
    }

    static func table(_ directory: String, _ name: String) throws -> Table {
        let file = path(directory, name)
        guard let data = FileManager.default.contents(atPath: file) else {
            throw OutputError(description: "\(file): missing; is \(directory) a folder written by 'effsim run'?")
        }
        let records = CSVTable.records(String(decoding: data, as: UTF8.self))
        guard let header = records.first else { throw OutputError(description: "\(file): empty") }
        return Table(
            file: file, header: header, rows: records.dropFirst().enumerated().map { ($0.offset + 2, $0.element) })
    }

    /// A field that must be a number; reports and returns nil otherwise.
    static func number(_ text: String?, _ column: String, at place: String, problems: inout [String]) -> Double? {
        guard let text, let v = Double(text), v.isFinite else {
            problems.append("\(place): \(column) \"\(text ?? "")\" is not a number")
            return nil
        }
        return v
    }

    /// histogram.csv's bins by metric. The zeros' row has no bin number and lower = upper = 0;
    /// a crossing time's (its trials at the index's first value) lower = upper = that value, which
    /// `start` gives by metric.
    static func readHistograms(_ table: Table, start: [String: Double], problems: inout [String]) -> [String:
        [HistogramBin]]
    {
        var result: [String: [HistogramBin]] = [:]
        for (line, f) in table.named(HistogramCSV.header, problems: &problems) {
            let at = "\(table.file):\(line)"
            let zeros = f["bin"]!.isEmpty
            let point = start[f["metric"]!] ?? 0
            guard let bin = zeros ? 0 : Int(f["bin"]!), let count = Int(f["count"]!), count >= 0,
                let lower = number(f["lower"], "lower", at: at, problems: &problems),
                let upper = number(f["upper"], "upper", at: at, problems: &problems),
                zeros ? lower == point && upper == point : lower < upper && (lower > 0 || upper < 0)
            else {
                problems.append("\(at): not a histogram bin")
                continue
            }
            let metric = f["metric"]!
            if let last = result[metric]?.last, last.upper > lower || (last.sign == 0 && zeros) {
                problems.append("\(at): bins of \(metric) are not ascending")
            }
            result[metric, default: []].append(HistogramBin(bin: bin, lower: lower, upper: upper, count: count))
        }
        return result
    }

    /// Each crossing time's first index value, where histogram.csv puts its zeros' row.
    static func crossingStarts(_ scenario: Scenario) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: scenario.outputs.compactMap { o in o.crossing.map { (o.id, $0.index.from) } })
    }

    /// The columns a sensitivity.csv must have (`scale` came later and defaults to log).
    public static let sensitivityHeader = Array(SensitivityCSV.header.dropLast())

    static func readSensitivity(_ table: Table, problems: inout [String]) -> [SensitivityRow] {
        table.named(sensitivityHeader, problems: &problems).compactMap { line, f in
            let at = "\(table.file):\(line)"
            guard let share = number(f["variance_share"], "variance_share", at: at, problems: &problems),
                let low = number(f["median_at_p10"], "median_at_p10", at: at, problems: &problems),
                let high = number(f["median_at_p90"], "median_at_p90", at: at, problems: &problems)
            else { return nil }
            // The tornado's axis is logarithmic: rows of an output that took values <= 0
            // (scale `value`) stay in sensitivity.csv but are not drawn.
            guard low > 0, high > 0 else { return nil }
            // Files from before the scale column are all on the log scale.
            guard let scale = SensitivityScale(rawValue: f["scale"] ?? "log") else {
                problems.append("\(at): scale is neither log nor value")
                return nil
            }
            return SensitivityRow(
                factor: f["factor"]!, output: f["output"]!, varianceShare: share, medianAtP10: low, medianAtP90: high,
                scale: scale)
        }
    }
}

/// Reads summary.csv back into `SummaryRow`s, checking its header against the scenario.
struct SummaryTableReader {
    var scenario: Scenario

    func rows(_ table: ResultsFolder.Table, problems: inout [String]) -> [SummaryRow] {
        let header = SummaryCSV.header(scenario)
        guard table.header == header else {
            problems.append(
                "\(table.file): header is not \(header.joined(separator: ",")) as run.json's scenario implies")
            return []
        }
        let columns = SummaryColumns(scenario)
        return table.named(header, problems: &problems).compactMap { line, f in
            let at = "\(table.file):\(line)"
            guard let kind = MetricKind(rawValue: f["kind"]!), let trials = Int(f["trials"]!) else {
                problems.append("\(at): kind or trials unreadable")
                return nil
            }
            var values: [Double?] = []
            // A crossing time (a row with p_never) may leave its mean and percentiles empty.
            let crossing = scenario.outputs.contains { $0.id == f["metric"]! && $0.crossing != nil }
            for column in columns.names {
                // Only floor_share (rows other than factors have none), threshold columns (a
                // threshold of another output) and p_never (rows other than crossing times) may be empty.
                let mayBeEmpty =
                    column == "floor_share" || column.hasPrefix("p_gt_") || (column == "p_never") != crossing
                if mayBeEmpty, f[column]!.isEmpty {
                    values.append(nil)
                    continue
                }
                guard let v = ResultsFolder.number(f[column], column, at: at, problems: &problems) else { return nil }
                values.append(v)
            }
            return columns.row(metric: f["metric"]!, kind: kind, trials: trials, values: values)
        }
    }
}
