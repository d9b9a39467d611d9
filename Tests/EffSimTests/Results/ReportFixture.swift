import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// A seed-2024 run with --report, made once for the report tests, and readers for what it wrote
/// that share no code with the library's own (so a wrong writer cannot hide behind a wrong reader).
enum ReportFixture {
    static let trials = 200_000

    /// The folder, or the reason it could not be made.
    static let seedRun: Result<URL, ReportFixtureError> = run(extra: [])

    static func run(extra: [String]) -> Result<URL, ReportFixtureError> {
        do {
            let out = try Support.temporaryDirectory().appendingPathComponent("seed-2024")
            let r = try Support.effsim(["run", Support.scenarioPath("seed-2024.json"), "--trials", String(trials),
                                        "--out", out.path, "--report", "--quiet"] + extra)
            guard r.status == 0 else { return .failure(ReportFixtureError(description: "effsim run --report failed: \(r.stderr)")) }
            return .success(out)
        } catch {
            return .failure(ReportFixtureError(description: "\(error)"))
        }
    }

    /// A CSV file (no quoted fields in these) as column name -> field per row.
    static func csv(_ url: URL) throws -> [[String: String]] {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    /// summary.csv's row for a metric.
    static func summary(_ folder: URL, _ metric: String) throws -> [String: String] {
        try #require(try csv(folder.appendingPathComponent("summary.csv")).first { $0["metric"] == metric })
    }

    static func value(_ row: [String: String], _ column: String) throws -> Double {
        try #require(row[column].flatMap(Double.init))
    }
}

struct ReportFixtureError: Error, CustomStringConvertible {
    var description: String
}

/// An SVG (or the XHTML report) parsed as XML, with the few queries the tests need.
struct ParsedSVG {
    let document: XMLDocument

    init(_ url: URL) throws {
        document = try XMLDocument(contentsOf: url, options: [])
    }

    /// Elements matching an XPath; SVG elements are namespaced, so select them by class or local-name().
    func elements(_ xpath: String) throws -> [XMLElement] {
        try document.nodes(forXPath: xpath).compactMap { $0 as? XMLElement }
    }

    func element(_ xpath: String) throws -> XMLElement {
        let found = try elements(xpath)
        try #require(found.count == 1, "expected one element at \(xpath), found \(found.count)")
        return found[0]
    }

    /// The x-axis transform read back from the tick labels under `scope` (an XPath to a group,
    /// or "" for the whole document): the labels must be powers of ten, evenly spaced in x.
    func logXAxis(_ scope: String = "") throws -> LogScale {
        let ticks = try elements("\(scope)//*[@class='x-axis']/*[@class='tick-label']")
        let points = try ticks.map { (try #require(ParsedSVG.tickValue($0.stringValue ?? ""), "tick label \($0.stringValue ?? "")"), try $0.number("x")) }
        try #require(points.count >= 2, "x axis has \(points.count) labelled ticks")
        let first = points[0], last = points[points.count - 1]
        let scale = LogScale(x0: first.1 - log10(first.0) * (last.1 - first.1) / log10(last.0 / first.0),
                             perDecade: (last.1 - first.1) / log10(last.0 / first.0))
        for (v, x) in points { #expect(abs(scale.x(v) - x) < 0.02, "tick \(v) at \(x), not \(scale.x(v))") }
        return scale
    }

    /// The y-axis transform from percent tick labels (0%, 1%, ...) and their tick marks:
    /// y = y0 + perUnit * share.
    func percentYAxis(_ scope: String = "") throws -> (y0: Double, perUnit: Double) {
        let labels = try elements("\(scope)//*[@class='y-axis']/*[@class='tick-label']")
        let ticks = try elements("\(scope)//*[@class='y-axis']/*[@class='tick']")
        try #require(labels.count == ticks.count)
        let points = try zip(labels, ticks).map { label, tick -> (Double, Double) in
            let text = try #require(label.stringValue)
            #expect(text.hasSuffix("%"))
            return (try #require(Double(text.dropLast())) / 100, try tick.number("y1"))
        }
        try #require(points.count >= 2)
        let (a, b) = (points[0], points[points.count - 1])
        let perUnit = (b.1 - a.1) / (b.0 - a.0)
        return (a.1 - a.0 * perUnit, perUnit)
    }

    /// "1x" -> 1, "1000x" -> 1000, "10⁴x" -> 1e4, "0.1x" -> 0.1, "10⁻³x" -> 1e-3.
    static func tickValue(_ label: String) -> Double? {
        guard label.hasSuffix("x") else { return nil }
        let body = label.dropLast()
        if let v = Double(body) { return v }
        guard body.hasPrefix("10") else { return nil }
        let digits = "⁰¹²³⁴⁵⁶⁷⁸⁹"
        var exponent = 0, sign = 1
        for c in body.dropFirst(2) {
            if c == "⁻" { sign = -1; continue }
            guard let i = digits.firstIndex(of: c) else { return nil }
            exponent = exponent * 10 + digits.distance(from: digits.startIndex, to: i)
        }
        return pow(10, Double(sign * exponent))
    }
}

/// x = x0 + perDecade * log10(v).
struct LogScale {
    var x0: Double
    var perDecade: Double
    func x(_ v: Double) -> Double { x0 + perDecade * log10(v) }
    func value(_ x: Double) -> Double { pow(10, (x - x0) / perDecade) }
}

extension XMLElement {
    func number(_ attribute: String) throws -> Double {
        try #require(string(attribute).flatMap(Double.init), "\(name ?? "") has no numeric \(attribute)")
    }

    /// An attribute's value. Looked up by scanning, because FoundationXML on Linux finds no
    /// attribute by name (`attribute(forName:)`) on an element in a default namespace, as SVG's are.
    func string(_ attribute: String) -> String? {
        attributes?.first { $0.name == attribute }?.stringValue
    }
}
