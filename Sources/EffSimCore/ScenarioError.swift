/// A scenario that was refused, with every problem found in it.
public struct ScenarioError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The scenario file's path, as messages show it.
    public var file: String
    /// Every problem found.
    public var issues: [ValidationIssue]

    /// The refusal of `file` for `issues`.
    public init(file: String, issues: [ValidationIssue]) {
        self.file = file
        self.issues = issues
    }

    /// One line per issue, each starting with the file name, so editors and grep can jump to it.
    public var description: String {
        // A file that cannot be read or parsed has one whole-file problem: say it plainly.
        let file = Quoted.path(self.file)
        if issues.count == 1, issues[0].path.isEmpty { return "\(file): \(issues[0].message)" }
        let head = "\(file): invalid scenario (\(issues.count) problem\(issues.count == 1 ? "" : "s"))"
        return ([head] + issues.map { "\(file): \($0)" }).joined(separator: "\n")
    }
}
