import EffSim
import Foundation
import Testing

/// Guides/FirstModel.md cannot rot: its scenario is the shipped file, every `$ effsim` command
/// in it runs from the repository's layout and prints exactly what the page shows, and the
/// messages it quotes are effsim's.
@Suite struct FirstModelGuideTests {
    static let guide = (try? String(contentsOf: Support.root.appendingPathComponent("Guides/FirstModel.md"), encoding: .utf8)) ?? ""

    /// A fresh folder holding the guide's scenarios under Scenarios/, as in the repository.
    static func workspace() throws -> URL {
        let dir = try Support.temporaryDirectory()
        let scenarios = dir.appendingPathComponent("Scenarios")
        try FileManager.default.createDirectory(at: scenarios, withIntermediateDirectories: true)
        for name in ["first-model.json", "first-model-cheaper.json", "scenario.schema.json"] {
            try FileManager.default.copyItem(atPath: Support.scenarioPath(name), toPath: scenarios.appendingPathComponent(name).path)
        }
        return dir
    }

    /// The guide's console blocks: each `$ effsim ...` line and the lines after it.
    static var sessions: [(arguments: [String], output: String)] {
        var result: [(arguments: [String], output: String)] = []
        var inConsole = false
        for line in guide.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line == "```console" { inConsole = true; continue }
            if line == "```" { inConsole = false; continue }
            guard inConsole else { continue }
            if line.hasPrefix("$ effsim ") {
                result.append((line.dropFirst(9).split(separator: " ").map(String.init), ""))
            } else if !result.isEmpty {
                result[result.count - 1].output += line + "\n"
            }
        }
        return result
    }

    @Test func theGuidesScenarioIsTheShippedFile() throws {
        let file = try String(contentsOfFile: Support.scenarioPath("first-model.json"), encoding: .utf8)
        #expect(Self.guide.contains("```json\n\(file)```"))
        // The edited copy differs in its name, description and price only.
        let cheaper = try ScenarioReader.load(path: Support.scenarioPath("first-model-cheaper.json"))
        var original = try ScenarioReader.load(path: Support.scenarioPath("first-model.json"))
        original.name = cheaper.name
        original.description = cheaper.description
        original.factors[4].distribution = cheaper.factors[4].distribution
        #expect(original == cheaper)
    }

    @Test func everyCommandPrintsWhatTheGuideShows() throws {
        let sessions = Self.sessions
        #expect(sessions.count == 2)
        let dir = try Self.workspace()
        for (arguments, output) in sessions {
            let r = try Support.effsim(arguments, in: dir)
            #expect(r.status == 0, "\(arguments): \(r.stderr)")
            #expect(r.stderr == "", "\(arguments)")
            #expect(r.stdout == output, "effsim \(arguments.joined(separator: " ")) prints:\n\(r.stdout)")
        }
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("results/first-model/report.html").path))
    }

    @Test func theMessagesTheGuideQuotesAreEffsims() throws {
        let dir = try Self.workspace()
        let path = dir.appendingPathComponent("Scenarios/first-model.json")
        let text = try String(contentsOf: path, encoding: .utf8)
        // With "floor": 1 on mfu, the MFU warning.
        try text.replacingOccurrences(of: "{\"id\": \"mfu\",", with: "{\"id\": \"mfu\", \"floor\": 1,").write(to: path, atomically: true, encoding: .utf8)
        var r = try Support.effsim(["run", "Scenarios/first-model.json", "--trials", "20000", "--quiet"], in: dir)
        let warnings = r.stderr.split(separator: "\n").map(String.init)
        #expect(warnings.contains { Self.guide.contains("`\($0)`") && $0.contains("\"mfu\"") }, "\(r.stderr)")
        // Without 3600[s/h], the unit hint.
        try text.replacingOccurrences(of: " / 3600[s/h]", with: "").write(to: path, atomically: true, encoding: .utf8)
        r = try Support.effsim(["validate", "Scenarios/first-model.json"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains("outputs[1]: unit is GPU*s, declared GPU*h (a 3600[s/h] missing?)"), "\(r.stderr)")
        #expect(Self.guide.contains("`outputs[1]: unit is GPU*s, declared GPU*h (a 3600[s/h] missing?)`"))
        #expect(Self.guide.contains("`unit is 1, declared yr (to give a dimensionless result a unit, multiply it by 1[yr])`"))
        // The screenshot the guide shows is shipped beside it.
        #expect(FileManager.default.fileExists(atPath: Support.root.appendingPathComponent("Guides/first-model-report.png").path))
    }
}
