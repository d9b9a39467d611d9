import EffSim
import Foundation
import Testing

/// Block evaluation against the scalar reference, the log form, and the order of outputs.
@Suite struct ExpressionEvaluationTests {
    typealias S = ExpressionSupport

    static let expressions = [
        "x", "2", "-x", "x + y * z", "(x + y) * (y - z) / (x * z + 1)", "x ^ 2", "x ^ y", "2 ^ x", "x ^ -1.5",
        "-x ^ 2 + --y", "exp(x) - ln(abs(y)) + log2(abs(z) + 1) * log10(abs(x) + 2)", "sqrt(x) + sqrt(abs(y))",
        "min(x, y, z) + max(x, 3, z) * min(y, 0.5)", "((x + y) * (y + z)) / ((x - z) * (x + z)) + min(x, y, z) - max(exp(x), y)",
        "x / y", "ln(x)", "abs(x - y) ^ 0.5 * 6[FLOP/(param*token)]", "max(x, y) - min(x, y) - abs(x - y)",
        "x * x * x * x * x * x / (y * y * y) + z", "1 - (x - (y - (z - (x - (y - z)))))",
    ]

    /// Random inputs of both signs, zeros, and large and small magnitudes: every trial of the
    /// block equals the tree-walking reference bit for bit (NaN where it gives NaN).
    @Test(arguments: expressions)
    func blockMatchesScalarReference(text: String) throws {
        var rng = SplitMix64(state: 20_261_123)
        let n = 1000
        let columns: [[Double]] = (0..<3).map { _ in
            (0..<n).map { i -> Double in
                switch i % 10 {
                case 0: 0
                case 1: -Double.random(in: 0..<5, using: &rng)
                case 2: Double.random(in: 1e10..<1e12, using: &rng)
                case 3: Double.random(in: 1e-12..<1e-10, using: &rng)
                default: Double.random(in: 0.1..<4, using: &rng)
                }
            }
        }
        let c = try S.compile(text, S.scope(["x", "y", "z"]))
        let block = S.evaluate(c, columns)
        var mismatches = 0
        for i in 0..<n {
            let reference = c.value { columns[$0][i] }
            if !S.same(block[i], reference) { mismatches += 1 }
        }
        #expect(mismatches == 0, "\(text)")
        // The other entry points give the same values.
        var viaClosure = [Double](repeating: 0, count: n)
        let pointers = columns.map { col -> UnsafeMutablePointer<Double> in
            let p = UnsafeMutablePointer<Double>.allocate(capacity: n)
            p.initialize(from: col, count: n)
            return p
        }
        defer { pointers.forEach { $0.deallocate() } }
        viaClosure.withUnsafeMutableBufferPointer { out in
            c.evaluate(count: n, column: { UnsafePointer(pointers[$0]) }, into: out.baseAddress!)
        }
        #expect(zip(block, viaClosure).allSatisfy { S.same($0, $1) })
    }

    /// Registers are reused once read: a long chain needs few scratch columns.
    @Test func registersAreReused() throws {
        #expect(try S.compile("x", S.scope(["x"])).registerCount == 0)
        #expect(try S.compile("x * y", S.scope(["x", "y"])).registerCount == 1)
        #expect(try S.compile("x * x * x * x * x * x * x", S.scope(["x"])).registerCount == 1)
        #expect(try S.compile("(x + x) * (x + x)", S.scope(["x"])).registerCount == 2)
    }

    /// A product, quotient or power of names with constant exponents, times a positive
    /// constant, has a log form; anything else does not.
    @Test func logFormDetection() throws {
        let scope = S.scope(["flop", "peak", "mfu"])
        let gpuHours = try S.compile("flop / (peak * mfu * 3600)", scope)
        #expect(gpuHours.isPureProduct)
        #expect(gpuHours.logForm?.terms.map(\.slot) == [0, 1, 2])
        #expect(gpuHours.logForm?.terms.map(\.coefficient) == [1, -1, -1])
        #expect(gpuHours.logForm?.logConstant == -log(3600))
        let powers = try S.compile("2 * flop^2 * sqrt(peak) / mfu^1.5 / flop", scope).logForm
        #expect(powers?.terms.map(\.coefficient) == [1, 0.5, -1.5])
        #expect(powers?.logConstant == log(2))
        #expect(try S.compile("flop / flop * 3", scope).logForm == LogForm?.some(try S.compile("3", scope).logForm!))
        #expect(try S.compile("3", scope).logForm?.terms == [])
        for text in ["flop + peak", "-flop", "flop ^ peak", "exp(flop)", "-2 * flop", "min(flop, peak)", "abs(flop)", "0 * flop", "flop - 1"] {
            #expect(try !S.compile(text, scope).isPureProduct, "\(text)")
        }
    }

    /// For positive inputs, the log form gives the log of the value.
    @Test func logFormMatchesValue() throws {
        var rng = SplitMix64(state: 7)
        let n = 200
        let columns = (0..<3).map { _ in (0..<n).map { _ in exp(Double.random(in: -20..<20, using: &rng)) } }
        let logs = columns.map { $0.map { log($0) } }
        for text in ["6 * x * y", "x / (y * z * 3600)", "x^2 * sqrt(y) / z^1.5", "(x / y)^-0.5 / 7"] {
            let c = try S.compile(text, S.scope(["x", "y", "z"]))
            let form = try #require(c.logForm, "\(text)")
            let values = S.evaluate(c, columns)
            var out = [Double](repeating: 0, count: n)
            let flat = logs.flatMap { $0 }
            flat.withUnsafeBufferPointer { base in
                out.withUnsafeMutableBufferPointer { o in
                    form.evaluate(count: n, logColumn: { base.baseAddress! + $0 * n }, into: o.baseAddress!)
                }
            }
            let worst = zip(out, values).map { abs($0 - log($1)) }.max()!
            #expect(worst < 1e-12, "\(text): \(worst)")
        }
    }

    @Test func dependencyOrderAndCycles() {
        typealias O = ExpressionOrder
        // b uses a factor only, a uses b: b first; c keeps its place.
        #expect(O.dependencyOrder([("a", ["b", "x"]), ("b", ["y"]), ("c", [])]) == .success([1, 0, 2]))
        #expect(O.dependencyOrder([("a", []), ("b", ["a"]), ("c", ["b", "a"])]) == .success([0, 1, 2]))
        #expect(O.dependencyOrder([("c", ["b"]), ("b", ["a"]), ("a", [])]) == .success([2, 1, 0]))
        let cycle = O.dependencyOrder([("effective", ["resources", "efficiency"]), ("resources", ["effective"])])
        #expect(cycle == .failure(O.Cycle(ids: ["effective", "resources", "effective"])))
        if case let .failure(c) = cycle { #expect(c.description == "cycle effective -> resources -> effective") }
        #expect(O.dependencyOrder([("a", ["a"])]) == .failure(O.Cycle(ids: ["a", "a"])))
        // The cycle is reported from where the search entered it.
        #expect(O.dependencyOrder([("x", ["p"]), ("p", ["q"]), ("q", ["r"]), ("r", ["p"])])
            == .failure(O.Cycle(ids: ["p", "q", "r", "p"])))
    }
}
