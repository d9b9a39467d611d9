import Foundation

/// `run.json`: what produced a results folder — the effsim version, the scenario document as
/// read, and the settings that decide the draws — so a report or a reader can audit every number.
/// Holds nothing that varies between identical runs (no times, no thread count).
public struct RunRecord: Codable, Equatable {
    public var effsimVersion: String
    public var scenario: JSONValue
    public var trials: Int
    public var seed: UInt64
    public var rng: RandomGenerator
    public var sampler: SamplerKind
    public var binsPerDecade: Int
    /// `Fingerprint.run` of this run; nil in folders written before fingerprints.
    public var fingerprint: String?

    public init(_ state: RunState, binsPerDecade: Int) {
        effsimVersion = EffSimVersion.string
        scenario = state.scenario.document
        trials = state.scenario.trials
        seed = state.scenario.seed
        rng = state.generator
        sampler = state.sampler
        self.binsPerDecade = binsPerDecade
        fingerprint = Fingerprint.run(scenario, trials: trials, seed: seed, rng: rng, sampler: sampler)
    }

    /// The scenario alone (`Fingerprint.scenario`), from the document this record holds.
    public var scenarioFingerprint: String { Fingerprint.scenario(scenario) }

    /// The key a sensitivity analysis of the same draws carries (`Fingerprint.draws`).
    public var drawsFingerprint: String { Fingerprint.draws(scenario, seed: seed, rng: rng, sampler: sampler) }

    /// The scenario's `name`, for messages.
    public var scenarioName: String {
        if case let .string(name)? = scenario["name"] { return name }
        return "?"
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        // Validation leaves nothing JSONEncoder refuses; should it still fail, say so in one line.
        do { return try encoder.encode(self) + Data("\n".utf8) } catch {
            throw OutputError(description: "cannot encode run.json (\(type(of: error)))")
        }
    }

    public static func load(directory: String) throws -> RunRecord {
        let path = (directory as NSString).appendingPathComponent("run.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OutputError(description: "\(path): missing; is \(directory) a folder written by 'effsim run'?")
        }
        do { return try JSONDecoder().decode(RunRecord.self, from: data) } catch {
            throw OutputError(description: "\(path): not an effsim run record (\(error))")
        }
    }

    /// The run record in `path` when the file is one (a JSON object with `effsimVersion` and
    /// `scenario`), nil for any other file (a scenario); throws when it looks like one but is not.
    public static func recordIfAny(path: String) throws -> RunRecord? {
        guard let data = FileManager.default.contents(atPath: path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object["effsimVersion"] != nil, object["scenario"] != nil else { return nil }
        do { return try JSONDecoder().decode(RunRecord.self, from: data) } catch {
            throw OutputError(description: "\(path): not an effsim run record (\(error))")
        }
    }

    /// The validated scenario with this run's trials and seed.
    public func scenario(file: String) throws -> Scenario {
        var s = try ScenarioReader.read(scenario, file: file)
        s.trials = trials
        s.seed = seed
        return s
    }
}
