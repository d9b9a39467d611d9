import EffSim
import EffSimServe
import Foundation
import Testing

/// The serve API's JSON strings: the escapes it promises (quotes, backslashes, controls, `<`,
/// U+2028 and U+2029) and text that Foundation's parser reads back as it was.
@Suite struct JSONTextTests {
    @Test func escapesAreTheDocumentedOnes() {
        #expect(JSONText.string("a\"b\\c\nd\re\tf<g").text == #""a\"b\\c\nd\re\tf\u003cg""#)
        #expect(JSONText.string("\u{0}\u{1}\u{1f}\u{7f}").text == "\"\\u0000\\u0001\\u001f\u{7f}\"")
        #expect(JSONText.string("x\u{2028}y\u{2029}z\u{2027}").text == "\"x\\u2028y\\u2029z\u{2027}\"")
        #expect(JSONText.string("ünï 𝔘 10⁻³ − ×").text == "\"ünï 𝔘 10⁻³ − ×\"")
        #expect(JSONText.string("").text == "\"\"")
        // A lone E2 lead byte's neighbours are not mistaken for U+2028.
        #expect(JSONText.string("\u{2000}\u{20ac}").text == "\"\u{2000}\u{20ac}\"")
    }

    /// Every scalar up to U+3000 and some beyond, in one string, reads back unchanged.
    @Test func textReadsBackThroughFoundation() throws {
        let scalars = (0..<0x3000).compactMap(Unicode.Scalar.init) + ["\u{1F600}", "\u{10FFFF}", "\u{FFFE}"]
        let s = String(String.UnicodeScalarView(scalars))
        let text = JSONText.array([.string(s), .object([(s, .string("<svg>\"</svg>"))])]).text
        let back = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any])
        #expect(back[0] as? String == s)
        #expect((back[1] as? [String: String])?[s] == "<svg>\"</svg>")
        #expect(!text.contains("<") && !text.contains("\u{2028}"))
    }
}
