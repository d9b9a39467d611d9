import EffSim
import Foundation
import Testing

/// The drawing layer: labels, axes, number and text rules, and the CSV reader the report uses.
@Suite struct ReportChartTests {
    @Test func factorLabels() {
        let cases: [(Double, String)] = [(1, "1x"), (10, "10x"), (100, "100x"), (1000, "1000x"), (1e4, "10⁴x"), (1e12, "10¹²x"),
                                         (0.1, "0.1x"), (0.01, "0.01x"), (1e-3, "10⁻³x"), (419.7335, "419.7x"), (2439.93, "2440x"), (2.5, "2.5x")]
        for (v, label) in cases { #expect(SVG.times(v) == label, "\(v)") }
    }

    @Test func logAxisCoversWholeDecadesAndInverts() {
        let a = LogAxis(covering: [1.5, 420], start: 80, end: 380)
        #expect(a.lo == 0 && a.hi == 3)
        #expect(LogAxis(covering: [1, 1000], start: 0, end: 1) == LogAxis(lo: 0, hi: 3, start: 0, end: 1), "an exact power of ten adds no decade")
        #expect(LogAxis(covering: [0.2, 0.3], start: 0, end: 1).lo == -1 && LogAxis(covering: [0.2, 0.3], start: 0, end: 1).hi == 0)
        #expect(a.position(1) == 80 && a.position(1000) == 380 && abs(a.position(10) - 180) < 1e-9)
        for v in [1.5, 37.0, 420] { #expect(abs(a.value(at: a.position(v)) / v - 1) < 1e-12) }
        #expect(a.majorTicks == [1, 10, 100, 1000])
        #expect(a.minorTicks.count == 24 && a.minorTicks.first == 2 && a.minorTicks.last == 900)
        #expect(a.holds(1) && a.holds(1000) && !a.holds(0.99) && !a.holds(1001))
        let wide = LogAxis(lo: -2, hi: 14, start: 0, end: 800)
        #expect(wide.majorTicks.count == 9 && wide.majorTicks.first == 0.01, "every other decade beyond ten")
        #expect(wide.minorTicks.isEmpty, "no minor ticks when decades are 50px wide")
    }

    @Test func linearAxisRoundsUpToNiceSteps() {
        let a = LinearAxis(upTo: 0.034, start: 326, end: 74)
        #expect(abs(a.step - 0.01) < 1e-15 && abs(a.maximum - 0.04) < 1e-15)
        #expect(a.ticks.count == 5 && a.position(0) == 326 && a.position(a.maximum) == 74)
        #expect(LinearAxis(upTo: 1, start: 0, end: 1).ticks.map { ($0 * 10).rounded() } == [0, 2, 4, 6, 8, 10])
        #expect(abs(LinearAxis(upTo: 0.07, start: 0, end: 1).step - 0.02) < 1e-15)
        #expect(LinearAxis(upTo: 0, start: 0, end: 1).maximum > 0, "an empty chart still has an axis")
    }

    @Test func numbersAndTextFollowFixedRules() {
        #expect(SVG.number(70) == "70" && SVG.number(412.5) == "412.5" && SVG.number(3.2749) == "3.27")
        #expect(SVG.number(-0.001) == "0" && SVG.number(-12.345) == "-12.35")
        // The same text as String(format: "%.2f") trimmed, which it replaced, at the ends of
        // the range, on rounding ties and on seeded random values of every magnitude.
        func reference(_ x: Double) -> String {
            var s = String(format: "%.2f", x)
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
            return s == "-0" ? "0" : s
        }
        var values: [Double] = [0, -0.0, 0.005, -0.005, 0.015, 2.675, 1.005, 0.125, 99.995, 1e15, -1e22, 1.7e308,
                                -Double.greatestFiniteMagnitude, Double.leastNonzeroMagnitude, 1e-300, 100, 1000.1]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let unit = Double(state >> 11) / Double(1 << 53)
            values.append((unit - 0.5) * pow(10, Double(Int(state % 40)) - 10))
        }
        for x in values { #expect(SVG.number(x) == reference(x), "\(x)") }
        #expect(SVG.escape("a<b & \"c\" > 'd'") == "a&lt;b &amp; &quot;c&quot; &gt; &#39;d&#39;")
        var svg = SVGDocument(width: 10, height: 10, title: "x & y")
        svg.add("text", ["class": "t", "x": 1.5, "y": 2], text: "<1>")
        #expect(svg.text.contains("<title>x &amp; y</title>"))
        #expect(svg.text.contains("<text class=\"t\" x=\"1.5\" y=\"2\">&lt;1&gt;</text>"))
    }

    @Test func csvReaderReadsWhatTheWriterWrites() {
        var table = CSVTable(header: ["a", "b", "c"])
        let rows = [["plain", "with,comma", "with \"quote\""], ["line\nbreak", "", "1e-05"]]
        for r in rows { table.append(r) }
        #expect(CSVTable.records(table.text) == [["a", "b", "c"]] + rows)
        #expect(CSVTable.records("x,y\r\n1,2") == [["x", "y"], ["1", "2"]], "CRLF and no final line end")
        #expect(CSVTable.records("") == [])
    }

    @Test func seriesStylesDifferInGreyscale() {
        // Rec. 601 luma of a #rrggbb colour, 0...255.
        func luma(_ hex: String) -> Double {
            let v = Int(hex.dropFirst(), radix: 16)!
            return 0.299 * Double(v >> 16) + 0.587 * Double((v >> 8) & 255) + 0.114 * Double(v & 255)
        }
        let styles = SeriesStyle.all
        #expect(Set(styles.map(\.dash)).count == styles.count && Set(styles.map(\.marker)).count == styles.count)
        for i in styles.indices {
            for j in styles.indices where j > i { #expect(abs(luma(styles[i].colour) - luma(styles[j].colour)) >= 15, "\(i) vs \(j)") }
        }
        #expect(abs(luma(styles[0].colour) - luma(styles[1].colour)) >= 60, "the first two, the usual pair, are far apart")
    }

    @Test func exceedanceCurveStepsThroughBinEdges() {
        let bins = [HistogramBin(bin: 0, lower: 1, upper: 10, count: 2), HistogramBin(bin: 1, lower: 10, upper: 100, count: 3)]
        let curve = ExceedanceChart.curve(bins, trials: 5)
        #expect(curve.map(\.x) == [1, 10, 100] && curve.map(\.p) == [1, 0.6, 0])
    }
}
