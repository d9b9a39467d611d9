import EffSimCore

/// An expression checked once at load time and compiled to a flat list of block instructions:
/// no text, no names and no tree walk per trial.
///
/// Each instruction reads whole columns (a name's values, or an intermediate result in a
/// scratch register) and writes one column, so the dispatch on the instruction's kind happens
/// once per block and the inner loops are plain arithmetic over arrays. Values are IEEE doubles
/// throughout: NaN and infinities come out as C's libm gives them, for the caller to detect.
public struct CompiledExpression: Sendable {
    /// The expression as written.
    public let text: String
    /// The inferred unit (dimensionless when the scenario uses no units); `unit.normalForm`
    /// is what summary.csv writes.
    public let unit: UnitOfMeasure
    /// Factor and output ids used, in order of first appearance (for ordering outputs).
    public let referencedNames: [String]
    /// The same expression as a sum of logs, when it is a product, quotient or power of names
    /// with constant exponents times a positive constant; nil otherwise.
    public let logForm: LogForm?
    /// Scratch columns `evaluate` needs: `registerCount * count` doubles.
    public let registerCount: Int
    /// Whether a number in the text carries a unit (`3600[s/h]`): the scenario then uses units.
    public let containsUnitLiteral: Bool

    let tree: ResolvedExpression
    let code: [Instruction]

    /// Whether `logForm` exists: the output may stay in logs like a `groups` output.
    public var isPureProduct: Bool { logForm != nil }

    /// The value when the expression uses no name (folded at load time).
    public var constantValue: Double? { tree.constantValue }

    /// Slots read, each once, in increasing order.
    public var referencedSlots: [Int] {
        var slots = Set<Int>()
        for i in code {
            for o in [i.a, i.b] { if case let .slot(s) = o { slots.insert(s) } }
        }
        return slots.sorted()
    }

    /// Parses, checks and compiles `text` in one step; see `compile(_:scope:declaredUnit:usesUnits:)`.
    public static func compile(
        _ text: String, scope: ExpressionScope, declaredUnit: UnitOfMeasure? = nil,
        usesUnits: Bool = false
    ) -> Result<CompiledExpression, ExpressionError> {
        ParsedExpression.parse(text).flatMap {
            compile($0, scope: scope, declaredUnit: declaredUnit, usesUnits: usesUnits)
        }
    }

    /// Resolves the names of `parsed` in `scope`, infers and checks units, folds constants and
    /// compiles. Every problem is listed, in column order, the declared-unit mismatch (no column) last.
    ///
    /// Units are checked when `usesUnits` is true, or when the expression or `declaredUnit`
    /// carries one; names whose `unit` is nil are then dimensionless. Outputs that use outputs
    /// must be compiled in dependency order (`ExpressionOrder.dependencyOrder`) with each
    /// earlier output's inferred `unit` in the scope.
    public static func compile(
        _ parsed: ParsedExpression, scope: ExpressionScope, declaredUnit: UnitOfMeasure? = nil,
        usesUnits: Bool = false
    ) -> Result<CompiledExpression, ExpressionError> {
        let checksUnits = usesUnits || declaredUnit != nil || parsed.containsUnitLiteral
        var checker = UnitChecker(scope: scope, usesUnits: checksUnits, text: parsed.text)
        let (tree, inferred) = checker.check(parsed.syntax)
        var issues = checker.issues.sorted { $0.column ?? .max < $1.column ?? .max }
        if let declaredUnit, let inferred, inferred != declaredUnit {
            issues.append(
                ExpressionIssue(
                    column: nil, message: UnitOfMeasure.mismatchMessage(inferred: inferred, declared: declaredUnit)))
        }
        guard issues.isEmpty, let tree, let inferred else {
            return .failure(ExpressionError(issues))
        }
        var generator = CodeGenerator()
        generator.compileRoot(tree)
        return .success(
            CompiledExpression(
                text: parsed.text, unit: inferred, referencedNames: parsed.referencedNames,
                logForm: LogForm(tree), registerCount: generator.registerCount,
                containsUnitLiteral: parsed.containsUnitLiteral, tree: tree, code: generator.code))
    }

    /// One trial's value from each slot's value: the tree walked directly, the reference the
    /// block evaluator matches bit for bit (used for a failing trial's message and by tests).
    public func value(slot: (Int) -> Double) -> Double {
        tree.value(slot)
    }

