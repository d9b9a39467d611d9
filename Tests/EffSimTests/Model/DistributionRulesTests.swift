import EffSim
import Foundation
import Testing

/// Each distribution holds its own rules: it cannot be built invalid, and every broken rule is
/// reported with its parameter's path (relative to the distribution).
@Suite struct DistributionRulesTests {
    func issues(_ build: () throws -> Distribution) -> [String] { Support.distributionIssues(build) }

    @Test func lognormalRules() {
        #expect(issues { try .logNormal(median: -3.5, sigma: -0.4) } == ["median: must be > 0 (got -3.5)", "sigma: must be > 0 (got -0.4)"])
        #expect(issues { try .logNormal(ci: 6, 1.25, level: 0.8) } == ["ci: low end 6 must be below high end 1.25"])
        #expect(issues { try .logNormal(ci: 0, 6, level: 1.5) } == ["ci[0]: must be > 0 (got 0)", "level: must be strictly between 0 and 1 (e.g. 0.8 for an 80% interval) (got 1.5)"])
        #expect(issues { try .logNormal(median: .nan, sigma: 1) } == ["median: must be a finite number"])
        #expect(issues { try .logNormal(ci: 1.25, 6, level: 0.8) }.isEmpty)
    }

    /// Parameters whose derived values are not finite, or whose draws leave the doubles.
    @Test func lognormalParametersMustStayFinite() {
        // z rounds to 0: sigma would be infinite.
        #expect(issues { try .logNormal(ci: 1, 2, level: 1e-17) } == ["level: level 1e-17 is too close to 0 or 1 for an interval to mean anything"])
        // ln(1e200 / 1e-200) overflows the ratio; the width is still finite but the draws are not.
        #expect(issues { try .logNormal(ci: 1e-200, 1e200, level: 0.8) }.first?.hasPrefix("its draws leave the range of a double") == true)
        #expect(issues { try .logNormal(ci: 1e308, 1.7e308, level: 0.8) }.first?.hasPrefix("its draws leave the range of a double") == true)
    }

    @Test func normalRules() {
        #expect(issues { try .normal(mean: 1, sd: -2) } == ["sd: must be > 0 (got -2)"])
        #expect(issues { try .normal(mean: 0, sd: 1, lower: 3, upper: 2) } == ["lower: lower bound 3 must be below upper bound 2"])
        #expect(issues { try .normal(ci: 1, 2, level: 0) } == ["level: must be strictly between 0 and 1 (e.g. 0.8 for an 80% interval) (got 0)"])
        #expect(issues { try .normal(mean: 0, sd: 1, lower: 10, upper: 11) }.first?.hasPrefix("the truncation window [10, 11] holds") == true)
        #expect(issues { try .normal(mean: 1e308, sd: 1e308) }.first?.hasPrefix("its draws leave the range of a double") == true)
        #expect(issues { try .normal(ci: 1.7, 3.3, level: 0.8, lower: 0, upper: 4.7) }.isEmpty)
    }

    @Test func fixedRules() {
        #expect(issues { try .fixed(0) } == [])
        #expect(issues { try .fixed(-1) } == ["value: must be >= 0 (got -1)"])
        #expect(issues { try .fixed(.infinity) } == ["value: must be a finite number"])
    }

    /// The CI form is the one the reference estimate states: the ends are the central quantiles.
    @Test func intervalFormsKeepTheirParameters() throws {
        let d = try Distribution.normal(ci: 1.7, 3.3, level: 0.8, lower: 0, upper: 4.7)
        #expect(d.document == .object([("type", .string("normal")), ("ci", .array([.number(1.7), .number(3.3)])), ("level", .number(0.8)),
                                       ("lower", .number(0)), ("upper", .number(4.7))]))
        guard case let .normal(n) = d else { Issue.record("not a normal"); return }
        #expect(abs(n.mean - 2.5) < 1e-15)
        #expect(abs(n.sd - 0.8 / 1.2815515655446004) < 1e-12)
    }
}
