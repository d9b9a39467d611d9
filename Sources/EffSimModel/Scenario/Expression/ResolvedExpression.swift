import EffSimCore

/// An expression with its names resolved to slots and its constant parts folded: what the
/// compiler turns into instructions, and the scalar reference the block evaluator must match.
indirect enum ResolvedExpression: Equatable, Sendable {
    case constant(Double)
    case slot(Int)
    case negate(ResolvedExpression)
    case binary(BinaryOperator, ResolvedExpression, ResolvedExpression)
    /// exp, ln, log2, log10, sqrt, abs.
    case function(ExpressionFunction, ResolvedExpression)
    /// min or max of two or more arguments.
    case extremum(ExpressionFunction, [ResolvedExpression])

    var constantValue: Double? {
        if case let .constant(c) = self { return c }
        return nil
    }

    /// The value for one trial, walking the tree; `slot` gives each name's value.
    func value(_ slot: (Int) -> Double) -> Double {
        switch self {
        case let .constant(c): return c
        case let .slot(s): return slot(s)
        case let .negate(a): return -a.value(slot)
        case let .binary(op, a, b): return op.apply(a.value(slot), b.value(slot))
        case let .function(f, a): return f.apply(a.value(slot))
        case let .extremum(f, args):
            var r = args[0].value(slot)
            for a in args.dropFirst() { r = f.apply(r, a.value(slot)) }
            return r
        }
    }

    /// The node with constant children replaced by its value (the same arithmetic as at run time).
    func folded() -> ResolvedExpression {
        let children: [ResolvedExpression]
        switch self {
        case .constant, .slot: return self
        case let .negate(a), let .function(_, a): children = [a]
        case let .binary(_, a, b): children = [a, b]
        case let .extremum(_, args): children = args
        }
        guard children.allSatisfy({ $0.constantValue != nil }) else { return self }
        return .constant(value { _ in preconditionFailure("a constant reads no slot") })
    }
}