    /// Evaluates `count` trials: `column(s)` points at slot s's `count` values; the results go
    /// to `output`; `scratch` holds at least `registerCount * count` doubles. Columns may be
    /// any memory, including `output`'s neighbours; `output` must not be an input column.
    public func evaluate(
        count n: Int, column: (Int) -> UnsafePointer<Double>,
        into output: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>
    ) {
        func operand(_ o: Instruction.Operand) -> BlockOperand {
            switch o {
            case let .slot(s): .column(column(s))
            case let .register(r): .column(UnsafePointer(scratch + r * n))
            case let .constant(c): .scalar(c)
            }
        }
        for instruction in code {
            let out = instruction.destination < 0 ? output : scratch + instruction.destination * n
            let a = operand(instruction.a)
            switch instruction.kind {
            case .copy: BlockOperand.map(a, out, n) { $0 }
            case .negate: BlockOperand.map(a, out, n) { -$0 }
            case let .function(f):
                switch f {
                case .exp: BlockOperand.map(a, out, n) { ExpressionFunction.exp.apply($0) }
                case .ln: BlockOperand.map(a, out, n) { ExpressionFunction.ln.apply($0) }
                case .log2: BlockOperand.map(a, out, n) { ExpressionFunction.log2.apply($0) }
                case .log10: BlockOperand.map(a, out, n) { ExpressionFunction.log10.apply($0) }
                case .sqrt: BlockOperand.map(a, out, n) { ExpressionFunction.sqrt.apply($0) }
                case .abs: BlockOperand.map(a, out, n) { ExpressionFunction.abs.apply($0) }
                case .min, .max: preconditionFailure("min and max compile to .extremum")
                }
            case let .binary(op):
                let b = operand(instruction.b)
                switch op {
                case .add: BlockOperand.map(a, b, out, n, +)
                case .subtract: BlockOperand.map(a, b, out, n, -)
                case .multiply: BlockOperand.map(a, b, out, n, *)
                case .divide: BlockOperand.map(a, b, out, n, /)
                case .power: BlockOperand.map(a, b, out, n, ExpressionMath.power)
                }
            case let .extremum(f):
                let b = operand(instruction.b)
                if f == .min {
                    BlockOperand.map(a, b, out, n) { ExpressionFunction.min.apply($0, $1) }
                } else {
                    BlockOperand.map(a, b, out, n) { ExpressionFunction.max.apply($0, $1) }
                }
            }
        }
    }

    /// `evaluate` over columns laid out one after another, slot s at `base + s * stride`
    /// (the engine's block buffer).
    public func evaluate(
        columns base: UnsafePointer<Double>, stride: Int, count n: Int,
        into output: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>
    ) {
        evaluate(count: n, column: { base + $0 * stride }, into: output, scratch: scratch)
    }

    /// `evaluate` with scratch space allocated for the call.
    public func evaluate(
        count n: Int, column: (Int) -> UnsafePointer<Double>, into output: UnsafeMutablePointer<Double>
    ) {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, registerCount * n)) { scratch in
            evaluate(count: n, column: column, into: output, scratch: scratch.baseAddress!)
        }
    }
}

/// One step of the block program: `destination = kind(a, b)` over a block.
struct Instruction: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case copy, negate
        case binary(BinaryOperator)
        case function(ExpressionFunction)
        /// One step of min or max.
        case extremum(ExpressionFunction)
    }

    enum Operand: Equatable, Sendable {
        case slot(Int)
        case register(Int)
        case constant(Double)
    }

    var kind: Kind
    var a: Operand
    var b: Operand = .constant(0)
    /// A scratch register, or -1 for the output column.
    var destination: Int
}

/// An operand over a block: a column of values or one value for every trial.
private enum BlockOperand {
    case column(UnsafePointer<Double>)
    case scalar(Double)

    @inline(__always)
    static func map(_ a: BlockOperand, _ out: UnsafeMutablePointer<Double>, _ n: Int, _ f: (Double) -> Double) {
        switch a {
        case let .column(x): for i in 0..<n { out[i] = f(x[i]) }
        case let .scalar(x): out.update(repeating: f(x), count: n)
        }
    }

    @inline(__always)
    static func map(
        _ a: BlockOperand, _ b: BlockOperand, _ out: UnsafeMutablePointer<Double>, _ n: Int,
        _ f: (Double, Double) -> Double
    ) {
        switch (a, b) {
        case let (.column(x), .column(y)): for i in 0..<n { out[i] = f(x[i], y[i]) }
        case let (.column(x), .scalar(y)): for i in 0..<n { out[i] = f(x[i], y) }
        case let (.scalar(x), .column(y)): for i in 0..<n { out[i] = f(x, y[i]) }
        case let (.scalar(x), .scalar(y)): out.update(repeating: f(x, y), count: n)
        }
    }
}

/// Turns a resolved tree into instructions, reusing a register as soon as its value is read.
private struct CodeGenerator {
    var code: [Instruction] = []
    var registerCount = 0
    private var free: [Int] = []

    mutating func compileRoot(_ tree: ResolvedExpression) {
        let result = emit(tree)
        if case .register = result, !code.isEmpty {
            code[code.count - 1].destination = -1
        } else {
            code.append(Instruction(kind: .copy, a: result, destination: -1))
        }
    }

    private mutating func allocate() -> Int {
        if let r = free.popLast() { return r }
        registerCount += 1
        return registerCount - 1
    }

    private mutating func release(_ o: Instruction.Operand) {
        if case let .register(r) = o {
            free.append(r)
            free.sort(by: >)
        }
    }

    private mutating func instruction(
        _ kind: Instruction.Kind, _ a: Instruction.Operand,
        _ b: Instruction.Operand = .constant(0)
    ) -> Instruction.Operand {
        release(a)
        release(b)
        let r = allocate()
        code.append(Instruction(kind: kind, a: a, b: b, destination: r))
        return .register(r)
    }

    private mutating func emit(_ e: ResolvedExpression) -> Instruction.Operand {
        switch e {
        case let .constant(c): return .constant(c)
        case let .slot(s): return .slot(s)
        case let .negate(a): return instruction(.negate, emit(a))
        case let .binary(op, a, b):
            let x = emit(a)
            return instruction(.binary(op), x, emit(b))
        case let .function(f, a): return instruction(.function(f), emit(a))
        case let .extremum(f, args):
            var r = emit(args[0])
            for arg in args.dropFirst() {
                let x = emit(arg)
                r = instruction(.extremum(f), r, x)
            }
            return r
        }
    }
}
