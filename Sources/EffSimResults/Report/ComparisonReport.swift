import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// `compare.html` (`effsim compare --report`): one self-contained page (inline SVG, no script, no
/// network) with, per output both runs have, their histograms and their exceedance curves
/// P(output > x) overlaid (a series: both fans; a crossing time: both P(crossed by x)); the factors whose distributions differ, side by side as written; and
/// the comparison table.
public enum ComparisonReport {
    /// The page for runs `a` and `b` (finished folders, or runs held in memory as folders) and
    /// their `comparison`; `labelA` and `labelB` name them (file or folder paths).
    public static func render(
        a: ResultsFolder, b: ResultsFolder, comparison: Comparison, labelA: String, labelB: String
    ) -> String {
        var html =
            PageStyle.head(title: "effsim compare: \(labelA) and \(labelB)") + """
                <h1>effsim compare</h1>
                <p>a: \(SVG.escape(labelA)) (\(a.record.trials) trials, seed \(a.record.seed))<br/>b: \(SVG.escape(labelB)) (\(b.record.trials) trials, seed \(b.record.seed))</p>

                """
        html += "<h2>Each output, a and b overlaid</h2>\n"
        html +=
            "<p>a solid (its histogram filled), b dashed: the share of trials per bin, then the chance that the output exceeds x, in the output's unit.</p>\n"
        for output in a.scenario.outputs where b.scenario.outputs.contains(where: { $0.id == output.id }) {
            let drawn = figures(a: a, b: b, output: output)
            if drawn.isEmpty { continue }
            html += "<h3>\(SVG.escape(output.series?.series ?? output.id))</h3>\n"
            html += drawn.map { "<figure>\($0)</figure>\n" }.joined()
        }

        html += "<h2>Factors that differ</h2>\n"
        let ids =
            a.scenario.factors.map(\.id)
            + b.scenario.factors.map(\.id).filter { id in !a.scenario.factors.contains { $0.id == id } }
        var rows: [[String]] = []
        for id in ids {
            let fa = a.scenario.factors.first { $0.id == id }
            let fb = b.scenario.factors.first { $0.id == id }
            if fa?.distribution != fb?.distribution || fa?.floor != fb?.floor {
                rows.append([id, fa == nil ? "(not in a)" : written(a, id), fb == nil ? "(not in b)" : written(b, id)])
            }
        }
        html +=
            rows.isEmpty
            ? "<p>None: both runs have the same factors.</p>\n" : table(["factor", "a", "b"], rows, numeric: [])

        html +=
            "<h2>Every statistic</h2>\n<p>b − a with its 95% Monte Carlo interval; * when the interval excludes 0.</p>\n"
        html += table(
            ["metric", "statistic", "a", "b", "b − a", "lo95", "hi95", ""],
            comparison.rows.map { r in
                [
                    r.metric, r.statistic, ConsoleReport.number(r.a), ConsoleReport.number(r.b),
                    ConsoleReport.number(r.difference),
                    ConsoleReport.number(r.lo95), ConsoleReport.number(r.hi95), r.isSignificant ? "*" : "",
                ]
            }, numeric: [2, 3, 4, 5, 6])
        if !comparison.onlyInA.isEmpty || !comparison.onlyInB.isEmpty {
            html +=
                "<p>Only in a: \(SVG.escape(comparison.onlyInA.joined(separator: ", ")))<br/>Only in b: \(SVG.escape(comparison.onlyInB.joined(separator: ", ")))</p>\n"
        }
        return html + "</body>\n</html>\n"
    }

    /// A factor's distribution (and floor, when it sets one) as the scenario document has it.
    static func written(_ folder: ResultsFolder, _ id: String) -> String {
        guard case let .array(factors)? = folder.record.scenario["factors"],
            let factor = factors.first(where: { $0["id"] == .string(id) })
        else { return "" }
        let distribution =
            factor["distribution"].map { String(decoding: Fingerprint.canonical($0), as: UTF8.self) } ?? ""
        return distribution
            + (factor["floor"].map { ", floor " + String(decoding: Fingerprint.canonical($0), as: UTF8.self) } ?? "")
    }

