/// The folder part of a path: what NSString's `deletingLastPathComponent` gives ("a/b" -> "a",
/// "b" -> "", "/b" -> "/", "a/b/" -> "a"), without its trap on a one-character path such as
/// `R` or `x/` (swift-corelibs-foundation), which killed `--out R` with SIGILL.
public enum ParentFolder {
    /// The path without its last component and the slashes before it; "" when there is no folder part.
    public static func of(_ path: String) -> String {
        var s = Substring(path)
        while s.count > 1, s.hasSuffix("/") { s.removeLast() }
        guard s != "/", let slash = s.lastIndex(of: "/") else { return s == "/" ? "/" : "" }
        var head = s[..<slash]
        while head.hasSuffix("/") { head.removeLast() }
        return head.isEmpty ? "/" : String(head)
    }
}
