import EffSimCore

extension ParsedExpression {
    /// The text with every name replaced by `rename(name)`, written bare when it can be (parts
    /// of letters, digits and `_` joined by `.`, each starting with a letter or `_`), else in
    /// backquotes; the rest of the text as it was. An imported output's expression is renamed
    /// into the importing scenario's names this way (`compute_now` -> `res.compute_now`).
    public func renamingNames(_ rename: (String) -> String) -> String {
        let chars = Array(text)
        var result = ""
        var next = 0
        for token in ExpressionLexer.tokens(text).tokens {
            guard case let .name(name, backquoted) = token.kind else { continue }
            let start = token.column - 1
            result += String(chars[next..<start])
            let renamed = rename(name)
            result += Self.isBareName(renamed) ? renamed : "`\(renamed)`"
            next = start + name.count + (backquoted ? 2 : 0)
        }
        return result + String(chars[next...])
    }

    /// Whether `name` reads as one name without backquotes (`eff.compute`, not `h100-sxm`).
    public static func isBareName(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.allSatisfy { part in
            guard let first = part.first, first.isASCII, first.isLetter || first == "_" else { return false }
            return part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        }
    }
}