    static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int>) -> String {
        var text = "<table>\n<tr>" + header.map { "<th>\(SVG.escape($0))</th>" }.joined() + "</tr>\n"
        for row in rows {
            text +=
                "<tr>"
                + row.enumerated().map { i, cell in
                    numeric.contains(i) ? "<td class=\"n\">\(SVG.escape(cell))</td>" : "<td>\(SVG.escape(cell))</td>"
                }.joined() + "</tr>\n"
        }
        return text + "</table>\n"
    }

    /// Where both overlays draw: below a two-line legend.
    static let area = PlotArea(left: 80, top: 92, right: 876, bottom: 400)

    /// The x axis both overlays of an output share: both runs' central 99.9%, whole decades when
    /// both are positive and span a decade or more, else linear.
    static func axis(a: ResultsFolder, b: ResultsFolder, output: String) -> ValueAxis {
        let values = [a, b].flatMap { $0.span(output, tail: 0.0005) }
        return ResultsFolder.axis(
            covering: values,
            signed: a.isSigned(output) || b.isSigned(output)
                || (a.needsLinearAxis(output) && b.needsLinearAxis(output)), start: area.left, end: area.right)
    }

    /// The output's unit in run a, for axis titles and labels.
    static func unit(_ folder: ResultsFolder, _ output: String) -> UnitOfMeasure {
        folder.scenario.outputs.first { $0.id == output }?.unit ?? .dimensionless
    }

    /// `output [unit] (log scale)`.
    static func axisTitle(_ name: String, _ unit: UnitOfMeasure, _ x: ValueAxis) -> String {
        "\(name)\(unit.isDimensionless ? "" : " [\(unit)]") (\(x.scaleName))"
    }

    /// P(output > x) of a (solid, first colour) and b (second style) on one axis.
    public static func overlay(a: ResultsFolder, b: ResultsFolder, output: String) -> String {
        let x = axis(a: a, b: b, output: output)
        let u = unit(a, output)
        let y = LinearAxis(upTo: 1, ticks: 5, start: area.bottom, end: area.top)
        var svg = SVGDocument(
            width: ExceedanceChart.width, height: Int(area.bottom) + 58, title: "P(\(output) > x), a and b")
        svg.heading("\(output): chance of exceeding x, a and b")
        svg.linearYAxis(y, in: area, title: "P(\(output) > x)", label: HistogramChart.percentTick)
        svg.valueXAxis(x, in: area, title: axisTitle("x", u, x), suffix: u.isDimensionless ? "x" : "")
        for (i, (folder, name)) in [(a, "a"), (b, "b")].enumerated() {
            let style = SeriesStyle.of(i)
            let points = folder.exceedanceCurve(output)
            svg.group(["class": "series", "data-run": name])
            svg.probabilityCurve(points, x: x, y: y, style: style)
            svg.close()
        }
        legend(&svg)
        return svg.text
    }

    /// Each run's histogram of `output` as a step outline on one axis (a filled lightly, b
    /// dashed), each from its own bars (`ResultsFolder.bars`), scaled to the share of trials per
    /// bar of the coarser run (share × coarser width / own width), so both draw on one scale.
    public static func histograms(a: ResultsFolder, b: ResultsFolder, output: String) -> String {
        let x = axis(a: a, b: b, output: output)
        let u = unit(a, output)
        // Each run's bar width, in decades on a log axis or in the unit on a linear one.
        func width(_ folder: ResultsFolder) -> Double {
            if case let .linear(l) = x { return folder.barWidth(output, axis: l) }
            return 1 / Double(folder.barsPerDecade(output))
        }
        let coarser = max(width(a), width(b))
        let runs = [a, b].map { folder in
            folder.bars(output, on: x).filter { x.holds($0.lower) && x.holds($0.upper) }.map { bar in
                Bar(lower: bar.lower, upper: bar.upper, share: bar.share * coarser / width(folder))
            }
        }
        let y = LinearAxis(upTo: runs.joined().map(\.share).max() ?? 0, start: area.bottom, end: area.top)
        var svg = SVGDocument(
            width: ExceedanceChart.width, height: Int(area.bottom) + 58, title: "\(output): histograms of a and b")
        svg.heading("\(output): share of trials per bin, a and b")
        let per: String
        if case .log = x {
            per = "1/\(Int((1 / coarser).rounded())) decade"
        } else {
            per = "width \(SVG.tick(coarser))\(u.isDimensionless ? "" : " \(u)")"
        }
        svg.linearYAxis(y, in: area, title: "% of trials per bin (\(per))", label: HistogramChart.percentTick)
        svg.valueXAxis(x, in: area, title: axisTitle(output, u, x), suffix: u.isDimensionless ? "x" : "")
        for (i, (bars, name)) in zip(runs, ["a", "b"]).enumerated() {
            let style = SeriesStyle.of(i)
            // The outline of the bars: up each bin's lower edge, across, and down to 0 across a gap.
            var points: [(x: Double, y: Double)] = []
            for bar in bars {
                if let last = points.last, last.x != bar.lower { points += [(last.x, 0), (bar.lower, 0)] }
                if points.isEmpty { points.append((bar.lower, 0)) }
                points += [(bar.lower, bar.share), (bar.upper, bar.share)]
            }
            if let last = points.last { points.append((last.x, 0)) }
            svg.group(["class": "series", "data-run": name])
            svg.add(
                "polyline",
                [
                    "class": "outline", "fill": i == 0 ? style.colour : "none", "fill-opacity": 0.15,
                    "stroke": style.colour, "stroke-width": 2, "stroke-dasharray": style.dash,
                    "stroke-linejoin": "round",
                    "points": points.map { "\(SVG.number(x.position($0.x))),\(SVG.number(y.position($0.y)))" }.joined(
                        separator: " "),
                ])
            svg.close()
        }
        legend(&svg)
        return svg.text
    }

    /// What compare draws for `output` (a's output; b has one of the same id): a plain output's
    /// histograms and exceedance curves; a series' fans, once, at its first index value (its
    /// other points draw nothing: one chart per series, not one per year); a crossing time's
    /// P(crossed by x) curves.
    public static func figures(a: ResultsFolder, b: ResultsFolder, output: Output) -> [String] {
        if let point = output.series { return point.position == 0 ? [fans(a: a, b: b, series: point.series)] : [] }
        if output.crossing != nil { return [crossings(a: a, b: b, output: output.id)] }
        return [histograms(a: a, b: b, output: output.id), overlay(a: a, b: b, output: output.id)]
    }

    /// Series `id` of a and b on one chart: each run's median (line and markers) and 80% band
    /// (p10 to p90; a's filled, b's outlined dashed), read from summary.csv as the report's fan
    /// is, in a's unit; the y axis as the fan's (log in whole decades when every value is
    /// positive and they span a decade or more).
    public static func fans(a: ResultsFolder, b: ResultsFolder, series id: String) -> String {
        let runs = [a, b].map { folder in
            let points = SeriesFanChart.points(folder, series: id)
            return (
                xs: points.map { $0.series!.value },
                lo: SeriesFanChart.column(folder, points, percentile: 10),
                hi: SeriesFanChart.column(folder, points, percentile: 90),
                median: SeriesFanChart.column(folder, points, percentile: 50)
            )
        }
        let first = SeriesFanChart.points(a, series: id).first
        let u = first?.unit ?? .dimensionless
        let index = first?.series?.index
        var values: [Double] = []
        for run in runs { values += [run.lo, run.hi, run.median].compactMap { $0 }.joined().filter(\.isFinite) }
        let x = ValueAxis.linear(LinearValueAxis(covering: runs.flatMap(\.xs), start: area.left, end: area.right))
        let y = ResultsFolder.axis(
            covering: values, signed: values.contains { $0 <= 0 }, start: area.bottom, end: area.top)
        let by = index?.id ?? "index"
        var svg = SVGDocument(
            width: ExceedanceChart.width, height: Int(area.bottom) + 58, title: "\(id) by \(by), a and b")
        svg.heading(
            "\(id)" + (u.isDimensionless ? "" : " [\(u)]") + " by \(by): median and 80% band (p10 to p90), a and b")
        svg.valueYAxis(y, in: area, title: axisTitle(id, u, y))
        svg.valueXAxis(x, in: area, title: by + (index?.unit.map { " [\($0)]" } ?? ""), suffix: "")
        for (i, (run, name)) in zip(runs, ["a", "b"]).enumerated() {
            let style = SeriesStyle.of(i)
            func path(_ v: [Double]) -> [String] {
                zip(run.xs, v).filter { $0.1.isFinite && y.holds($0.1) }.map {
                    "\(SVG.number(x.position($0.0))),\(SVG.number(y.position($0.1)))"
                }
            }
            svg.group(["class": "series", "data-run": name])
            if let lo = run.lo, let hi = run.hi {
                svg.add(
                    "polygon",
                    [
                        "class": "band", "fill": i == 0 ? style.colour : "none", "fill-opacity": 0.15,
                        "stroke": i == 0 ? "none" : style.colour, "stroke-width": 1.5, "stroke-dasharray": style.dash,
                        "points": (path(hi) + path(lo).reversed()).joined(separator: " "),
                    ])
            }
            if let median = run.median {
                svg.add(
                    "polyline",
                    [
                        "class": "curve", "fill": "none", "stroke": style.colour, "stroke-width": 2.5,
                        "stroke-dasharray": style.dash, "points": path(median).joined(separator: " "),
                    ])
                for (xv, m) in zip(run.xs, median) where m.isFinite && y.holds(m) {
                    svg.marker(style, x: x.position(xv), y: y.position(m), classes: "median-marker")
                }
            }
            svg.close()
        }
        legend(&svg)
        return svg.text
    }

    /// Crossing time `output`'s P(crossed by x) for a and b on one axis, each over its own
    /// index range (as the report's crossing chart draws it), with each run's P(never) beside
    /// the legend.
    public static func crossings(a: ResultsFolder, b: ResultsFolder, output: String) -> String {
        let runs = [a, b].compactMap { folder -> (folder: ResultsFolder, crossing: CrossingTime)? in
            (folder.scenario.outputs.first { $0.id == output }?.crossing).map { (folder, $0) }
        }
        guard let index = runs.first?.crossing.index else { return "" }
        let ends = runs.map {
            (from: $0.crossing.index.from, to: $0.crossing.index.value($0.crossing.points.count - 1))
        }
        let x = ValueAxis.linear(
            LinearValueAxis(covering: ends.flatMap { [$0.from, $0.to] }, start: area.left, end: area.right))
        let y = LinearAxis(upTo: 1, ticks: 5, start: area.bottom, end: area.top)
        var svg = SVGDocument(
            width: ExceedanceChart.width, height: Int(area.bottom) + 58, title: "P(\(output) by x), a and b")
        svg.heading("\(output): P(crossed by \(index.id)), a and b")
        svg.linearYAxis(y, in: area, title: "P(crossed by \(index.id))", label: HistogramChart.percentTick)
        svg.valueXAxis(x, in: area, title: index.id + (index.unit.map { " [\($0)]" } ?? ""), suffix: "")
        var never: [String] = []
        for (i, (run, end)) in zip(runs, ends).enumerated() {
            let style = SeriesStyle.of(i)
            let name = i == 0 ? "a" : "b"
            let points = CrossingChart.curve(
                run.folder.histograms[output] ?? [], trials: run.folder.record.trials, from: end.from, to: end.to)
            svg.group(["class": "series", "data-run": name])
            svg.probabilityCurve(points, x: x, y: y, style: style)
            svg.close()
            never.append("\(name) \(SVG.percent(run.folder.row(output)?.pNever ?? 0)) never by \(formatNumber(end.to))")
        }
        legend(&svg)
        svg.add("text", ["class": "legend-label", "x": area.left + 120, "y": 58], text: never.joined(separator: ",  "))
        return svg.text
    }

    /// "a" and "b" with their line styles, above the plot.
    static func legend(_ svg: inout SVGDocument) {
        svg.group(["class": "legend"])
        for (i, name) in ["a", "b"].enumerated() {
            let style = SeriesStyle.of(i)
            let yy = 44 + 20 * Double(i)
            svg.add(
                "line",
                [
                    "x1": area.left + 4, "y1": yy, "x2": area.left + 40, "y2": yy, "stroke": style.colour,
                    "stroke-width": 2.5, "stroke-dasharray": style.dash,
                ])
            svg.add("text", ["class": "legend-label", "x": area.left + 48, "y": yy + 4.5], text: name)
        }
        svg.close()
    }
}

extension ResultsFolder {
    /// A finished run held in memory as the folder it would write (for reports drawn without
    /// writing the run's own files, e.g. compare.html).
    /// `summary`, when the caller has computed the run's summary rows already (SummaryTables), is
    /// used as they are: the rows and the record's warnings are not computed again.
    public init(_ state: RunState, binsPerDecade: Int? = nil, summary: [SummaryRow]? = nil) {
        let binsPerDecade = binsPerDecade ?? HistogramResolution.binsPerDecade(state)
        let summary = summary ?? MetricLayout(state.scenario).rows(state.metrics)
        // histogram.csv's rows as numbers, as reading the file back gives them (its digits
        // round-trip), without writing and parsing the text.
        var histograms: [String: [HistogramBin]] = [:]
        for (metric, rows) in HistogramCSV.table(state, binsPerDecade: binsPerDecade) {
            histograms[metric] = rows.map {
                HistogramBin(bin: $0.bin ?? 0, lower: $0.lower, upper: $0.upper, count: $0.count)
            }
        }
        self.init(
            record: RunRecord(state, binsPerDecade: binsPerDecade, summary: summary), scenario: state.scenario,
            summary: summary, histograms: histograms, sensitivity: nil)
    }
}
