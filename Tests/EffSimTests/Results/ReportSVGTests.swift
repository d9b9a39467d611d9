import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// The SVG charts of a seed-2024 report, parsed as XML: their marks, read back through the axes
/// drawn beside them, must land on summary.csv's and histogram.csv's numbers.
@Suite struct ReportSVGTests {
    let folder: URL

    init() throws {
        folder = try ReportFixture.seedRun.get()
    }

    func svg(_ name: String) throws -> ParsedSVG { try ParsedSVG(folder.appendingPathComponent(name)) }

    @Test func histogramTicksReadAsPowersOfTen() throws {
        for output in ["compute", "hardware"] {
            let labels = try svg("histogram-\(output).svg").elements("//*[@class='x-axis']/*[@class='tick-label']").map { $0.stringValue ?? "" }
            // Each output on its own axis: whole decades, each a power of ten, consecutive.
            let values = labels.compactMap(ParsedSVG.tickValue)
            #expect(values.count == labels.count && values.count >= 3, "\(output): \(labels)")
            #expect(zip(values, values.dropFirst()).allSatisfy { $1 == $0 * 10 }, "\(output): \(labels)")
        }
    }

    @Test(arguments: ["compute", "hardware"])
    func histogramPercentileLinesSitAtSummaryPercentiles(output: String) throws {
        let chart = try svg("histogram-\(output).svg")
        let x = try chart.logXAxis()
        let row = try ReportFixture.summary(folder, output)
        for p in ["p10", "p50", "p90"] {
            let line = try chart.element("//*[@class='percentile'][@data-percentile='\(p)']")
            let want = try ReportFixture.value(row, p)
            let at = try line.number("x1")
            #expect(abs(at - x.x(want)) <= 1, "\(output) \(p): line at \(at) reads \(x.value(at)), summary \(want)")
            #expect(try at == line.number("x2"))
            let label = try chart.elements("//*[@class='percentile-label']").map { $0.stringValue ?? "" }
            #expect(label.contains { $0.hasPrefix(p + " ") }, "\(p) unlabelled: \(label)")
        }
    }

    @Test(arguments: ["compute", "hardware"])
    func histogramThresholdLinesAndLabels(output: String) throws {
        let chart = try svg("histogram-\(output).svg")
        let x = try chart.logXAxis()
        let row = try ReportFixture.summary(folder, output)
        let labels = try chart.elements("//*[@class='threshold-label']").map { $0.stringValue ?? "" }
        for (t, name) in [(10.0, "10x"), (100, "100x"), (1000, "1000x")] {
            let line = try chart.element("//*[@class='threshold'][@data-threshold='\(Int(t))']")
            #expect(abs(try line.number("x1") - x.x(t)) <= 1)
            #expect(line.string("stroke-dasharray") != nil, "thresholds are dashed so they read in greyscale")
            let share = try ReportFixture.value(row, "p_gt_\(Int(t))")
            let expected = "P(>\(name)) " + String(format: "%.1f%%", share * 100)
            #expect(labels.contains(expected), "\(expected) not in \(labels)")
        }
    }

    @Test func histogramBarsMatchHistogramCSV() throws {
        let chart = try svg("histogram-hardware.svg")
        let x = try chart.logXAxis()
        let y = try chart.percentYAxis()
        let bins = try ReportFixture.csv(folder.appendingPathComponent("histogram.csv")).filter { $0["metric"] == "hardware" }
        let bars = try chart.elements("//*[@class='bar']")
        // The axis leaves out at most 0.1% of trials in the far tails.
        #expect(bars.count >= bins.count - 12 && bars.count <= bins.count, "\(bars.count) bars for \(bins.count) bins")
        let byLower = Dictionary(uniqueKeysWithValues: try bins.map { (try ReportFixture.value($0, "lower"), try ReportFixture.value($0, "count")) })
        var drawn = 0.0
        for bar in bars {
            let left = try bar.number("x"), top = try bar.number("y"), height = try bar.number("height")
            let lower = x.value(left)
            let match = try #require(byLower.first { abs(x.x($0.key) - left) < 0.05 }, "no bin starts at \(lower)")
            let share = match.value / Double(ReportFixture.trials)
            #expect(abs(top - (y.y0 + y.perUnit * share)) < 0.05, "bar at \(lower): top \(top)")
            #expect(abs(top + height - y.y0) < 0.05, "bars stand on the 0% line")
            #expect(abs(try bar.number("width") - x.perDecade / 20) < 0.05, "20 bins a decade")
            drawn += match.value
        }
        #expect(drawn / Double(ReportFixture.trials) >= 0.999)
    }

