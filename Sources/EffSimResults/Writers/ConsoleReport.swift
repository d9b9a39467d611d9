import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// The readable table `effsim run` prints: per output p10, p50, p90 and P(> each threshold);
/// the median's 95% Monte Carlo interval (see `Precision`); per factor its median and the share
/// of draws raised to the floor; published figures beside this run's.
public enum ConsoleReport {
    /// `shown` (`--show`): summary.csv columns for the outputs table instead of the default
    /// p10, p50, p90, P(>t) and the median's interval.
    public static func render(_ state: RunState, tables: SummaryTables, shown: [String]? = nil) -> String {
        let rows = tables.summary
        let s = state.scenario
        var out =
            "\(Quoted.bare(s.name)): \(s.trials) trials, seed \(s.seed), rng \(state.generator.rawValue), sampler \(state.sampler.rawValue)\n\n"

        let showColumns = shown
        let p10 = s.percentiles.firstIndex(of: 10)
        let p50 = s.percentiles.firstIndex(of: 50)
        let p90 = s.percentiles.firstIndex(of: 90)
        let shown = [("p10", p10), ("p50", p50), ("p90", p90)].compactMap { name, i in i.map { (name, $0) } }
        let precision = tables.precision
        func medianInterval(_ metric: String) -> [String] {
            guard p50 != nil else { return [] }
            let i = precision.first { $0.metric == metric && $0.statistic == "p50" }
            return [i.map { "[\(number($0.lo95)), \(number($0.hi95))]" } ?? ""]
        }
        // Threshold columns that some row of this table reports (outputs with their own
        // thresholds leave the scenario's to the factors).
        let thresholds = s.thresholdColumns.indices.filter { t in
            rows.contains { $0.kind != .factor && $0.pNever == nil && $0.exceedance[t] != nil }
        }
        var header =
            ["metric"] + shown.map(\.0) + thresholds.map { "P(>\(short(s.thresholdColumns[$0])))" }
            + (p50 == nil ? [] : ["p50 95% MC"])
        var lines: [[String]] = []
        // A scenario with units shows each row's unit after its figures.
        let units = s.usesUnits
        func unit(_ metric: String) -> [String] { units ? [s.unit(ofMetric: metric)] : [] }
        for r in rows where r.kind != .factor && r.pNever == nil {
            lines.append(
                [r.metric] + shown.map { number(r.percentiles[$0.1]) }
                    + thresholds.map { r.exceedance[$0].map(percent) ?? "-" } + medianInterval(r.metric)
                    + unit(r.metric))
        }
        if let columns = showColumns {
            header = ["metric"] + columns.map(label)
            lines = rows.filter { $0.kind != .factor }.map { r in
                [r.metric] + columns.map { statistic(r, $0, in: s) } + unit(r.metric)
            }
        }
        if units { header.append("unit") }
        out += table(header, lines)
        if showColumns == nil { out += crossingTable(rows, s, shown: shown) }

        header = ["factor", "median", "at floor", "distribution"] + (units ? ["unit"] : [])
        lines = []
        for r in rows where r.kind == .factor {
            let distribution = s.factors.first(where: { $0.id == r.metric })?.distribution.summary ?? ""
            let median: String = p50.map { number(r.percentiles[$0]) } ?? "-"
            let floor: String =
                s.factors.first(where: { $0.id == r.metric })?.floor == nil ? "none" : r.floorShare.map(percent) ?? ""
            lines.append([r.metric, median, floor, distribution] + unit(r.metric))
        }
        out += "\n" + table(header, lines)

        if !s.published.isEmpty {
            header = ["published figure", "published", "this run", "difference"]
            lines = []
            for p in s.published {
                let ours: Double = rows.first(where: { $0.metric == p.metric })?.value(of: p.statistic, in: s) ?? .nan
                let isProbability = p.statistic.hasPrefix("p_gt_")
                let diff: String =
                    isProbability
                    ? String(format: "%+.1f points", (ours - p.value) * 100)
                    : String(format: "%+.1f%%", (ours / p.value - 1) * 100)
                let shownPublished: String = isProbability ? percent(p.value) : number(p.value)
                let shownOurs: String = isProbability ? percent(ours) : number(ours)
                lines.append(["\(p.metric) \(p.statistic)", shownPublished, shownOurs, diff])
            }
            out += "\n" + table(header, lines)
        }
        return out
    }

