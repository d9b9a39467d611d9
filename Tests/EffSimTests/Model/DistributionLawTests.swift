import EffSim
import Foundation
import Testing

/// `Distribution.laws`, the one table the reader looks a `type` up in: it agrees with the JSON
/// Schema (names, keys, required keys), "unknown type" lists exactly its names, and each law it
/// holds reads its own documents back as itself.
@Suite struct DistributionLawTests {
    /// Per `type` const in the schema's distribution branches: the union of the branches' keys
    /// and the keys every branch requires (lognormal and normal have three forms each).
    static func schemaLaws() throws -> [String: (keys: Set<String>, required: Set<String>)] {
        let schema = try SchemaTests.object(Support.scenarioPath("scenario.schema.json"))
        guard case let .array(simple)? = schema["$defs"]?["simpleDistribution"]?["oneOf"],
              case let .array(top)? = schema["$defs"]?["distribution"]?["oneOf"]
        else { throw CocoaError(.fileReadCorruptFile) }
        var laws: [String: (keys: Set<String>, required: Set<String>)] = [:]
        for branch in simple + top {
            guard case let .object(properties)? = branch["properties"], case let .string(type)? = branch["properties"]?["type"]?["const"],
                  case let .array(required)? = branch["required"]
            else { continue }  // the $ref to simpleDistribution
            let keys = Set(properties.map(\.key))
            let needed = Set(required.compactMap { if case let .string(k) = $0 { return k } else { return nil } })
            let known = laws[type]
            laws[type] = (keys.union(known?.keys ?? []), known.map { $0.required.intersection(needed) } ?? needed)
        }
        return laws
    }

    @Test func registryAgreesWithTheSchema() throws {
        let schema = try Self.schemaLaws()
        #expect(Set(schema.keys) == Set(Distribution.laws.map { $0.typeName }))
        #expect(Distribution.laws.count == Set(Distribution.laws.map { $0.typeName }).count, "a type name registered twice")
        for law in Distribution.laws {
            #expect(schema[law.typeName]?.keys == law.keys, "\(law.typeName): keys")
            #expect(schema[law.typeName]?.required == Set(["type"] + law.requiredKeys), "\(law.typeName): required keys")
        }
    }

    @Test func unknownTypeListsTheRegisteredNames() {
        let names = Distribution.laws.map { $0.typeName }.sorted().joined(separator: ", ")
        #expect(names == "bernoulli, beta, fixed, lognormal, loguniform, metalog, mixture, normal, pert, triangular, uniform")
        do {
            _ = try Support.oneFactor(#"{"type": "gamma", "shape": 2}"#)
            Issue.record("a gamma was accepted")
        } catch let e as ScenarioError {
            #expect(e.issues.map(\.description) == [#"factors[0].distribution.type: unknown distribution type "gamma"; expected one of: "# + names])
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// One document per form of every registered law: read through the registry, it is that
    /// law (the enum's case and `law` agree), writes its own `type`, and reads back equal.
    @Test func eachLawReadsItsOwnDocumentsAsItself() throws {
        let texts = [
            #"{"type": "lognormal", "ci": [1, 10], "level": 0.8}"#, #"{"type": "lognormal", "median": 3, "sigma": 0.5}"#,
            #"{"type": "lognormal", "quantiles": [[0.25, 2], [0.95, 10]]}"#,
            #"{"type": "normal", "mean": 5, "sd": 1, "lower": 3}"#, #"{"type": "normal", "ci": [4, 6], "level": 0.9}"#,
            #"{"type": "normal", "quantiles": [[0.1, 4], [0.9, 6]], "upper": 7}"#,
            #"{"type": "metalog", "quantiles": [[0.1, 1], [0.5, 2], [0.9, 5]], "lower": 0}"#, #"{"type": "fixed", "value": 2}"#,
            #"{"type": "uniform", "min": 1, "max": 3}"#, #"{"type": "loguniform", "min": 0.5, "max": 20}"#,
            #"{"type": "triangular", "min": 1, "mode": 2, "max": 5}"#, #"{"type": "pert", "min": 1, "mode": 3, "max": 10, "lambda": 6}"#,
            #"{"type": "beta", "alpha": 2, "beta": 5, "min": 1, "max": 4}"#, #"{"type": "bernoulli", "p": 0.3}"#,
            #"{"type": "mixture", "components": [{"weight": 0.4, "distribution": {"type": "fixed", "value": 1}}, {"weight": 0.6, "distribution": {"type": "uniform", "min": 2, "max": 3}}]}"#,
        ]
        var seen: Set<String> = []
        for text in texts {
            let d = try Support.oneFactor(text).factors[0].distribution
            guard case let .string(type)? = try JSONValue.parse(Data(text.utf8), file: "t")["type"] else { continue }
            seen.insert(type)
            #expect(Swift.type(of: d.law).typeName == type, "\(text)")
            #expect(d.document["type"] == .string(type), "\(text)")
            let text2 = String(decoding: d.document.canonicalData, as: UTF8.self)
            #expect(try Support.oneFactor(text2).factors[0].distribution == d, "\(text)")
        }
        #expect(seen == Set(Distribution.laws.map { $0.typeName }), "a registered law without a document here")
    }
}
