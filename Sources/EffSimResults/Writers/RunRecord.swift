import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// `run.json`: what produced a results folder — the effsim version, the ``RunSettings`` (the
/// scenario document as run, `trials`, `seed`, `rng`, `sampler`, written as top-level keys like a
/// state file's), the histogram resolution and the run's fingerprint — so a report or a reader can
/// audit every number. Holds nothing that varies between identical runs (no times, no thread count).
///
/// The settings' fields read through the record too (`record.trials`, `record.rng`).
@dynamicMemberLookup
public struct RunRecord: Codable, Equatable {
    /// The effsim version that wrote the record.
    public var effsimVersion: String
    /// What decided the draws.
    public var settings: RunSettings
    /// histogram.csv's bins a decade (`--bins`).
    public var binsPerDecade: Int
    /// `Fingerprint.run` of this run; nil in folders written before fingerprints.
    public var fingerprint: String?
    /// The scenario file that wrote the folder, relative to the folder (see `ScenarioFile`);
    /// nil for a merge (which has no file) and in folders written before it was recorded.
    public var scenarioFile: String?
    /// Factors whose floor decided most of their draws (see `FloorWarning`).
    public var warnings: [FloorWarning] = []

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case effsimVersion, binsPerDecade, fingerprint, scenarioFile, warnings
    }

    /// The record of a finished run whose histograms are written at `binsPerDecade`; `summary`
    /// (the run's summary rows, computed when not given) decides its warnings.
    public init(_ state: RunState, binsPerDecade: Int, summary: [SummaryRow]? = nil) {
        effsimVersion = EffSimVersion.string
        settings = RunSettings(state)
        self.binsPerDecade = binsPerDecade
        fingerprint = settings.fingerprint
        warnings = FloorWarning.list(state.scenario, summary: summary ?? SummaryTables(state).summary)
    }

    /// The settings' fields, flat in the file beside the record's own.
    public init(from decoder: Decoder) throws {
        settings = try RunSettings(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        effsimVersion = try c.decode(String.self, forKey: .effsimVersion)
        binsPerDecade = try c.decode(Int.self, forKey: .binsPerDecade)
        fingerprint = try c.decodeIfPresent(String.self, forKey: .fingerprint)
        scenarioFile = try c.decodeIfPresent(String.self, forKey: .scenarioFile)
        warnings = try c.decodeIfPresent([FloorWarning].self, forKey: .warnings) ?? []
    }

    /// Writes the settings' keys and the record's own in one object.
    public func encode(to encoder: Encoder) throws {
        try settings.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(effsimVersion, forKey: .effsimVersion)
        try c.encode(binsPerDecade, forKey: .binsPerDecade)
        try c.encodeIfPresent(fingerprint, forKey: .fingerprint)
        try c.encodeIfPresent(scenarioFile, forKey: .scenarioFile)
        try c.encode(warnings, forKey: .warnings)
    }

    /// A setting read through the record: `record.trials` is `record.settings.trials`.
    public subscript<T>(dynamicMember field: KeyPath<RunSettings, T>) -> T { settings[keyPath: field] }

    /// The scenario alone (`Fingerprint.scenario`), from the document this record holds.
    public var scenarioFingerprint: String { Fingerprint.scenario(settings.scenario) }

    /// The key a sensitivity analysis of the same draws carries (`Fingerprint.draws`).
    public var drawsFingerprint: String { settings.drawsFingerprint }

    /// The scenario's `name`, for messages.
    public var scenarioName: String {
        if case let .string(name)? = settings.scenario["name"] { return name }
        return "?"
    }

    /// The file's text: keys sorted, indented, a final newline.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Validation leaves nothing JSONEncoder refuses; should it still fail, say so in one line.
        do { return try encoder.encode(self) + Data("\n".utf8) } catch {
            throw OutputError(description: "cannot encode run.json (\(type(of: error)))")
        }
    }

    /// The `run.json` of a results folder, checked (see `decode(_:path:)`).
    public static func load(directory: String) throws -> RunRecord {
        let path = (directory as NSString).appendingPathComponent("run.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OutputError(
                description:
                    "\(Quoted.path(path)): missing; is \(Quoted.path(directory)) a folder written by 'effsim run'?")
        }
        return try decode(data, path: path)
    }

    /// The run record in `path` when the file is one (a JSON object with `effsimVersion` and
    /// `scenario`), nil for any other file (a scenario); throws when it looks like one but is not.
    public static func recordIfAny(path: String) throws -> RunRecord? {
        guard let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            object["effsimVersion"] != nil, object["scenario"] != nil
        else { return nil }
        return try decode(data, path: path)
    }

    /// A record read back and held to the rules of what wrote it: one value per key and no
    /// unknown key, `binsPerDecade` as `--bins` or the default resolution allows, trials and seed as a scenario allows, and
    /// a `fingerprint` (when present) that matches the settings. Every problem is listed. The
    /// scenario inside is validated by whoever runs or draws it (`RunSettings.validatedScenario`).
    package static func decode(_ data: Data, path: String) throws -> RunRecord {
        let name = Quoted.path(path)
        guard let parsed = try? JSONParser.parse(Array(data)) else {
            throw OutputError(description: "\(name): not an effsim run record (not valid JSON)")
        }
        let record: RunRecord
        do { record = try JSONValueDecoder.decode(RunRecord.self, from: parsed.value) } catch {
            throw OutputError(description: "\(name): not an effsim run record (\(StateFile.reason(error)))")
        }
        var problems = parsed.problems.map(\.description)
        if case let .object(members) = parsed.value {
            let allowed = Set(
                CodingKeys.allCases.map(\.stringValue) + RunSettings.CodingKeys.allCases.map(\.stringValue))
            problems += members.filter { !allowed.contains($0.key) }.map { "\(Quoted.path($0.key)): unknown key" }
        }
        problems += record.problems
        guard problems.isEmpty else {
            throw OutputError(description: problems.map { "\(name): \($0)" }.joined(separator: "\n"))
        }
        return record
    }

    /// What breaks the rules of `--bins`, `--trials`, `--seed` and the fingerprint.
    var problems: [String] {
        var problems: [String] = []
        if !HistogramResolution.isRecordable(binsPerDecade) {
            problems.append(
                "binsPerDecade: \(binsPerDecade) is neither from 1 to \(HistogramCSV.maximumBinsPerDecade) nor one of \(HistogramResolution.choices.map(String.init).joined(separator: ", "))"
            )
        }
        if !(1...Scenario.maximumTrials).contains(settings.trials) {
            problems.append("trials: \(settings.trials) is not from 1 to \(Scenario.maximumTrials)")
        }
        if settings.seed > Scenario.maximumSeed {
            problems.append("seed: \(settings.seed) is above \(Scenario.maximumSeed)")
        }
        if let fingerprint, fingerprint != settings.fingerprint {
            problems.append(
                "fingerprint: \(Quoted.string(fingerprint)) does not match the record's scenario and settings (\(settings.fingerprint)); the file was edited or damaged"
            )
        }
        return problems
    }
}
