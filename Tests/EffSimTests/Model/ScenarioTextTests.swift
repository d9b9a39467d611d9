import EffSim
import Foundation
import Testing

/// User text in scenarios: free text refuses the controls that break a terminal, an SVG or an
/// HTML page; messages quote, escape and cut what the user wrote; the report isolates it.
@Suite struct ScenarioTextTests {
    /// A one-factor scenario whose factor carries `extra` members (JSON text).
    static func document(id: String = "\"f\"", extra: String = "", top: String = "") -> String {
        #"{"name": "t", "trials": 1000, \#(top) "factors": [{"id": \#(id), "group": "g", \#(extra) "distribution": {"type": "fixed", "value": 2}}]}"#
    }

    static func issues(_ json: String) -> String? {
        do { _ = try ScenarioReader.parse(Data(json.utf8), file: "s.json"); return nil } catch { return "\(error)" }
    }

    @Test func freeTextRefusesControlCharactersButTabAndNewline() throws {
        let refused = [
            (#""label": "a\bb","#, "", "factors[0].label: holds the control character U+0008"),
            (#""source": "x\u001B[2J","#, "", "factors[0].source: holds the control character U+001B"),
            (#""label": "\uFFFF","#, "", "factors[0].label: holds the control character U+FFFF"),
            (#""label": "\uFFFE","#, "", "factors[0].label: holds the control character U+FFFE"),
            ("", #""description": "carriage\rreturn","#, "description: holds the control character U+000D"),
        ]
        for (extra, top, expected) in refused {
            let message = try #require(Self.issues(Self.document(extra: extra, top: top)), "\(expected)")
            #expect(message.contains("s.json: \(expected)"), "\(message)")
        }
        #expect(Self.issues(Self.document(extra: #""label": "tab\there, newline\nthere, ünïcødé →","#, top: #""description": "two\nlines","#)) == nil)
    }

    @Test func idsRefuseControlCharactersAndMessagesEscapeThem() throws {
        let clear = try #require(Self.issues(Self.document(id: #""x\u001B[2J""#)))
        #expect(clear.contains(#"factors[0].id: "x\u{1b}[2J" must be a non-empty name"#), "\(clear)")
        #expect(!clear.unicodeScalars.contains("\u{1B}"), "no raw escape reaches the terminal")
        let newline = try #require(Self.issues(Self.document(id: #""a\nb""#)))
        #expect(newline.split(separator: "\n").allSatisfy { $0.hasPrefix("s.json: ") }, "every line names the file: \(newline)")
        #expect(newline.contains(#""a\nb""#))
        // An unknown key is echoed in the path and the message: escaped there too.
        let key = try #require(Self.issues(Self.document(top: #""k\u0007": 1,"#)))
        #expect(key.contains(#"s.json: k\u{7}: unknown key "k\u{7}""#), "\(key)")
    }

    @Test func longStringsAreCutWithTheirLength() throws {
        let long = String(repeating: "x", count: 2_000_000)
        let message = try #require(Self.issues(Self.document(id: "\"\(long)\"")))
        #expect(message.contains("\"" + String(repeating: "x", count: 60) + "…\" (2000000 characters) must be a non-empty name of at most 128"), "\(message.prefix(300))")
        #expect(message.utf8.count < 1000)
        // A long unknown key: its path is cut too.
        let key = try #require(Self.issues(Self.document(top: "\"\(long)\": 1,")))
        #expect(key.utf8.count < 1000, "\(key.prefix(300))")
        #expect(key.contains("(2000000 characters)"))
        #expect(Quoted.string("ab\"c\\") == #""ab\"c\\""#)
        #expect(Quoted.string("\u{202E}evil") == #""\u{202e}evil""#)
    }

    @Test func reportIsolatesUserText() throws {
        let dir = try Support.temporaryDirectory()
        let file = dir.appendingPathComponent("rtl.json")
        let json = #"""
        {"name": "rtl", "trials": 2000, "description": "\u202Edesc",
         "factors": [{"id": "f", "group": "g", "label": "\u202Eabc", "source": "s\u202E", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.5}}],
         "outputs": [{"id": "o", "label": "out\u202Elabel", "groups": ["g"]}]}
        """#
        try Data(json.utf8).write(to: file)
        let out = dir.appendingPathComponent("out")
        let r = try Support.effsim(["run", file.path, "--out", out.path, "--report", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<p dir=\"auto\"><bdi>\u{202E}desc</bdi></p>"))
        #expect(html.contains("<td><bdi>\u{202E}abc</bdi></td>"))
        #expect(html.contains("<figcaption><bdi>out\u{202E}label</bdi>: share of trials"))
        let svg = try String(contentsOf: out.appendingPathComponent("histogram-o.svg"), encoding: .utf8)
        #expect(svg.contains("o — \u{2068}out\u{202E}label\u{2069}"))
        // Every occurrence of a label in the page sits inside an isolate.
        for text in ["\u{202E}abc", "out\u{202E}label"] {
            let parts = html.components(separatedBy: text)
            for before in parts.dropLast() {
                #expect(before.hasSuffix("<bdi>") || before.hasSuffix("\u{2068}"), "\(text) after \(before.suffix(40))")
            }
        }
    }
}
