import EffSim
import Foundation
import Testing

/// The small things a new user trips on: `group` only where an output multiplies groups, the
/// unit hint, a fixed 0 without a floor, compare's b/a column and star rule, and help texts that
/// point to installed files and describe each command's own options.
@Suite struct FirstStepsTests {
    static func problems(_ text: String) -> [String] {
        do {
            _ = try ScenarioReader.parse(Data(text.utf8), file: "x.json")
            return []
        } catch let error as ScenarioError {
            return error.issues.map(\.description)
        } catch { return ["\(error)"] }
    }

    @Test func groupIsNeededOnlyByGroupsOutputs() throws {
        let expressions = """
        {"name": "x", "factors": [{"id": "a", "distribution": {"type": "fixed", "value": 2}}],
         "outputs": [{"id": "y", "expression": "a * 3"}]}
        """
        #expect(Self.problems(expressions) == [])
        // Its document reads back the same (no "group" key).
        let s = try ScenarioReader.parse(Data(expressions.utf8), file: "x.json")
        try s.validate()
        #expect(s.factors[0].group == "")
        let groups = """
        {"name": "x", "factors": [{"id": "a", "distribution": {"type": "fixed", "value": 2}}],
         "outputs": [{"id": "y", "groups": ["g"]}]}
        """
        #expect(Self.problems(groups).contains("factors[0].group: required"), "\(Self.problems(groups))")
        let none = #"{"name": "x", "factors": [{"id": "a", "distribution": {"type": "fixed", "value": 2}}]}"#
        #expect(Self.problems(none) == ["factors[0].group: required"])
    }

    @Test func aDimensionlessResultDeclaredWithAUnitGetsTheHint() {
        let text = """
        {"name": "x", "factors": [{"id": "a", "distribution": {"type": "fixed", "value": 2}}],
         "outputs": [{"id": "y", "unit": "yr", "expression": "a * 3"}]}
        """
        #expect(Self.problems(text) == ["outputs[0]: unit is 1, declared yr (to give a dimensionless result a unit, multiply it by 1[yr])"])
    }

    @Test func aFixedZeroNeedsNoFloorAndRunsInAMixture() throws {
        let text = """
        {"name": "x", "trials": 100000, "factors": [{"id": "loss", "unit": "USD", "distribution": {"type": "mixture", "components": [
            {"weight": 0.7, "distribution": {"type": "fixed", "value": 0}},
            {"weight": 0.3, "distribution": {"type": "fixed", "value": 5}}]}}],
         "outputs": [{"id": "y", "unit": "USD", "expression": "loss"}]}
        """
        #expect(Self.problems(text) == [])
        let s = try ScenarioReader.parse(Data(text.utf8), file: "x.json")
        let row = try #require(MetricLayout(s).rows(try Engine.run(s).metrics).first { $0.metric == "y" })
        // E[y] = 0.3 · 5; the binomial share's standard error is sqrt(0.21 / n), times 5.
        #expect(abs(row.mean - 1.5) < 5 * 5 * (0.21 / 100_000).squareRoot())
        let floored = text.replacingOccurrences(of: "\"name\": \"x\",", with: "\"name\": \"x\", \"floor\": 1,")
        #expect(Self.problems(floored) == ["factors[0].floor: a factor with a fixed 0 needs \"floor\": null (a floor would turn its 0 into the floor)"])
        let negative = #"{"name": "x", "factors": [{"id": "a", "group": "g", "distribution": {"type": "fixed", "value": -1}}]}"#
        #expect(Self.problems(negative) == ["factors[0].distribution.value: must be >= 0 (got -1)"])
    }

    @Test func compareShowsTheRatioAndStarsOnlyWhatPrintsAsAChange() throws {
        let a = ComparisonRow(metric: "cost", kind: .output, statistic: "p50", a: 100, b: 110, lo95: 8, hi95: 12)
        let tiny = ComparisonRow(metric: "cost", kind: .output, statistic: "p_gt_1000", a: 0.5, b: 0.50001, lo95: 0.000001, hi95: 0.00002)
        let text = Comparison(rows: [a, tiny], onlyInA: [], onlyInB: []).console(a: "a.json", b: "b.json")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[2] == "metric  statistic      a      b  b/a     b - a  95% MC of b - a", "\(lines[2])")
        #expect(lines[3].contains(" 100 ") && lines[3].contains(" 1.1 ") && lines[3].contains("+10") && lines[3].hasSuffix("*"), "\(lines[3])")
        let probability = try #require(lines.first { $0.contains("p_gt_1000") })
        #expect(probability.contains("+0.0 pts") && !probability.hasSuffix("*"), "\(probability)")
        #expect(lines.contains("* the interval, as printed, excludes 0"))
    }

    @Test func helpPointsToInstalledFilesAndEachCommandDescribesItsOwnOptions() throws {
        let top = try Support.effsim(["--help"])
        #expect(top.stdout.contains("share/doc/effsim/README.md"), "\(top.stdout)")
        #expect(!top.stdout.contains("See README.md"))
        let sweep = try Support.effsim(["sweep", "--help"])
        #expect(sweep.stdout.contains("results/sweeps/<sweep name>"))
        #expect(!sweep.stdout.contains("for merge"))
        let run = try Support.effsim(["run", "--help"])
        #expect(!run.stdout.contains("sweep name"))
        // make install puts the README and the guides where --help says.
        let make = try String(contentsOf: Support.root.appendingPathComponent("Makefile"), encoding: .utf8)
        #expect(make.contains("DOC_DIR          = $(PREFIX)/share/doc/effsim"))
        #expect(make.contains("install -m 644 README.md $(DESTDIR)$(DOC_DIR)"))
    }
}
