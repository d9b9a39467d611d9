import EffSimCore

/// One problem in an expression or a unit: where (a 1-based column, counted in characters of
/// the text) and what. A problem of the whole expression, such as a declared unit that differs
/// from the inferred one, has no column.
///
/// The scenario reader puts the JSON path in front: `outputs[1].expression: column 17: ...`,
/// or `outputs[1]: unit is ...` when there is no column.
public struct ExpressionIssue: Error, Equatable, Sendable, CustomStringConvertible {
    /// The 1-based column (in characters) where the problem is, or nil for the whole expression.
    public var column: Int?
    /// What is wrong.
    public var message: String

    /// An issue at `column` (nil: the whole expression) saying `message`.
    public init(column: Int?, message: String) {
        self.column = column
        self.message = message
    }

    /// `column 17: message`, or the message alone when there is no column.
    public var description: String {
        column.map { "column \($0): \(message)" } ?? message
    }
}

/// An expression or unit that was refused, with every problem found, in column order.
public struct ExpressionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The problems found, in column order.
    public var issues: [ExpressionIssue]

    /// An error listing `issues`.
    public init(_ issues: [ExpressionIssue]) {
        self.issues = issues
    }

    /// The issues' descriptions, one per line.
    public var description: String {
        issues.map(\.description).joined(separator: "\n")
    }
}
