/// User text as messages show it: non-printable characters escaped and long text cut, so an id
/// holding `ESC[2J` cannot clear the terminal, a newline cannot split a message, and a
/// 20-million-character id does not fill the screen.
public enum Quoted {
    /// Characters shown before a long string is cut.
    public static let maximumShown = 60

    /// `"text"`, escaped and cut: `"first 60 characters…" (20000000 characters)`.
    public static func string(_ s: String) -> String {
        let (shown, total) = escaped(s)
        return total > maximumShown ? "\"\(shown)…\" (\(total) characters)" : "\"\(shown)\""
    }

    /// A file name at the start of a message: escaped and cut like `string`, without quotes.
    public static func path(_ s: String) -> String {
        let (shown, total) = escaped(s, limit: 4 * maximumShown)
        return total > 4 * maximumShown ? "\(shown)… (\(total) characters)" : shown
    }

    /// Text printed as it is (a console table's cell, a name in a heading): controls and
    /// bidirectional controls escaped, cut after 240 characters with `…`; quotes and backslashes
    /// kept, so ordinary text prints unchanged. A newline cannot break a table, nor a
    /// million-character unit pad it with megabytes.
    public static func bare(_ s: String) -> String {
        let (shown, total) = escaped(s, limit: 4 * maximumShown, quotes: false)
        return total > 4 * maximumShown ? shown + "…" : shown
    }

    /// The first `limit` characters with C0/C1 controls, DEL, U+FFFE/U+FFFF, bidirectional
    /// controls and (with `quotes`) backslash and quote written as escapes; and the string's
    /// length in characters.
    static func escaped(_ s: String, limit: Int = maximumShown, quotes: Bool = true) -> (String, Int) {
        var out = ""
        var n = 0
        for scalar in s.unicodeScalars {
            n += 1
            guard n <= limit else { continue }
            switch scalar {
            case "\\" where quotes: out += "\\\\"
            case "\"" where quotes: out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if TextRules.isControl(scalar) || TextRules.isBidiControl(scalar) {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return (out, n)
    }
}

/// Which characters free text and ids may hold.
public enum TextRules {
    /// C0 and C1 controls, DEL and the noncharacters U+FFFE/U+FFFF (not allowed in XML/HTML text).
    public static func isControl(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x20 || (0x7F...0x9F).contains(c.value) || c.value == 0xFFFE || c.value == 0xFFFF
    }

    /// Bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069).
    public static func isBidiControl(_ c: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(c.value) || (0x2066...0x2069).contains(c.value)
    }

    /// The first character free text may not hold: C0 controls other than tab and newline, and
    /// U+FFFE/U+FFFF (none is allowed in XML, so one would make an SVG chart not well-formed).
    public static func forbiddenInText(_ s: String) -> Unicode.Scalar? {
        s.unicodeScalars.first {
            ($0.value < 0x20 && $0 != "\t" && $0 != "\n") || $0.value == 0xFFFE || $0.value == 0xFFFF
        }
    }
}
