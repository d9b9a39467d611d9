import EffSimCore

/// The names an expression may use: factor ids and output ids, each with the slot (column
/// index) the evaluator reads its values from and its unit (nil: dimensionless).
///
/// Factors and outputs are kept apart only so that an unknown name's message can list both.
public struct ExpressionScope: Sendable {
    /// A name an expression may use, with where its values are and its unit.
    public struct Name: Sendable, Equatable {
        /// The factor or output id.
        public var id: String
        /// The column index the evaluator reads its values from.
        public var slot: Int
        /// Its unit; nil when dimensionless.
        public var unit: UnitOfMeasure?

        /// A name with its slot and unit (default nil: dimensionless).
        public init(id: String, slot: Int, unit: UnitOfMeasure? = nil) {
            self.id = id
            self.slot = slot
            self.unit = unit
        }
    }

    /// The factors' names.
    public var factors: [Name]
    /// The outputs' names.
    public var outputs: [Name]

    /// A scope of these factors and outputs (default none).
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
