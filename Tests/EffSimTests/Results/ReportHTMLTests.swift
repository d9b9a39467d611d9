import EffSim
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// report.html and the report commands end to end: a self-contained page with every number a
/// reader needs, the same bytes from the same folder, a tornado only with sensitivity.csv, and
/// errors that name the file.
@Suite struct ReportHTMLTests {
    static let reportFiles = ["exceedance.svg", "factors.svg", "histogram-compute.svg", "histogram-hardware.svg", "report.html"]

    @Test func runWritesTheDocumentedFiles() throws {
        let folder = try ReportFixture.seedRun.get()
        let files = Support.files(in: folder)
        #expect(files == (Self.reportFiles + ["histogram.csv", "precision.csv", "run.json", "summary.csv"]).sorted())
    }

    @Test func pageIsSelfContainedAndInlinesEveryChart() throws {
        let folder = try ReportFixture.seedRun.get()
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        let page = try ParsedSVG(folder.appendingPathComponent("report.html"))
        #expect(try page.elements("//*[local-name()='script' or local-name()='link' or local-name()='img' or local-name()='iframe']").isEmpty)
        #expect(try page.document.nodes(forXPath: "//@src | //@href").isEmpty)
        #expect(try page.document.nodes(forXPath: "//@class").count > 100, "the attribute query works")
        #expect(!html.contains("url("))
        for name in Self.reportFiles where name.hasSuffix(".svg") {
            let svg = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            #expect(html.contains(svg), "\(name) is not inlined as written")
            #expect(try page.elements("//*[local-name()='figure'][@data-file='\(name)']/*[local-name()='svg']").count == 1)
        }
    }

    @Test func pageShowsTheNumbersToAudit() throws {
        let folder = try ReportFixture.seedRun.get()
        let page = try ParsedSVG(folder.appendingPathComponent("report.html"))
        let text = try page.element("//*[local-name()='body']").stringValue ?? ""
        #expect(text.contains("effsim 0.1.0 · 200,000 trials · seed 2024 · rng taus2 · sampler pseudo"))
        // Each summary row appears in the tables with its p50 as the console writes it.
        let rows = try ReportFixture.csv(folder.appendingPathComponent("summary.csv"))
        let cells = try page.elements("//*[local-name()='tr']").map { tr in tr.children?.map { $0.stringValue ?? "" } ?? [] }
        for row in rows {
            let metric = try #require(row["metric"])
            let p50 = try ReportFixture.value(row, "p50")
            let wanted = p50 >= 1e6 || p50 < 1e-3 ? String(format: "%.4g", p50) : p50 >= 1000 ? String(format: "%.0f", p50) : String(format: "%.4g", p50)
            #expect(cells.contains { $0.first == metric && $0.contains(wanted) }, "\(metric) p50 \(wanted)")
        }
        // Every factor with its distribution and its source.
        for factor in ["transformer_pp", "moe", "unpublished", "chinchilla", "data_quality", "hardware_efficiency"] {
            #expect(cells.contains { $0.first == factor && $0.count == 6 && $0[3].contains("(") && !$0[5].isEmpty }, "\(factor)")
        }
        #expect(cells.contains { $0 == ["unpublished", "Unpublished algorithmic innovations", "algorithmic", "lognormal(median 3.5, sigma 0.8425)", "1", $0.last!] })
    }

    @Test func sameFolderGivesTheSameBytes() throws {
        let folder = try ReportFixture.seedRun.get()
        let copy = try Support.temporaryDirectory().appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for name in ["run.json", "summary.csv", "histogram.csv"] {
            try FileManager.default.copyItem(at: folder.appendingPathComponent(name), to: copy.appendingPathComponent(name))
        }
        let r = try Support.effsim(["report", copy.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "wrote histogram-compute.svg, histogram-hardware.svg, exceedance.svg, factors.svg, report.html in \(copy.path)\n")
        for name in Self.reportFiles {
            let a = try Data(contentsOf: folder.appendingPathComponent(name)), b = try Data(contentsOf: copy.appendingPathComponent(name))
            #expect(a == b, "\(name) differs between run --report and report on a copy")
        }
    }

    @Test func tornadoIsDrawnFromSensitivityCSVOnly() throws {
        let folder = try ReportFixture.run(extra: []).get()
        let hardware = try ReportFixture.value(try ReportFixture.summary(folder, "hardware"), "p50")
        // Swings chosen so the order is unpublished, data_quality, moe; p10 below and p90 above the median.
        let rows: [(String, Double, Double, Double)] = [("moe", 0.05, 0.8, 1.3), ("unpublished", 0.55, 0.3, 2.9), ("data_quality", 0.25, 0.5, 1.9)]
        var csv = "factor,output,variance_share,median_at_p10,median_at_p90\n"
        for (f, share, lo, hi) in rows { csv += "\(f),hardware,\(share),\(hardware * lo),\(hardware * hi)\n" }
        try csv.write(to: folder.appendingPathComponent("sensitivity.csv"), atomically: true, encoding: .utf8)
        // The sensitivity.json that says it is of this run's draws (else the report leaves it out).
        let record = try RunRecord.load(directory: folder.path)
        try SensitivityRecord(try record.settings.validatedScenario(file: "run.json"), rng: record.rng, sampler: record.sampler).encoded()
            .write(to: folder.appendingPathComponent(SensitivityRecord.fileName))

        let r = try Support.effsim(["report", folder.path, "--quiet"])
        #expect(r.status == 0 && r.stdout.isEmpty, "\(r.stderr)")
        let chart = try ParsedSVG(folder.appendingPathComponent("tornado.svg"))
        let panel = "//*[@class='panel'][@data-output='hardware']"
        let x = try chart.logXAxis(panel)
        let order = try chart.elements("\(panel)/*[@class='factor']").map { $0.string("data-factor") ?? "" }
        #expect(order == ["unpublished", "data_quality", "moe"])
        let median = try chart.element("\(panel)/*[@class='median']")
        #expect(abs(try median.number("x1") - x.x(hardware)) <= 1)
        for (f, share, lo, hi) in rows {
            let bar = "\(panel)/*[@data-factor='\(f)']"
            let low = try chart.element("\(bar)/*[@class='at-p10']"), high = try chart.element("\(bar)/*[@class='at-p90']")
            #expect(abs(try low.number("x") - x.x(hardware * lo)) <= 1, "\(f) p10 end")
            #expect(abs(try low.number("x") + low.number("width") - x.x(hardware)) <= 1, "\(f) p10 bar meets the median")
            #expect(abs(try high.number("x") + high.number("width") - x.x(hardware * hi)) <= 1, "\(f) p90 end")
            #expect(try chart.element("\(bar)/*[@class='variance-share']").stringValue == String(format: "%.1f%%", share * 100))
        }
        var html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<h2>Sensitivity</h2>") && html.contains("data-file=\"tornado.svg\""))

