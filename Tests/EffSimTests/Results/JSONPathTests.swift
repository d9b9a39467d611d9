import EffSim
import Foundation
import Testing

/// Paths into scenario documents, as sweeps write them.
@Suite struct JSONPathTests {
    static let doc = try! JSONValue.parse(Data("""
    {"trials": 10, "factors": [
      {"id": "a", "distribution": {"type": "lognormal", "ci": [1, 6], "level": 0.8}},
      {"id": "b", "distribution": {"type": "lognormal", "median": 3, "sigma": 0.5}},
      {"id": "c", "distribution": {"type": "normal", "ci": [1, 4], "level": 0.9}}]}
    """.utf8), file: "t")

    static func set(_ path: String, _ value: Double) throws -> JSONValue {
        try JSONPath(path).setting(.number(value), in: doc)
    }

    @Test func keysIndicesAndIds() throws {
        #expect(try Self.set("trials", 5)["trials"] == .number(5))
        let edited = try Self.set("factors[a].distribution.ci[1]", 9)
        guard case let .array(factors)? = edited["factors"] else { Issue.record("no factors"); return }
        #expect(factors[0]["distribution"]?["ci"] == .array([.number(1), .number(9)]))
        #expect(try Self.set("factors[2].distribution.level", 0.5)["factors"] == (try Self.set("factors[\"c\"].distribution.level", 0.5))["factors"])
        // A missing last key is added, for the scenario reader to judge.
        #expect(try Self.set("seed", 3)["seed"] == .number(3))
    }

    /// [*] sets every element that has the rest of the path and skips the others (b has no level).
    @Test func wildcardSkipsElementsWithoutTheKey() throws {
        let edited = try Self.set("factors[*].distribution.level", 0.95)
        guard case let .array(factors)? = edited["factors"] else { Issue.record("no factors"); return }
        #expect(factors.map { $0["distribution"]?["level"] } == [.number(0.95), nil, .number(0.95)])
        #expect(throws: JSONPathError.self) { try Self.set("factors[*].distribution.nothing", 1) }
    }

    @Test func errorsSayWhereAndWhat() throws {
        #expect(throws: JSONPathError(description: "path \"factors[z].distribution\": factors has no element with id \"z\" (ids: a, b, c)")) {
            try Self.set("factors[z].distribution", 1)
        }
        #expect(throws: JSONPathError(description: "path \"factors[a].distribution.ci[2]\": factors[a].distribution.ci has 2 elements; [2] is out of range")) {
            try Self.set("factors[a].distribution.ci[2]", 1)
        }
        #expect(throws: JSONPathError(description: "path \"trials.x\": trials is a number, not an object with key \"x\"")) {
            try Self.set("trials.x", 1)
        }
        for bad in ["", ".a", "a.", "a[", "a]", "a[]", "a..b", "a[0]b"] {
            #expect(throws: JSONPathError.self, "\(bad)") { try JSONPath(bad) }
        }
    }
}
