import EffSimCore

/// Resolves names to slots, infers units by the rules below and folds constant parts, listing
/// every problem (each unknown name once; no follow-on problems from a part already refused).
///
/// Rules when the scenario uses units (otherwise everything is dimensionless and only names
/// and constants are checked): `+ - min max` need equal units; `* /` compose them; the exponent
/// of `^` and the argument of `exp ln log2 log10` must be dimensionless; a base with a unit
/// needs a constant exponent that leaves whole powers (`sqrt(m^2)` is `m`, `sqrt(m)` is an
/// error); `abs` and unary minus keep the unit. A number or name without a unit is dimensionless.
struct UnitChecker {
    let scope: ExpressionScope
    let usesUnits: Bool
    /// The expression's text, for the hint on an id written without its backquotes.
    let text: [Character]
    var issues: [ExpressionIssue] = []
    private var reported: Set<String> = []

    init(scope: ExpressionScope, usesUnits: Bool, text: String) {
        self.scope = scope
        self.usesUnits = usesUnits
        self.text = Array(text)
    }

    /// A checked node: nil `node` when a problem below was reported; nil `unit` when the unit
    /// could not be inferred (a problem was reported for it).
    typealias Checked = (node: ResolvedExpression?, unit: UnitOfMeasure?)

    mutating func check(_ e: ExpressionSyntax) -> Checked {
        switch e {
        case let .number(value, unit, _):
            return (.constant(value), usesUnits ? unit ?? .dimensionless : .dimensionless)
        case let .name(id, column):
            guard let name = scope.lookup(id) else {
                if reported.insert(id).inserted { issue(column, scope.unknownNameMessage(id) + backquoteHint(column)) }
                return (nil, nil)
            }
            return (.slot(name.slot), usesUnits ? name.unit ?? .dimensionless : .dimensionless)
        case let .negate(a, column):
            let x = check(a)
            return (fold(x.node.map { .negate($0) }, column), x.unit)
        case let .binary(op, a, b, column):
            let x = check(a)
            let y = check(b)
            let node = fold(x.node.flatMap { l in y.node.map { .binary(op, l, $0) } }, column)
            return (node, binaryUnit(op, x, y, column))
        case let .call(f, args, column):
            let checked = args.map { check($0) }
            let nodes = checked.compactMap(\.node)
            let node: ResolvedExpression? =
                nodes.count < checked.count
                ? nil
                : f.isVariadic ? .extremum(f, nodes) : .function(f, nodes[0])
            return (fold(node, column), callUnit(f, checked, column))
        }
    }

    /// `h100-sxm * 2` reads as h100 minus sxm: when the text at `column` is part of a known id
    /// that holds "-" or ".", say how to write it.
    private func backquoteHint(_ column: Int) -> String {
        let i = column - 1
        for name in scope.factors + scope.outputs where name.id.contains(where: { $0 == "-" || $0 == "." }) {
            let id = Array(name.id)
            for start in max(0, i - id.count + 1)...i where start + id.count <= text.count {
                if Array(text[start..<(start + id.count)]) == id { return "; write `\(name.id)` in backquotes" }
            }
        }
        return ""
    }

    private mutating func issue(_ column: Int, _ message: String) {
        issues.append(ExpressionIssue(column: column, message: message))
    }

    /// Folds a node whose children are constants; a constant part that is not a finite number
    /// (ln(0), 1e308*10) is refused here rather than at every trial.
    private mutating func fold(_ node: ResolvedExpression?, _ column: Int) -> ResolvedExpression? {
        guard let folded = node?.folded() else { return nil }
        if let c = folded.constantValue, !c.isFinite {
            issue(column, "this constant part evaluates to \(c.isNaN ? "NaN" : c > 0 ? "inf" : "-inf")")
            return nil
        }
        return folded
    }

    private mutating func binaryUnit(_ op: BinaryOperator, _ x: Checked, _ y: Checked, _ column: Int) -> UnitOfMeasure?
    {
        guard let u = x.unit, let v = y.unit else { return nil }
        switch op {
        case .add, .subtract:
            if u != v {
                issue(column, "\(op.rawValue) needs equal units, found \(u) and \(v)")
                return nil
            }
            return u
        case .multiply: return u * v
        case .divide: return u / v
        case .power:
            if !v.isDimensionless {
                issue(column, "the exponent of ^ must be dimensionless, found \(v)")
                return nil
            }
            if u.isDimensionless { return u }
            guard let e = y.node?.constantValue else {
                issue(column, "a base with a unit (\(u)) needs a constant exponent")
                return nil
            }
            guard let r = u.raised(toReal: e) else {
                issue(column, "\(u) raised to \(formatNumber(e)) leaves a fractional power")
                return nil
            }
            return r
        }
    }

    private mutating func callUnit(_ f: ExpressionFunction, _ args: [Checked], _ column: Int) -> UnitOfMeasure? {
        let units = args.compactMap(\.unit)
        guard units.count == args.count, let u = units.first else { return nil }
        switch f {
        case .exp, .ln, .log2, .log10:
            if !u.isDimensionless {
                issue(column, "the argument of \(f.rawValue) must be dimensionless, found \(u)")
                return nil
            }
            return u
        case .sqrt:
            guard let r = u.raised(toReal: 0.5) else {
                issue(column, "sqrt of \(u) leaves a fractional power")
                return nil
            }
            return r
        case .abs:
            return u
        case .min, .max:
            if let other = units.first(where: { $0 != u }) {
                issue(column, "\(f.rawValue) needs equal units, found \(u) and \(other)")
                return nil
            }
            return u
        }
    }
}
