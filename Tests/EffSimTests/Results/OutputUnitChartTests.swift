import EffSim
import Foundation
import Testing

/// Charts in the output's units: unit-labelled axes, no "x" on quantities, at least 30 bars
/// across every output's p0.5..p99.5, equal-width bars on a linear axis, a panel per unit in the
/// exceedance chart, factor panels whose tick labels do not overlap, P(1) for a Bernoulli.
@Suite struct OutputUnitChartTests {
    /// Shipped Scenarios/first-model.json run with its report (GPU-hours and dollars of a 70B run).
    static let folder: Result<URL, ReportFixtureError> = {
        do {
            let dir = try Support.temporaryDirectory()
            let r = try Support.effsim(["run", Support.scenarioPath("first-model.json"), "--trials", "200000", "--report", "--quiet",
                                        "--out", dir.appendingPathComponent("first-model").path])
            guard r.status == 0 else { return .failure(ReportFixtureError(description: r.stderr)) }
            return .success(dir.appendingPathComponent("first-model"))
        } catch { return .failure(ReportFixtureError(description: "\(error)")) }
    }()

    static func svg(_ name: String) throws -> ParsedSVG { try ParsedSVG(try folder.get().appendingPathComponent(name)) }

    /// The bars of a chart as (left, width) in pixels.
    static func bars(_ svg: ParsedSVG, _ scope: String = "") throws -> [(x: Double, width: Double)] {
        try svg.elements("\(scope)//*[@class='bar']").map { (try $0.number("x"), try $0.number("width")) }
    }