    /// The crossing times: p10, p50, p90 to six digits (`>2035` for one among the trials that never cross:
    /// past the index's last value), the share that never cross, and P(by t) = 1 - P(> t) for
    /// each threshold t the row reports that lies in a crossing time's index range (the
    /// scenario's default 10, 100 and 1000 say nothing about a year; summary.csv has them all).
    static func crossingTable(_ rows: [SummaryRow], _ s: Scenario, shown: [(String, Int)]) -> String {
        let crossings = rows.filter { $0.pNever != nil }
        guard !crossings.isEmpty else { return "" }
        let ranges = s.outputs.compactMap { o in o.crossing.map { ($0.index.from, $0.index.value($0.points.count - 1)) }
        }
        let thresholds = s.thresholdColumns.indices.filter { t in
            let v = s.thresholdColumns[t]
            return crossings.contains { $0.exceedance[t] != nil } && ranges.contains { v >= $0.0 && v <= $0.1 }
        }
        var header =
            ["crossing time"] + shown.map(\.0) + ["never"] + thresholds.map { "P(by \(short(s.thresholdColumns[$0])))" }
        if s.usesUnits { header.append("unit") }
        let lines = crossings.map { r in
            let end =
                s.outputs.first { $0.id == r.metric }?.crossing.map { $0.index.value($0.points.count - 1) } ?? .nan
            return [r.metric]
                + shown.map { r.percentiles[$0.1].isNaN ? ">\(short(end))" : compact(r.percentiles[$0.1], digits: 6) }
                + [percent(r.pNever ?? 0)] + thresholds.map { r.exceedance[$0].map { percent(1 - $0) } ?? "-" }
                + (s.usesUnits ? [s.unit(ofMetric: r.metric)] : [])
        }
        return "\n" + table(header, lines)
    }

    /// A summary.csv column of a row as the console shows it: probabilities in percent.
    public static func statistic(_ row: SummaryRow, _ column: String, in scenario: Scenario) -> String {
        guard let v = row.value(of: column, in: scenario) else { return "-" }
        return column.hasPrefix("p_gt_") || column == "floor_share" || column == "p_never" ? percent(v) : number(v)
    }

    /// A column's heading: `P(>1000)` for `p_gt_1000`, else the column name.
    public static func label(_ column: String) -> String {
        guard column.hasPrefix("p_gt_") else { return column }
        let t = column.dropFirst(5)
        return "P(>\(Double(t).map(short) ?? String(t)))"
    }

    /// A threshold as a heading shows it: 2e7 for 20000000, 1.5e25, 0.5, 1000.
    public static func short(_ x: Double) -> String {
        guard x != 0, abs(x) >= 1e5 || abs(x) < 1e-3 else { return formatNumber(x) }
        return compact(x, digits: 6)
    }

    /// `digits` significant digits with a plain exponent: 2.25e25, 1e-4, 0.34, 1500.
    public static func compact(_ x: Double, digits: Int) -> String {
        let text = String(format: "%.\(digits)g", x)
        let parts = text.split(separator: "e")
        guard parts.count == 2, let exponent = Int(parts[1]) else { return text }
        return "\(parts[0])e\(exponent)"
    }

    /// Parses `--show p10,p50,p_gt_1000` against the scenario's summary columns; throws naming
    /// the first unknown one.
    public static func parseShow(_ text: String, scenario: Scenario) throws -> [String] {
        let columns = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if let unknown = columns.first(where: { !scenario.statisticColumns.contains($0) })
            ?? (columns.isEmpty ? "" : nil)
        {
            throw OutputError(
                description:
                    "--show: no statistic \"\(unknown)\" in this scenario (there are \(scenario.statisticColumns.joined(separator: ", ")))"
            )
        }
        return columns
    }

    /// Four significant digits, plain notation below a million.
    static func number(_ x: Double) -> String {
        if abs(x) >= 1e6 || (abs(x) < 1e-3 && x != 0) { return String(format: "%.4g", x) }
        if abs(x) >= 1000 { return String(format: "%.0f", x) }
        return String(format: "%.4g", x)
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }

    /// Columns padded to their widest cell; every cell escaped (`Quoted.bare`), so user text (an
    /// id, a unit, a swept value) cannot reach the terminal raw.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = ([header] + rows).map { $0.map(Quoted.bare) }
        let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
        return all.map { row in
            row.indices.map { c in
                c == 0 || c == row.count - 1 && header[c] == "distribution"
                    ? row[c].padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - row[c].count) + row[c]
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }
}