    @Test func exceedanceMarkersAndCurvesMatchSummary() throws {
        let chart = try svg("exceedance.svg")
        let x = try chart.logXAxis()
        let y = try chart.percentYAxis()
        for output in ["compute", "hardware"] {
            let row = try ReportFixture.summary(folder, output)
            let series = "//*[@class='series'][@data-output='\(output)']"
            let markers = try chart.elements("\(series)/*[@class='threshold-marker']")
            #expect(markers.count == 3)
            let curve = try chart.element("\(series)/*[@class='curve']")
            let points = try (curve.string("points") ?? "").split(separator: " ").map { pair in
                let xy = pair.split(separator: ",").compactMap { Double($0) }
                try #require(xy.count == 2)
                return (xy[0], xy[1])
            }
            for (marker, t) in zip(markers, [10.0, 100, 1000]) {
                let translate = (marker.string("transform") ?? "").dropFirst("translate(".count).dropLast().split(separator: " ").compactMap { Double($0) }
                try #require(translate.count == 2)
                let p = try ReportFixture.value(row, "p_gt_\(Int(t))")
                #expect(abs(translate[0] - x.x(t)) <= 1, "\(output) marker for \(t)")
                #expect(abs(translate[1] - (y.y0 + y.perUnit * p)) <= 1, "\(output) P(>\(t)) marker at \(translate[1])")
                // The curve passes through the threshold (a bin edge) at the same height.
                let onCurve = try #require(points.first { abs($0.0 - x.x(t)) < 0.05 }, "curve has no point at \(t)")
                #expect(abs(onCurve.1 - (y.y0 + y.perUnit * p)) <= 1)
            }
            #expect(zip(points, points.dropFirst()).allSatisfy { $0.0 < $1.0 && $0.1 <= $1.1 }, "curves fall left to right (y grows downward)")
        }
        let styles = try chart.elements("//*[@class='curve']").map { "\($0.string("stroke") ?? "") \($0.string("stroke-dasharray") ?? "")" }
        let dashes = Set(try chart.elements("//*[@class='curve']").map { $0.string("stroke-dasharray") })
        #expect(Set(styles).count == 2 && dashes.count == 2, "outputs differ in dash pattern, not only colour: \(styles)")
    }

    @Test func factorPanelShowsMedianAndFloorShare() throws {
        let chart = try svg("factors.svg")
        for factor in ["transformer_pp", "moe", "unpublished", "chinchilla", "data_quality", "hardware_efficiency"] {
            let cell = "//*[@class='factor'][@data-factor='\(factor)']"
            // Each cell its own axis: decades ("10x") or linear ("2"), read back from its ticks.
            let ticks = try chart.elements("\(cell)//*[@class='x-axis']/*[@class='tick-label']").map { ($0.stringValue ?? "", try $0.number("x")) }
            let position: (Double) -> Double
            if ticks.allSatisfy({ $0.0.hasSuffix("x") }) {
                let x = try chart.logXAxis(cell)
                position = x.x
            } else {
                let points = try ticks.map { (try #require(Double($0.0), "tick \($0.0)"), $0.1) }
                let perUnit = (points[points.count - 1].1 - points[0].1) / (points[points.count - 1].0 - points[0].0)
                position = { points[0].1 + ($0 - points[0].0) * perUnit }
            }
            let row = try ReportFixture.summary(folder, factor)
            let median = try chart.element("\(cell)/*[@class='percentile']")
            #expect(abs(try median.number("x1") - position(try ReportFixture.value(row, "p50"))) <= 1, "\(factor)")
            let floor = try chart.element("\(cell)/*[@class='floor']")
            #expect(abs(try floor.number("x") - position(1)) <= 1, "\(factor): floor spike at 1x")
            let share = try ReportFixture.value(row, "floor_share")
            let subtitle = try chart.element("\(cell)/*[@class='factor-subtitle']").stringValue ?? ""
            #expect(subtitle.contains(String(format: "%.1f%% at floor", share * 100)), "\(factor): \(subtitle)")
            // One scale per cell: the spike against the tallest bar is the floor share against
            // the largest bin share once the floor draws are taken out of the floor's bin.
            let trials = Double(ReportFixture.trials)
            let bins = try ReportFixture.csv(folder.appendingPathComponent("histogram.csv")).filter { $0["metric"] == factor }
            let shares = try bins.map { bin in
                let count = try ReportFixture.value(bin, "count")
                return (try ReportFixture.value(bin, "lower") == 1 ? count - (share * trials).rounded() : count) / trials
            }
            let tallestBar = try #require(try chart.elements("\(cell)//*[@class='bar']").map { try $0.number("height") }.max())
            let ratio = try floor.number("height") / tallestBar
            // On decades the bars are histogram.csv's bins; a linear cell re-bins them into equal widths.
            if ticks.allSatisfy({ $0.0.hasSuffix("x") }) {
                #expect(abs(ratio - share / shares.max()!) < 0.01, "\(factor): spike/tallest \(ratio), shares \(share / shares.max()!)")
            }
        }
    }

    @Test func everyTextIsAtLeast12px() throws {
        for name in ["histogram-compute.svg", "histogram-hardware.svg", "exceedance.svg", "factors.svg"] {
            let chart = try svg(name)
            let root = try chart.element("/*")
            #expect(try root.number("font-size") >= 12)
            for text in try chart.elements("//*[local-name()='text']") {
                if let size = text.string("font-size") { #expect(Double(size)! >= 12, "\(name): \(text.stringValue ?? "") at \(size)px") }
            }
        }
    }
}
