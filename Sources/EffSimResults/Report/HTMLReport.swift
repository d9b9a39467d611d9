import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// `report.html`: the charts inline, then every number they come from — the summary table, the
/// published figures beside this run's, the scenario's factors with distributions and sources,
/// and the run's version, seed, trials and generator — so a reader can audit each one.
///
/// Written as well-formed XML (self-closed empty elements, only XML's own entities) so tests
/// can parse it like the SVG files.
public enum HTMLReport {
    /// The page for `folder`, with `charts` (SVG text by file name, e.g. `exceedance.svg`) inline;
    /// a chart missing from `charts` is left out.
    public static func render(_ folder: ResultsFolder, charts: [String: String]) -> String {
        let s = folder.scenario
        let r = folder.record
        var page = HTMLText()
        page.raw(PageStyle.head(title: "effsim report: \(s.name)"))
        page.element("h1", "effsim report: \(s.name)")
        page.element(
            "p",
            "effsim \(r.effsimVersion) · \(grouped(r.trials)) trials · seed \(r.seed) · rng \(r.rng.rawValue) · sampler \(r.sampler.rawValue) · \(r.binsPerDecade) histogram bins a decade",
            classes: "meta")
        if !s.description.isEmpty { page.raw("<p dir=\"auto\"><bdi>\(SVG.escape(s.description))</bdi></p>") }
        let computes =
            s.outputs.contains { $0.expression != nil }
            ? "each output multiplies its groups' factors or computes its expression (see the table below)."
            : "each output multiplies its groups' factors."
        page.element(
            "p",
            "Each factor is drawn from its distribution; a draw below the factor's floor, if it has one, is raised to the floor; "
                + computes + " Percentiles are Hyndman–Fan type 7, read from fine log histograms "
                + "(within 0.006% of the sorted-sample value). Every chart below is also saved beside this page as an SVG file."
        )

        for warning in r.warnings { page.element("p", "Warning: " + warning.message, classes: "warning") }

        page.element("h2", "Outputs")
        for o in s.outputs {
            if let point = o.series {
                guard point.position == 0 else { continue }
                let file = SeriesFanChart.fileName(point.series)
                page.figure(
                    charts[file], file: file, label: o.label,
                    caption:
                        ": over \(point.index.id), the median (line), the 50% band (p25 to p75) and the 80% band (p10 to p90) of summary.csv's rows \(point.series)[\(point.index.id)=...]; every index value of a trial uses the same draws."
                )
            } else if o.crossing != nil {
                let file = CrossingChart.fileName(o.id)
                page.figure(
                    charts[file], file: file, label: o.label,
                    caption:
                        ": the share of trials crossed by each index value, read from the histogram; markers at the thresholds are 1 - summary.csv's P(> t); the trials that never cross within the range (p_never) keep the curve below 100%."
                )
            } else {
                page.figure(
                    charts["histogram-\(o.id).svg"], file: "histogram-\(o.id).svg", label: o.label,
                    caption:
                        ": share of trials per bin (log-width bins on a log axis, equal-width bins on a linear one); solid lines p10, p50 (thick) and p90; dashed lines the output's thresholds with P(> t)."
                )
            }
        }
        page.figure(
            charts["exceedance.svg"], file: "exceedance.svg",
            caption:
                "P(output > x) read from the histograms, a panel per unit; markers at the thresholds are summary.csv's exact counts."
        )

        page.element("h2", "Factors after clamping")
        page.figure(
            charts["factors.svg"], file: "factors.svg",
            caption:
                "Each factor's draws, after raising those below its floor (if it has one) to it, on its own axis. The dark spike is the share at the floor; the solid line the median; a bernoulli factor shows P(1)."
        )
        if let tornado = charts["tornado.svg"] {
            page.element("h2", "Sensitivity")
            page.figure(
                tornado, file: "tornado.svg",
                caption:
                    "From sensitivity.csv: each output's median with one factor held at its p10 (light) or p90 (dark); right, the factor's share of the output's variance."
            )
        }

        page.element("h2", "Summary")
        page.element(
            "p",
            "Every row of summary.csv, in two tables: the mean and percentiles; then P(>t), the share of trials whose value in that row exceeds t, and the share of a factor's draws raised to its floor."
        )
        page.table(
            ["metric", "mean"] + s.percentiles.map { "p" + formatNumber($0) },
            folder.summary.map { row in
                // A crossing time's statistics among the trials that never cross are empty, as in summary.csv.
                [.text(row.metric)]
                    + ([row.mean] + row.percentiles).map {
                        Cell.number(row.pNever != nil && $0.isNaN ? "" : ConsoleReport.number($0))
                    }
            })
        let crosses = SummaryColumns(s).pNever
        page.table(
            ["metric", "kind"] + s.thresholdColumns.map { "P(>\(ConsoleReport.short($0)))" } + ["at floor"]
                + (crosses ? ["never crosses"] : []),
            folder.summary.map { row in
                // A factor without a floor has no share at it: left blank, as for other rows.
                let floorShare = s.factors.first { $0.id == row.metric }?.floor == nil ? nil : row.floorShare
                let never = crosses ? [row.pNever.map(SVG.percent) ?? ""] : []
                return [.text(row.metric), .text(row.kind.rawValue)]
                    + (row.exceedance.map { $0.map(SVG.percent) ?? "" } + [floorShare.map(SVG.percent) ?? ""] + never)
                    .map(Cell.number)
            })

        if !s.published.isEmpty {
            page.element("h2", "Published figures")
            page.table(
                ["metric", "statistic", "published", "this run", "note"],
                s.published.map { p in
                    let isProbability = p.statistic.hasPrefix("p_gt_")
                    func shown(_ x: Double) -> String { isProbability ? SVG.percent(x) : ConsoleReport.number(x) }
                    let ours = folder.row(p.metric)?.value(of: p.statistic, in: s)
                    let cells: [Cell] = [
                        .text(p.metric), .text(p.statistic), .number(shown(p.value)), .number(ours.map(shown) ?? "–"),
                        .text(p.note),
                    ]
                    return cells
                })
        }

        page.element("h2", "Scenario")
        page.table(
            ["factor", "label", "group", "distribution", "floor", "source"],
            s.factors.map { f in
                [
                    .text(f.id), .text(f.label), .text(f.group), .text(f.distribution.summary),
                    .number(f.floor.map(ConsoleReport.number) ?? "none"), .text(f.source),
                ]
            })
        let units = s.usesUnits
        let formulaHeader = s.outputs.contains { $0.expression != nil } ? "formula" : "product of groups"
        // A series is one line: its formula over its index.
        page.table(
            ["output", "label", units ? "\(formulaHeader) [unit]" : formulaHeader],
            s.outputs.filter { ($0.series?.position ?? 0) == 0 }.map { o in
                var formula = o.expression?.text ?? o.groups.joined(separator: " × ")
                if let index = o.series?.index {
                    formula +=
                        " for \(index.id) = \(formatNumber(index.from)), \(formatNumber(index.value(1))), ... \(formatNumber(index.value(index.count - 1)))"
                }
                if let c = o.crossing {
                    formula =
                        "first \(c.index.id) at which \(c.series) is \(c.above ? "above" : "below") \(ConsoleReport.number(c.level))"
                }
                return [
                    .text(o.series?.series ?? o.id), .text(o.label),
                    .text(units && !o.unit.isDimensionless ? "\(formula)  [\(o.unit)]" : formula),
                ]
            })
        if !s.derived.isEmpty {
            page.table(
                ["derived", "label", "value"],
                s.derived.map { d in
                    [
                        .text(d.id), .text(d.label),
                        .text("\(ConsoleReport.number(d.baseline)) \(d.unit) / \(s.outputs[d.outputIndex].id)"),
                    ]
                })
        }
        let spans = s.perYearOutputs.map { s.years(ofOutput: $0)! }
        if let years = s.years, spans.count == s.outputs.count, spans.allSatisfy({ $0 == years }) {
            page.element(
                "p",
                "Per-year rows raise each output to the power 1/\(formatNumber(years)) (over \(formatNumber(years)) years)."
            )
        } else {
            for (o, span) in zip(s.perYearOutputs, spans) {
                let years = formatNumber(span)
                page.element(
                    "p",
                    "\(s.outputs[o].id)_per_year raises \(s.outputs[o].id) to the power 1/\(years) (over \(years) years)."
                )
            }
        }
        if !s.correlations.isEmpty {
            page.table(
                ["factor", "factor", "Spearman rank correlation"],
                s.correlations.map { c in
                    [.text(s.factors[c.first].id), .text(s.factors[c.second].id), .number(formatNumber(c.rank))]
                })
        }
        let sources =
            ["run.json", "summary.csv", "histogram.csv"] + (folder.sensitivity == nil ? [] : ["sensitivity.csv"])
        page.element(
            "p",
            "Drawn by effsim \(EffSimVersion.string) from \(sources.joined(separator: ", ")) in this folder; run.json holds the scenario exactly as run.",
            classes: "meta")
        page.raw("</body>\n</html>\n")
        return page.text
    }

