import EffSim
import Foundation
import Testing

/// The one-pass JSON reader: positions of syntax errors, repeated keys after decoding, inexact
/// whole numbers, nesting depth, and agreement with Foundation on valid documents.
@Suite struct JSONParserTests {
    func issues(_ text: String) -> [String] {
        do {
            _ = try JSONValue.parse(Data(text.utf8), file: "t.json")
            return []
        } catch let e as ScenarioError {
            return e.issues.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func syntaxErrorsSayWhereByLineAndColumn() {
        #expect(issues("{\n  \"name\": \"x\",\n  \"trials\": 10,,\n}") == ["not valid JSON: expected a key in double quotes at line 3, column 16"])
        #expect(issues("{\"a\": [1, 2}") == ["not valid JSON: expected ',' or ']' after an array element at line 1, column 12"])
        #expect(issues("{\"a\": NaN}") == ["not valid JSON: unexpected character 'N' where a value was expected at line 1, column 7"])
        // Columns count characters, not bytes.
        #expect(issues("{\"é\": tru}") == ["not valid JSON: unexpected character 't' where a value was expected at line 1, column 7"])
        #expect(issues("{\"a\": 1} x") == ["not valid JSON: unexpected text after the document at line 1, column 10"])
        #expect(issues("{\"a\": \"tab\there\"}") == [#"not valid JSON: a control character (0x09) inside a string; write it as an escape such as \n at line 1, column 11"#])
        #expect(issues("{\"a\": 1e999}") == ["not valid JSON: the number 1e999 is beyond the range of a double at line 1, column 7"])
        // 1e-400 was read as 0 in silence; 1e-310 (a subnormal) and 0e-400 are doubles.
        #expect(issues("{\"a\": -1.5e-400}") == ["not valid JSON: the number -1.5e-400 is below the smallest double (5e-324) and would be read as 0; write 0 at line 1, column 7"])
        #expect(issues("{\"a\": [1e-310, 0e-400, 0.0]}") == [])
    }

    @Test func numbersFollowTheJSONGrammar() throws {
        for bad in ["01", "1.", ".5", "+1", "1e", "-", "Infinity"] {
            #expect(issues("[\(bad)]").first?.hasPrefix("not valid JSON: ") == true, "\(bad)")
        }
        #expect(try JSONValue.parse(Data("[3.14e23, -0.5, 0, 1E+2]".utf8), file: "t") == .array([.number(3.14e23), .number(-0.5), .number(0), .number(100)]))
    }

    /// Keys are compared as decoded: an escaped spelling is the same key.
    @Test func repeatedKeysAreFoundAfterDecoding() {
        #expect(issues(#"{"trials": 1, "tri\u0061ls": 2}"#) == [#"trials: key "trials" appears more than once in this object; keep one"#])
        #expect(issues(#"{"f": [{"a": 1}, {"b": 1, "b": 2}]}"#) == [#"f[1].b: key "b" appears more than once in this object; keep one"#])
    }

    @Test func wholeNumbersBeyondTwoToThe53AreRefused() {
        #expect(issues(#"{"seed": 9007199254740993}"#) == ["seed: the whole number \"9007199254740993\" is beyond 2^53 and would be read as 9007199254740992; JSON numbers are exact only up to 2^53 = 9007199254740992"])
        #expect(issues(#"{"seed": 9007199254740992}"#).isEmpty)
    }

    @Test func deepNestingIsRefusedBeforeItExhaustsTheStack() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(issues(deep) == ["not valid JSON: arrays and objects nested deeper than 128 levels at line 1, column 129"])
    }

    @Test func escapesAndUnicode() throws {
        let v = try JSONValue.parse(Data(#"{"s": "a\"b\\c\/d\n\u00e9\ud83d\ude00", "k": "é😀"}"#.utf8), file: "t")
        #expect(v["s"] == .string("a\"b\\c/d\né😀"))
        #expect(v["k"] == .string("é😀"))
        #expect(issues(#"["\ud800"]"#).first?.contains("lone surrogate") == true)
        // A byte order mark is not part of the document.
        #expect(try JSONValue.parse(Data([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)), file: "t") == .array([.number(1)]))
    }

    /// Members keep the file's order (messages follow the file).
    @Test func membersKeepTheirOrder() throws {
        let v = try JSONValue.parse(Data(#"{"z": 1, "a": 2}"#.utf8), file: "t")
        guard case let .object(members) = v else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["z", "a"])
    }

    /// On every shipped scenario and sweep the parser reads what Foundation reads.
    @Test func agreesWithFoundationOnTheShippedFiles() throws {
        let folder = Support.root.appendingPathComponent("Scenarios")
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(files.count >= 7)
        for name in files {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let ours = try JSONValue.parse(data, file: name)
            let foundations = try JSONDecoder().decode(JSONValue.self, from: data)
            #expect(ours.canonicalData == foundations.canonicalData, "\(name)")
        }
    }
}