    /// A linear axis's labelled ticks as (value, x).
    static func linearTicks(_ svg: ParsedSVG, _ scope: String = "") throws -> [(value: Double, x: Double)] {
        try svg.elements("\(scope)//*[@class='x-axis']/*[@class='tick-label']").map { label in
            let text = try #require(label.stringValue)
            return (try #require(Double(text), "tick \(text)"), try label.number("x"))
        }
    }

    @Test(arguments: [("compute", "FLOP"), ("gpu_hours", "GPU*h"), ("cost", "USD")])
    func eachHistogramHasItsUnitAndThirtyEqualBars(output: String, unit: String) throws {
        let svg = try Self.svg("histogram-\(output).svg")
        let title = try svg.element("//*[@class='x-axis']/*[@class='axis-title']").stringValue ?? ""
        #expect(title == "\(output) [\(unit)] (linear scale)")
        let labels = try svg.elements("//*[@class='tick-label' or @class='percentile-label' or @class='threshold-label']").compactMap(\.stringValue)
        #expect(!labels.contains { $0.hasSuffix("x") || $0.contains("x ") }, "\(labels)")
        #expect(try svg.elements("//*[@class='percentile-label']").allSatisfy { ($0.stringValue ?? "").contains(" \(unit)") })
        // Bars between p0.5 and p99.5, read back through the axis's ticks.
        let ticks = try Self.linearTicks(svg)
        let perUnit = (ticks.last!.x - ticks[0].x) / (ticks.last!.value - ticks[0].value)
        func value(_ x: Double) -> Double { ticks[0].value + (x - ticks[0].x) / perUnit }
        // p0.5 and p99.5 as the edges of the histogram.csv bins holding them.
        let range = try #require(try ResultsFolder.load(directory: try Self.folder.get().path).centralRange(output))
        let bars = try Self.bars(svg)
        let width = bars[0].width / perUnit
        let central = bars.filter { value($0.x) >= range.low - width && value($0.x + $0.width) <= range.high + width }
        #expect(central.count >= 30, "\(central.count) bars between p0.5 and p99.5")
        // Equal widths on a linear axis (to the coordinates' 0.01px).
        let widths = bars.map(\.width)
        #expect(widths.max()! - widths.min()! < 0.02, "widths \(widths.min()!) to \(widths.max()!)")
    }

    @Test func theExceedanceChartHasAPanelPerUnit() throws {
        let svg = try Self.svg("exceedance.svg")
        #expect(try svg.elements("//*[@class='panel']").compactMap { $0.string("data-unit") } == ["FLOP", "GPU*h", "USD"])
        for unit in ["FLOP", "GPU*h", "USD"] {
            let scope = "//*[@data-unit='\(unit)']"
            #expect(try svg.element("\(scope)//*[@class='x-axis']/*[@class='axis-title']").stringValue == "x [\(unit)] (linear scale)")
            #expect(try svg.elements("\(scope)//*[@class='series']").count == 1)
        }
    }

    @Test func factorPanelsHaveTheirOwnReadableAxesAndABernoulliShowsP1() throws {
        let svg = try Self.svg("factors.svg")
        let factors = try svg.elements("//*[@class='factor']").compactMap { $0.string("data-factor") }
        #expect(factors == ["params", "tokens", "peak", "mfu", "price", "restart", "restart_cost"])
        var all: [(left: Double, right: Double, y: Double)] = []
        for f in factors {
            let labels = try svg.elements("//*[@data-factor='\(f)']//*[@class='x-axis']/*[@class='tick-label']")
            #expect(labels.count >= 2, "\(f): \(labels.count) tick labels")
            for l in labels {
                let w = 7.8 * Double((l.stringValue ?? "").count), x = try l.number("x")
                all.append((x - w / 2, x + w / 2, try l.number("y")))
            }
        }
        // No two labels on one row of cells overlap (widths at 0.6 em of 13px a character).
        for (i, a) in all.enumerated() {
            for b in all[(i + 1)...] where a.y == b.y {
                #expect(a.right < b.left || b.right < a.left, "labels at \(a) and \(b) overlap")
            }
        }
        #expect(try svg.element("//*[@data-factor='mfu']//*[@class='factor-subtitle']").stringValue?.hasPrefix("median 0.39") == true)
        #expect(try svg.element("//*[@data-factor='price']//*[@class='factor-subtitle']").stringValue?.contains(" USD/(GPU*h)") == true)
        let restart = try svg.element("//*[@data-factor='restart']//*[@class='factor-subtitle']").stringValue ?? ""
        #expect(restart.hasPrefix("P(1) 19.") || restart.hasPrefix("P(1) 20."), "\(restart)")
        #expect(try svg.elements("//*[@data-factor='restart']//*[@class='bar']").compactMap { $0.string("data-value") } == ["0", "1"])
    }

    /// A signed output on a linear axis: equal-width bars, at least 30 across its central 99%,
    /// the tallest bar at the mode (the median, for a normal), and no "log scale" anywhere.
    @Test func aSignedOutputGetsEqualWidthBars() throws {
        let dir = try Support.temporaryDirectory()
        try """
        {"name": "margin", "trials": 200000, "seed": 2, "thresholds": [0],
         "factors": [{"id": "m", "distribution": {"type": "normal", "mean": 0.48, "sd": 0.3}}],
         "outputs": [{"id": "net", "expression": "m"}]}
        """.write(to: dir.appendingPathComponent("margin.json"), atomically: true, encoding: .utf8)
        let r = try Support.effsim(["run", "margin.json", "--report", "--quiet"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let folder = dir.appendingPathComponent("results/margin")
        let svg = try ParsedSVG(folder.appendingPathComponent("histogram-net.svg"))
        #expect(try svg.element("//*[@class='x-axis']/*[@class='axis-title']").stringValue == "net (linear scale)")
        let ticks = try Self.linearTicks(svg)
        let perUnit = (ticks.last!.x - ticks[0].x) / (ticks.last!.value - ticks[0].value)
        let bars = try svg.elements("//*[@class='bar']").map { (x: try $0.number("x"), width: try $0.number("width"), y: try $0.number("y")) }
        let widths = bars.map(\.width)
        #expect(widths.max()! - widths.min()! < 0.02)
        // 0.48 ± 2.576 · 0.3 holds 0.99 of the draws: at least 30 bars across it.
        #expect(1.545 / (widths[0] / perUnit) >= 30)
        let tallest = bars.min { $0.y < $1.y }!
        let centre = ticks[0].value + (tallest.x + tallest.width / 2 - ticks[0].x) / perUnit
        #expect(abs(centre - 0.48) < 0.05, "the tallest bar is at \(centre)")
        let page = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(!page.contains("on a log scale"))
    }
}
