import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// `sensitivity.json`, beside `sensitivity.csv`: which scenario and draws the analysis came from,
/// so a report draws the tornado only for the run it belongs to (see `Fingerprint`).
public struct SensitivityRecord: Codable, Equatable, Sendable {
    /// The effsim version that wrote it.
    public var effsimVersion: String
    /// The scenario's `name`, for messages.
    public var scenarioName: String
    /// `Fingerprint.scenario` of the analysed document.
    public var scenarioFingerprint: String
    /// `Fingerprint.draws`: what a run's own key must equal for this analysis to be drawn with it.
    public var drawsFingerprint: String
    /// `Fingerprint.run` of the analysis itself (its own trial count).
    public var fingerprint: String
    /// The trials of the analysis.
    public var trials: Int
    /// Its seed.
    public var seed: UInt64
    /// Its generator.
    public var rng: RandomGenerator
    /// Its sampler.
    public var sampler: SamplerKind
    /// The scenario file analysed, relative to the folder (see `ScenarioFile`); nil in folders
    /// written before it was recorded.
    public var scenarioFile: String?

    /// The file's name in a results folder.
    public static let fileName = "sensitivity.json"

    /// The record of an analysis of `scenario` (its trials and seed) with `rng` and `sampler`.
    public init(_ scenario: Scenario, rng: RandomGenerator, sampler: SamplerKind) {
        effsimVersion = EffSimVersion.string
        scenarioName = scenario.name
        scenarioFingerprint = Fingerprint.scenario(scenario.document)
        drawsFingerprint = Fingerprint.draws(scenario.document, seed: scenario.seed, rng: rng, sampler: sampler)
        fingerprint = Fingerprint.run(
            scenario.document, trials: scenario.trials, seed: scenario.seed, rng: rng, sampler: sampler)
        trials = scenario.trials
        seed = scenario.seed
        self.rng = rng
        self.sampler = sampler
    }

    /// The file's text: keys sorted, indented, a final newline.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// The folder's sensitivity.json, nil when it has none or it cannot be read.
    public static func load(directory: String) -> SensitivityRecord? {
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(SensitivityRecord.self, from: data)
    }
}
