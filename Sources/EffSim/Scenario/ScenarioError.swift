/// One broken rule: where in the document (`factors[2].distribution.ci`) and what is wrong.
public struct ValidationIssue: Equatable, Sendable, CustomStringConvertible {
    /// The JSON path of the broken rule (`factors[2].distribution.ci`); empty for the whole file.
    public var path: String
    /// What is wrong.
    public var message: String

    /// An issue at `path` saying `message`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// The path is escaped and cut (`Quoted.path`): keys come from the user's file.
    public var description: String { path.isEmpty ? message : "\(Quoted.path(path)): \(message)" }
}

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
