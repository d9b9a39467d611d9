import EffSim
import Foundation
import Testing

/// Units: reading them, their normal form, and every rule the checker applies.
@Suite struct ExpressionUnitTests {
    typealias S = ExpressionSupport

    @Test(arguments: [
        ("FLOP/(GPU*s)", "FLOP/(GPU*s)"), ("FLOP/s/GPU", "FLOP/(GPU*s)"), ("FLOP / (s * GPU)", "FLOP/(GPU*s)"),
        ("GPU*h", "GPU*h"), ("h*GPU", "GPU*h"), ("m^2", "m^2"), ("m*m", "m^2"), ("s/s", ""), ("1", ""),
        ("1/s", "1/s"), ("s^-1", "1/s"), ("s^(-1)", "1/s"), ("m/s^2", "m/s^2"), ("(m/s)^2", "m^2/s^2"),
        ("kg*m^2/s^2", "kg*m^2/s^2"), ("FLOP", "FLOP"), ("token*param*FLOP/param", "FLOP*token"),
        ("1/(GPU*h)", "1/(GPU*h)"), ("b*a*B*A", "A*B*a*b"), ("µs", "µs"), ("expert_hour", "expert_hour"),
    ])
    func normalForm(text: String, expected: String) throws {
        let u = try UnitOfMeasure.parse(text).get()
        #expect(u.normalForm == expected, "\(text)")
        #expect(u.description == (expected.isEmpty ? "1" : expected))
        // The normal form reads back as the same unit.
        if !expected.isEmpty { #expect(try UnitOfMeasure.parse(expected).get() == u) }
    }

    @Test func equalUnitsCompareEqual() throws {
        #expect(S.unit("FLOP/(GPU*s)") == S.unit("FLOP/s/GPU"))
        #expect(S.unit("FLOP/(GPU*s)") == S.unit("FLOP") / (S.unit("GPU") * S.unit("s")))
        #expect(S.unit("s/s") == .dimensionless)
        #expect(S.unit("GPU*h") != S.unit("GPU*s"))
        #expect(S.unit("flop") != S.unit("FLOP"))
    }

    @Test(arguments: [
        ("", "column 1: empty unit (write 1 for a dimensionless one)"),
        ("FLOP/", "column 6: expected a unit symbol, found the end of the unit"),
        ("m^x", "column 3: expected a whole power from -1000 to 1000 after \"^\", found \"x\""),
        ("m^1.5", "column 4: expected \"*\", \"/\" or the end of the unit, found \".\""),
        ("(m", "column 3: expected \")\" to close \"(\" at column 1, found the end of the unit"),
        ("m s", "column 3: expected \"*\", \"/\" or the end of the unit, found \"s\""),
        ("m*3", "column 3: expected a unit symbol, found \"3\""),
        ("10", "column 2: expected \"*\", \"/\" or the end of the unit, found \"0\""),
    ])
    func unitSyntaxErrors(text: String, message: String) {
        switch UnitOfMeasure.parse(text) {
        case .success: Issue.record("\(text) accepted")
        case let .failure(issue): #expect(issue.description == message, "\(text)")
        }
    }

    /// The 6·N·D rule with its units: FLOP per parameter-token times parameters times tokens.
    @Test func trainingComputeSixND() throws {
        let scope = S.scope(["params", "tokens"], units: ["params": "param", "tokens": "token"])
        let c = try S.compile("6[FLOP/(param*token)] * params * tokens", scope, declared: "FLOP")
        #expect(c.unit.normalForm == "FLOP")
        let v = S.evaluate(c, [[175e9], [300e9]])[0]
        #expect(abs(v / 3.15e23 - 1) < 1e-15, "\(v)")
        // The 144 TFLOP-per-token slip: FLOP/token times tokens is FLOP, but per parameter is not.
        #expect(S.problems("144e12[FLOP/token] * tokens * params", scope, declared: "FLOP")
            == ["unit is FLOP*param, declared FLOP"])
    }

