/// The names an expression may use: factor ids and output ids, each with the slot (column
/// index) the evaluator reads its values from and its unit (nil: dimensionless).
///
/// Factors and outputs are kept apart only so that an unknown name's message can list both.
public struct ExpressionScope: Sendable {
    public struct Name: Sendable, Equatable {
        public var id: String
        public var slot: Int
        public var unit: UnitOfMeasure?

        public init(id: String, slot: Int, unit: UnitOfMeasure? = nil) {
            self.id = id
            self.slot = slot
            self.unit = unit
        }
    }

    public var factors: [Name]
    public var outputs: [Name]

    public init(factors: [Name], outputs: [Name] = []) {
        self.factors = factors
        self.outputs = outputs
    }

    func lookup(_ id: String) -> Name? {
        factors.first { $0.id == id } ?? outputs.first { $0.id == id }
    }

    /// `unknown name "mfu_now" (factors: peak, mfu; outputs: flop)`.
    func unknownNameMessage(_ id: String) -> String {
        func list(_ names: [Name]) -> String { names.isEmpty ? "none" : names.map(\.id).joined(separator: ", ") }
        return "unknown name \"\(id)\" (factors: \(list(factors)); outputs: \(list(outputs)))"
    }
}