        try FileManager.default.removeItem(at: folder.appendingPathComponent("sensitivity.csv"))
        #expect(try Support.effsim(["report", folder.path, "--quiet"]).status == 0)
        html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(!html.contains("Sensitivity") && !html.contains("tornado"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("tornado.svg").path))
    }

    @Test func finerBinsStillDrawTwentyBarsADecade() throws {
        let folder = try ReportFixture.run(extra: ["--bins", "80"]).get()
        let chart = try ParsedSVG(folder.appendingPathComponent("histogram-compute.svg"))
        let x = try chart.logXAxis()
        for bar in try chart.elements("//*[@class='bar']") {
            #expect(abs(try bar.number("width") - x.perDecade / 20) < 0.05)
        }
    }

    @Test func equalPercentilesShareOneLabel() throws {
        // epoch-defaults has fixed factors: every percentile of an output is the same number.
        let out = try Support.temporaryDirectory()
        let r = try Support.effsim(["run", Support.scenarioPath("epoch-defaults.json"), "--trials", "1000", "--out", out.path, "--report", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let chart = try ParsedSVG(out.appendingPathComponent("histogram-hardware.svg"))
        let p50 = try ReportFixture.value(try ReportFixture.summary(out, "hardware"), "p50")
        let labels = try chart.elements("//*[@class='percentile-label']").map { $0.stringValue ?? "" }
        #expect(labels == ["p10 = p50 = p90 " + String(format: "%.4g", p50) + "x"])
        #expect(try chart.elements("//*[@class='percentile']").count == 3)
    }

    @Test func missingFolderIsRefusedByName() throws {
        let empty = try Support.temporaryDirectory()
        let r = try Support.effsim(["report", empty.path])
        // A damaged or missing folder is bad input: exit status 2, as everywhere else.
        #expect(r.status == 2)
        #expect(r.stderr.contains("run.json: missing"), "\(r.stderr)")
        #expect(Support.files(in: empty).isEmpty)
    }

    @Test func badSummaryIsRefusedWithItsLineAndNothingWritten() throws {
        let source = try ReportFixture.seedRun.get()
        let folder = try Support.temporaryDirectory()
        for name in ["run.json", "summary.csv", "histogram.csv"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        let summary = folder.appendingPathComponent("summary.csv")
        var lines = try String(contentsOf: summary, encoding: .utf8).components(separatedBy: "\n")
        lines[2] = lines[2].replacingOccurrences(of: ",200000,", with: ",200000,lots,")
        lines[2] = lines[2].components(separatedBy: ",").enumerated().filter { $0.offset != 4 }.map(\.element).joined(separator: ",")
        try lines.joined(separator: "\n").write(to: summary, atomically: true, encoding: .utf8)
        let r = try Support.effsim(["report", folder.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("summary.csv:3: mean \"lots\" is not a number"), "\(r.stderr)")
        #expect(Support.files(in: folder) == ["histogram.csv", "run.json", "summary.csv"])
    }

    @Test func reportNeedsTheWholeRun() throws {
        let dir = try Support.temporaryDirectory()
        let r = try Support.effsim(["run", Support.scenarioPath("seed-2024.json"), "--trials", "1000", "--shard", "1/2",
                                    "--state", dir.appendingPathComponent("s1.json").path, "--report"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("effsim: --report needs the whole run"), "\(r.stderr)")
    }
}
