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