    /// Digits in groups of three: 1,000,000.
    static func grouped(_ n: Int) -> String {
        var digits = String(n)
        var out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return digits + out
    }

    enum Cell {
        case text(String)
        /// Right-aligned.
        case number(String)
    }

    /// The page as it is built, line by line.
    struct HTMLText {
        var text = ""

        mutating func raw(_ s: String) { text += s.hasSuffix("\n") ? s : s + "\n" }

        mutating func element(_ name: String, _ content: String, classes: String? = nil) {
            raw("<\(name)\(classes.map { " class=\"\($0)\"" } ?? "")>\(SVG.escape(content))</\(name)>")
        }

        /// `label` (user text) opens the caption, isolated so that its direction stays inside it.
        mutating func figure(_ svg: String?, file: String, label: String? = nil, caption: String) {
            guard let svg else { return }
            raw("<figure class=\"chart\" data-file=\"\(SVG.escape(file))\">")
            raw(svg)
            raw(
                "<figcaption>\(label.map { "<bdi>\(SVG.escape($0))</bdi>" } ?? "")\(SVG.escape("\(caption) (\(file))"))</figcaption>"
            )
            raw("</figure>")
        }

        mutating func table(_ header: [String], _ rows: [[Cell]]) {
            raw("<div class=\"table\"><table>")
            raw("<tr>" + header.map { "<th>\(SVG.escape($0))</th>" }.joined() + "</tr>")
            for row in rows {
                raw(
                    "<tr>"
                        + row.map { cell in
                            switch cell {
                            // User text (labels, sources, notes): isolated, so a right-to-left override stays in it.
                            case let .text(t): return "<td><bdi>\(SVG.escape(t))</bdi></td>"
                            case let .number(t): return "<td class=\"n\">\(SVG.escape(t))</td>"
                            }
                        }.joined() + "</tr>")
            }
            raw("</table></div>")
        }
    }
}