    /// GPU-hours from FLOP, peak FLOP/(GPU*s) and a dimensionless MFU; without the 3600[s/h]
    /// the unit is GPU*s and the message suggests the conversion.
    @Test func gpuHours() throws {
        let scope = S.scope(["flop", "peak", "mfu"], units: ["flop": "FLOP", "peak": "FLOP/(GPU*s)"])
        let c = try S.compile("flop / (peak * mfu * 3600[s/h])", scope, declared: "GPU*h")
        #expect(c.unit.normalForm == "GPU*h")
        let hours = S.evaluate(c, [[3.14e23], [125e12], [0.196]])[0] / 10_000
        #expect(abs(hours - 356.009) < 0.001, "\(hours)")
        #expect(S.problems("flop / (peak * mfu)", scope, declared: "GPU*h")
            == ["unit is GPU*s, declared GPU*h (a 3600[s/h] missing?)"])
        #expect(S.problems("flop / (peak * mfu) * 3600[s/h]", scope, declared: "GPU*h")
            == ["unit is GPU*s^2/h, declared GPU*h"])
        #expect(S.problems("flop / (peak * mfu) / 3600[s/h] / 24[h/day]", scope, declared: "GPU*h")
            == ["unit is GPU*day, declared GPU*h (a 24[h/day] missing?)"])
    }

    @Test(arguments: [
        ("x", "TFLOP", "FLOP", "unit is TFLOP, declared FLOP (a 1e12[FLOP/TFLOP] missing?)"),
        ("x", "GPU*h", "GPU*s", "unit is GPU*h, declared GPU*s (a 3600[s/h] missing?)"),
        ("x", "ms", "min", "unit is ms, declared min (a 60000[ms/min] missing?)"),
        ("x", "param", "token", "unit is param, declared token (a conversion between param and token missing?)"),
        ("x", "FLOP/s", "FLOP", "unit is FLOP/s, declared FLOP"),
        ("x", "1", "FLOP", "unit is 1, declared FLOP (to give a dimensionless result a unit, multiply it by 1[FLOP])"),
        ("x", "FLOP", "1", "unit is FLOP, declared 1"),
    ])
    func declaredUnitMismatch(text: String, unit: String, declared: String, message: String) {
        let scope = unit == "1" ? S.scope(["x"]) : S.scope(["x"], units: ["x": unit])
        #expect(S.problems(text, scope, declared: declared) == [message])
    }

    /// Every rule, with the message of each refusal.
    @Test func rules() throws {
        let scope = S.scope(["a", "b", "len", "area", "x", "flop"],
                            units: ["a": "FLOP", "b": "FLOP/s", "len": "m", "area": "m^2", "flop": "FLOP"])
        func unit(_ text: String) throws -> String { try S.compile(text, scope, usesUnits: true).unit.normalForm }
        // + - min max need equal units.
        #expect(try unit("a + flop - a") == "FLOP")
        #expect(S.problems("a + b", scope, usesUnits: true) == ["column 3: + needs equal units, found FLOP and FLOP/s"])
        #expect(S.problems("a - 1", scope, usesUnits: true) == ["column 3: - needs equal units, found FLOP and 1"])
        #expect(try unit("min(a, flop, 2[FLOP])") == "FLOP")
        #expect(S.problems("max(a, b)", scope, usesUnits: true) == ["column 1: max needs equal units, found FLOP and FLOP/s"])
        #expect(S.problems("min(a, flop, x)", scope, usesUnits: true) == ["column 1: min needs equal units, found FLOP and 1"])
        // * / compose.
        #expect(try unit("a / b") == "s")
        #expect(try unit("b * len / area * x") == "FLOP/(m*s)")
        // ^: dimensionless exponent; a base with a unit needs a constant exponent leaving whole powers.
        #expect(try unit("2^x") == "")
        #expect(try unit("x^x") == "")
        #expect(S.problems("2^len", scope, usesUnits: true) == ["column 2: the exponent of ^ must be dimensionless, found m"])
        #expect(try unit("area^0.5") == "m")
        #expect(try unit("len^(1+1)") == "m^2")
        #expect(try unit("len^-2") == "1/m^2")
        #expect(try unit("len^0") == "")
        #expect(S.problems("len^0.5", scope, usesUnits: true) == ["column 4: m raised to 0.5 leaves a fractional power"])
        #expect(S.problems("len^x", scope, usesUnits: true) == ["column 4: a base with a unit (m) needs a constant exponent"])
        // sqrt keeps whole powers only.
        #expect(try unit("sqrt(area)") == "m")
        #expect(try unit("sqrt(area * area)") == "m^2")
        #expect(S.problems("sqrt(len)", scope, usesUnits: true) == ["column 1: sqrt of m leaves a fractional power"])
        // exp ln log2 log10 take dimensionless arguments and give dimensionless values.
        #expect(try unit("ln(a / flop) + log2(x) + log10(len / 1[m]) + exp(x)") == "")
        for f in ["exp", "ln", "log2", "log10"] {
            #expect(S.problems("\(f)(len)", scope, usesUnits: true) == ["column 1: the argument of \(f) must be dimensionless, found m"])
        }
        // abs and unary minus keep the unit.
        #expect(try unit("abs(-len)") == "m")
        #expect(try unit("-a") == "FLOP")
    }

    /// Problems are all listed, without follow-on problems from a part already refused.
    @Test func everyUnitProblemIsListed() {
        let scope = S.scope(["len", "a"], units: ["len": "m", "a": "FLOP"])
        #expect(S.problems("exp(len) + ln(len) + sqrt(len) * a", scope, usesUnits: true) == [
            "column 1: the argument of exp must be dimensionless, found m",
            "column 12: the argument of ln must be dimensionless, found m",
            "column 22: sqrt of m leaves a fractional power",
        ])
        #expect(S.problems("(a + len) * nope", scope, declared: "FLOP", usesUnits: true) == [
            "column 4: + needs equal units, found FLOP and m",
            "column 13: unknown name \"nope\" (factors: len, a; outputs: none)",
        ])
    }

    /// A scenario without units checks none, unless a number in the expression carries one.
    @Test func unitsOnlyWhenUsed() throws {
        let scope = S.scope(["len", "x"], units: ["len": "m"])
        #expect(try S.compile("len + x + exp(len)", scope).unit == .dimensionless)
        #expect(S.problems("x + 1[s]", scope) == ["column 3: + needs equal units, found 1 and s"])
        #expect(try S.compile("x * 2[s]", scope).unit.normalForm == "s")
        // A declared unit turns checking on too.
        #expect(S.problems("len + x", scope, declared: "m") == ["column 5: + needs equal units, found m and 1"])
    }

    @Test func outputsUseOutputsUnits() throws {
        let scope = S.scope(["peak", "mfu"], units: ["peak": "FLOP/(GPU*s)", "flop": "FLOP"], outputs: ["flop"])
        let c = try S.compile("flop / (peak * mfu * 3600[s/h])", scope, declared: "GPU*h")
        #expect(c.referencedNames == ["flop", "peak", "mfu"])
        #expect(c.referencedSlots == [0, 1, 2])
    }
}
