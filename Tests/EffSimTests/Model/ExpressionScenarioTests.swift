import EffSim
import Foundation
import Testing

/// Outputs with an `expression` as the scenario reader sees them: every mistake is refused with
/// its JSON path (and the column inside an expression), every problem listed.
@Suite struct ExpressionScenarioTests {
    /// A scenario with GPT-3's cluster factors and the given outputs (JSON array text).
    static func cluster(_ outputs: String, extraFactor: String = "", years: String = "") -> String {
        """
        {"name": "t", "trials": 1000, "seed": 1, "floor": null \(years),
         "factors": [
           {"id": "flop", "group": "g", "unit": "FLOP", "distribution": {"type": "fixed", "value": 3.15e23}},
           {"id": "gpus", "group": "g", "unit": "GPU", "distribution": {"type": "fixed", "value": 10000}},
           {"id": "peak", "group": "g", "unit": "FLOP/(GPU*s)", "distribution": {"type": "fixed", "value": 125e12}},
           {"id": "mfu", "group": "g", "distribution": {"type": "lognormal", "median": 0.196, "sigma": 0.1}}\(extraFactor)],
         "outputs": \(outputs)}
        """
    }

    func problems(_ json: String) -> [String] {
        do {
            _ = try ScenarioReader.parse(Data(json.utf8), file: "s.json")
            return []
        } catch let e as ScenarioError {
            return e.issues.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func unknownNameNamesTheColumnAndTheKnownNames() {
        let found = problems(Self.cluster(#"[{"id": "seconds", "expression": "flop / (gpus * peak * mfu_now)"}]"#))
        #expect(found == [#"outputs[0].expression: column 23: unknown name "mfu_now" (factors: flop, gpus, peak, mfu; outputs: seconds)"#])
    }

    @Test func aCycleIsListedAndTheOtherOutputsAreStillChecked() {
        let found = problems(Self.cluster("""
        [{"id": "effective", "expression": "resources * 2"},
         {"id": "resources", "expression": "effective / 2"},
         {"id": "wrong", "unit": "s", "expression": "flop / peak"}]
        """))
        #expect(found == ["outputs: cycle effective -> resources -> effective", "outputs[2]: unit is GPU*s, declared s"])
    }

    @Test func groupsAndExpressionAreExclusive() {
        let found = problems(Self.cluster(#"[{"id": "a", "groups": ["g"], "expression": "mfu"}, {"id": "b"}]"#))
        #expect(found == [
            #"outputs[0]: give either "groups" or "expression", not both"#,
            #"outputs[1]: give either "groups" (a product of factor groups), "expression" or "first" (a crossing time)"#,
        ])
    }

    @Test func aDeclaredUnitMustMatchAndTheMessageSuggestsTheConversion() {
        let found = problems(Self.cluster(#"[{"id": "gpu_time", "unit": "GPU*h", "expression": "flop / (gpus * peak * mfu) * gpus"}]"#))
        #expect(found == ["outputs[0]: unit is GPU*s, declared GPU*h (a 3600[s/h] missing?)"])
        #expect(problems(Self.cluster(#"[{"id": "gpu_time", "unit": "GPU*h", "expression": "flop / (peak * mfu) / 3600[s/h]"}]"#)) == [])
    }

    @Test func exponentsAndLogArgumentsMustBeDimensionless() {
        let found = problems(Self.cluster(#"[{"id": "a", "expression": "2 ^ gpus + ln(peak)"}]"#))
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0.hasPrefix("outputs[0].expression: column ") }, "\(found)")
        #expect(problems(Self.cluster(#"[{"id": "a", "expression": "sqrt(gpus)"}]"#)).first?.hasPrefix("outputs[0].expression: column 1: ") == true)
    }

    @Test func sumsNeedEqualUnits() {
        let found = problems(Self.cluster(#"[{"id": "a", "expression": "flop + gpus"}]"#))
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("outputs[0].expression: column 6: ") == true, "\(found)")
    }

    @Test func syntaxErrorsHaveAColumn() {
        let found = problems(Self.cluster(#"[{"id": "a", "expression": "mfu * (gpus"}]"#))
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("outputs[0].expression: column ") == true, "\(found)")
    }

    /// A broken factor is reported once, where it is defined; an expression using it is not
    /// called wrong on top of that.
    @Test func aBrokenFactorIsNotReportedAgainInAnExpression() {
        let found = problems(Self.cluster(#"[{"id": "a", "expression": "mfu * bad"}]"#,
                                          extraFactor: #", {"id": "bad", "group": "g", "distribution": {"type": "lognormal", "median": -1, "sigma": 1}}"#))
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("factors[4].distribution.median") == true, "\(found)")
    }

    @Test func perYearRowsNeedADimensionlessOutput() {
        let found = problems(Self.cluster(#"[{"id": "a", "unit": "FLOP", "expression": "flop * mfu", "years": 4}]"#))
        #expect(found == ["outputs[0].years: a per-year row is x^(1/years), which needs a dimensionless output; this one is in FLOP"])
    }

    @Test func badUnitsAreRefusedWithTheirPath() {
        let found = problems(Self.cluster(#"[{"id": "a", "unit": "FLOP//s", "expression": "flop"}]"#))
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("outputs[0].unit: column ") == true, "\(found)")
    }

    /// Outputs may use outputs listed after them; the scenario's document reads back into the
    /// same scenario (what `run.json` records), and one edited in code is checked again.
    @Test func outputsInAnyOrderRoundTripThroughTheDocument() throws {
        var s = try Support.scenario(Self.cluster("""
        [{"id": "days", "unit": "d", "expression": "seconds / 86400[s/d]", "years": null},
         {"id": "seconds", "unit": "s", "expression": "flop / (gpus * peak * mfu)"}]
        """))
        #expect(s.outputs.map(\.unit.normalForm) == ["d", "s"])
        #expect(s.outputOrder == [1, 0])
        #expect(s.outputs[0].factorIndices == [0, 1, 2, 3])
        #expect(s.usesUnits)
        try s.validate()
        s.outputs[1].unit = UnitOfMeasure(symbol: "h")
        #expect(throws: ScenarioError.self) { try s.validate() }
    }

    /// A scenario with no unit anywhere writes today's summary columns; one with units adds `unit`.
    @Test func theUnitColumnAppearsOnlyWithUnits() throws {
        let plain = try Support.scenario("""
        {"name": "t", "trials": 1000, "floor": null,
         "factors": [{"id": "x", "group": "g", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.5}}],
         "outputs": [{"id": "y", "expression": "x * x"}]}
        """)
        #expect(!plain.usesUnits)
        #expect(SummaryCSV.header(plain).last == "floor_share")
        let withUnits = try Support.scenario(Self.cluster(#"[{"id": "seconds", "expression": "flop / (gpus * peak * mfu)"}]"#))
        #expect(SummaryCSV.header(withUnits).last == "unit")
        let rows = MetricLayout(withUnits).rows(try Engine.run(withUnits).metrics)
        let csv = SummaryCSV.render(rows, scenario: withUnits)
        let units = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).last.map(String.init) ?? "" }
        #expect(units == ["s", "FLOP", "GPU", "FLOP/(GPU*s)", ""])
    }
}
