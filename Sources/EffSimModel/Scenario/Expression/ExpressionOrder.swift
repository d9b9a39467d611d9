import EffSimCore

/// The order in which outputs that use other outputs must be computed.
public enum ExpressionOrder {
    /// A cycle among outputs: `ids` starts and ends with the same id, each using the next.
    public struct Cycle: Error, Equatable, Sendable, CustomStringConvertible {
        /// The output ids around the cycle; the first and last are the same.
        public var ids: [String]

        /// A cycle through `ids` (first and last the same).
        public init(ids: [String]) {
            self.ids = ids
        }

        /// `cycle effective -> resources -> effective`.
        public var description: String { "cycle " + ids.joined(separator: " -> ") }
    }

    /// Indices of `outputs` so that every output comes after the outputs it uses, otherwise in
    /// the order given; or the first cycle met, starting from the output on it that the search, which follows
    /// the given order, reached first.
    ///
    /// `uses` lists the names an output's expression reads (`referencedNames`); names that are
    /// not output ids (factors) are ignored, and so are outputs without an expression (pass []).
    public static func dependencyOrder(_ outputs: [(id: String, uses: [String])]) -> Result<[Int], Cycle> {
        var index: [String: Int] = [:]
        for (i, o) in outputs.enumerated() where index[o.id] == nil { index[o.id] = i }
        enum Mark { case unvisited, onPath, done }
        var mark = Array(repeating: Mark.unvisited, count: outputs.count)
        var order: [Int] = []
        var path: [Int] = []

        /// Depth first; returns the cycle when `i` leads back onto the current path.
        func visit(_ i: Int) -> Cycle? {
            switch mark[i] {
            case .done: return nil
            case .onPath:
                let start = path.firstIndex(of: i)!
                return Cycle(ids: (path[start...] + [i]).map { outputs[$0].id })
            case .unvisited: break
            }
            mark[i] = .onPath
            path.append(i)
            for name in outputs[i].uses {
                if let j = index[name], let cycle = visit(j) { return cycle }
            }
            path.removeLast()
            mark[i] = .done
            order.append(i)
            return nil
        }

        for i in outputs.indices {
            if let cycle = visit(i) { return .failure(cycle) }
        }
        return .success(order)
    }
}
