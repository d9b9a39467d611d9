import Foundation

/// The readable table `effsim run` prints: per output p10, p50, p90 and P(> each threshold);
/// the median's 95% Monte Carlo interval (see `Precision`); per factor its median and the share
/// of draws raised to the floor; published figures beside this run's.
public enum ConsoleReport {
    public static func render(_ state: RunState, tables: RunTables) -> String {
        let rows = tables.summary
        let s = state.scenario
        var out = "\(s.name): \(s.trials) trials, seed \(s.seed), rng \(state.generator.rawValue), sampler \(state.sampler.rawValue)\n\n"

        let p10 = s.percentiles.firstIndex(of: 10), p50 = s.percentiles.firstIndex(of: 50), p90 = s.percentiles.firstIndex(of: 90)
        let shown = [("p10", p10), ("p50", p50), ("p90", p90)].compactMap { name, i in i.map { (name, $0) } }
        let precision = tables.precision
        func medianInterval(_ metric: String) -> [String] {
            guard p50 != nil else { return [] }
            let i = precision.first { $0.metric == metric && $0.statistic == "p50" }
            return [i.map { "[\(number($0.lo95)), \(number($0.hi95))]" } ?? ""]
        }
        var header = ["metric"] + shown.map(\.0) + s.thresholds.map { "P(>\(formatNumber($0)))" }
            + (p50 == nil ? [] : ["p50 95% MC"])
        var lines: [[String]] = []
        for r in rows where r.kind != .factor {
            lines.append([r.metric] + shown.map { number(r.percentiles[$0.1]) } + r.exceedance.map(percent) + medianInterval(r.metric))
        }
        out += table(header, lines)

        header = ["factor", "median", "at floor", "distribution"]
        lines = []
        for r in rows where r.kind == .factor {
            let distribution = s.factors.first(where: { $0.id == r.metric })?.distribution.summary ?? ""
            let median: String = p50.map { number(r.percentiles[$0]) } ?? "-"
            let floor: String = r.floorShare.map(percent) ?? ""
            lines.append([r.metric, median, floor, distribution])
        }
        out += "\n" + table(header, lines)

        if !s.published.isEmpty {
            header = ["published figure", "published", "this run", "difference"]
            lines = []
            for p in s.published {
                let ours: Double = rows.first(where: { $0.metric == p.metric })?.value(of: p.statistic, in: s) ?? .nan
                let isProbability = p.statistic.hasPrefix("p_gt_")
                let diff: String = isProbability
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

    /// Four significant digits, plain notation below a million.
    static func number(_ x: Double) -> String {
        if abs(x) >= 1e6 || (abs(x) < 1e-3 && x != 0) { return String(format: "%.4g", x) }
        if abs(x) >= 1000 { return String(format: "%.0f", x) }
        return String(format: "%.4g", x)
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
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
