import Foundation
import Testing
import EffSim

/// The JSON Schemas: absolute `$id`s (so a scenario copied anywhere can name them), and every
/// shipped scenario and sweep pointing `$schema` at one that exists.
@Suite struct SchemaTests {
    static func object(_ path: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test func schemasHaveAbsoluteIds() throws {
        for (file, id) in [("scenario.schema.json", "urn:effsim:scenario.schema.json"), ("sweep.schema.json", "urn:effsim:sweep.schema.json")] {
            #expect(try Self.object(Support.scenarioPath(file))["$id"] == .string(id))
        }
    }

    @Test func shippedFilesNameAnExistingSchema() throws {
        let folder = Support.root.appendingPathComponent("Scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") && !$0.hasSuffix(".schema.json") }
            + FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("sweeps").path).map { "sweeps/" + $0 }
        #expect(files.count >= 6)
        for file in files {
            guard case let .string(schema)? = try Self.object(folder.appendingPathComponent(file).path)["$schema"] else {
                Issue.record("\(file): no $schema")
                continue
            }
            let target = folder.appendingPathComponent(file).deletingLastPathComponent().appendingPathComponent(schema).standardized.path
            #expect(FileManager.default.fileExists(atPath: target), "\(file): $schema \(schema)")
        }
    }

    /// effsim takes any string as `$schema`, so the absolute URL the README shows is accepted.
    @Test func absoluteSchemaURLIsAccepted() throws {
        _ = try Support.scenario(#"{"$schema": "file:///usr/local/share/effsim/scenario.schema.json", "name": "copy", "factors": [{"id": "f", "group": "g", "distribution": {"type": "fixed", "value": 2}}]}"#)
    }

    /// The schema knows `imports` (an entry's keys, `as` a bare name) and that a scenario with
    /// imports needs outputs rather than factors.
    @Test func schemaKnowsImports() throws {
        let schema = try Self.object(Support.scenarioPath("scenario.schema.json"))
        let entry = schema["$defs"]?["import"]
        #expect(entry?["required"] == .array([.string("as"), .string("file")]))
        #expect(entry?["properties"]?["as"]?["pattern"] == .string("^[A-Za-z_][A-Za-z0-9_]*$"))
        #expect(schema["properties"]?["imports"]?["items"]?["$ref"] == .string("#/$defs/import"))
        #expect(schema["required"] == .array([.string("name")]))
        #expect(schema["then"]?["required"] == .array([.string("outputs")]))
        #expect(schema["else"]?["required"] == .array([.string("factors")]))
    }
}
