import EffSim
import Foundation
import Testing

/// Every user-supplied string printed to a terminal is escaped the same way (`Quoted`): no C0 or
/// C1 control, DEL or bidirectional control reaches stdout or stderr raw, no newline breaks a
/// table, and a long text is cut.
@Suite struct TerminalTextTests {
    /// The first raw control or bidi character in `text`, nil when there is none (newlines and
    /// the table's own spacing aside).
    static func rawControl(_ text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first { $0 != "\n" && (TextRules.isControl($0) || TextRules.isBidiControl($0)) }
    }

    @Test func bareEscapesControlsKeepsQuotesAndCuts() {
        #expect(Quoted.bare("a\u{9b}b\u{202e}c\nd\u{1b}[2J") == #"a\u{9b}b\u{202e}c\nd\u{1b}[2J"#)
        #expect(Quoted.bare(#"say "hi" \ bye"#) == #"say "hi" \ bye"#)
        #expect(Quoted.bare(String(repeating: "u", count: 1_000_000)) == String(repeating: "u", count: 240) + "…")
    }

    /// A derived row's unit was printed raw in the console table: C1 controls, a bidi override,
    /// a newline that broke the table, and a 1M-character unit padded it with 3 MB.
    @Test func aDerivedUnitIsEscapedInTheConsoleTable() throws {
        let dir = try Support.temporaryDirectory()
        let unit = "h\\u009b2J\\u202ex\\ny" + String(repeating: "u", count: 1_000_000)
        try Data("""
        {"name": "units", "trials": 1000, "seed": 1,
         "factors": [{"id": "t", "group": "g", "unit": "s", "distribution": {"type": "lognormal", "median": 3, "sigma": 1}}],
         "outputs": [{"id": "o", "groups": ["g"], "unit": "s"}],
         "derived": [{"id": "d", "divide_by": "o", "baseline": 10, "unit": "\(unit)"}]}
        """.utf8).write(to: dir.appendingPathComponent("units.json"))
        let r = try Support.effsim(["run", "units.json", "--out", "out"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.rawControl(r.stdout) == nil)
        #expect(r.stdout.utf8.count < 20_000, "\(r.stdout.utf8.count) bytes")
        let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("d ") })
        #expect(line.hasSuffix(#"h\u{9b}2J\u{202e}x\ny"# + String(repeating: "u", count: 232) + "…"), "\(line.suffix(80))")
    }

    /// A sweep echoed a refused point's value raw to stderr (ESC[2J cleared the screen) and
    /// printed accepted string values raw on stdout.
    @Test func sweptStringsAreEscaped() throws {
        let dir = try Support.temporaryDirectory()
        try Data(#"{"name": "base", "trials": 1000, "factors": [{"id": "f", "group": "g", "distribution": {"type": "lognormal", "median": 2, "sigma": 1}}]}"#.utf8)
            .write(to: dir.appendingPathComponent("base.json"))
        try Data(#"{"name": "desc", "base": "base.json", "parameters": [{"path": "description", "values": ["a\u202eb", "c\u009bd"]}]}"#.utf8)
            .write(to: dir.appendingPathComponent("desc.json"))
        let accepted = try Support.effsim(["sweep", "desc.json", "--out", "s"], in: dir)
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(Self.rawControl(accepted.stdout) == nil)
        #expect(accepted.stdout.contains(#"a\u{202e}b"#) && accepted.stdout.contains(#"c\u{9b}d"#), "\(accepted.stdout)")
        try Data(#"{"name": "kind", "base": "base.json", "parameters": [{"path": "factors[0].distribution.type", "values": ["lognormal", "\u001b[2J"]}]}"#.utf8)
            .write(to: dir.appendingPathComponent("kind.json"))
        let refused = try Support.effsim(["sweep", "kind.json", "--out", "k"], in: dir)
        #expect(refused.status == 2)
        #expect(Self.rawControl(refused.stderr) == nil, "\(refused.stderr)")
        #expect(refused.stderr.contains(#"point factors[0].distribution.type=\u{1b}[2J: "#), "\(refused.stderr)")
    }
}
