import EffSim
import Foundation
import Testing

/// One stylesheet for every HTML page: report.html, compare.html, a sweep's report.html and
/// `effsim serve`'s page each inline `PageStyle.css` (the CSS was written three times before,
/// and had drifted: the sweep page had no table or warning rules).
@Suite struct PageStyleTests {
    @Test func everyPageInlinesTheSharedStylesheet() async throws {
        let dir = try Support.temporaryDirectory()
        let scenario = Support.scenarioPath("first-model.json")
        let runs = [["run", scenario, "--trials", "20000", "--out", "r", "--report", "--quiet"],
                    ["compare", scenario, Support.scenarioPath("first-model-cheaper.json"), "--trials", "131072", "--out", "c", "--report", "--quiet"],
                    ["sweep", Support.scenarioPath("sweeps/ci-level.json"), "--trials", "20000", "--out", "s", "--report", "--quiet"]]
        for args in runs {
            let r = try Support.effsim(args, in: dir)
            #expect(r.status == 0 && r.stderr.isEmpty, "\(args[0]): \(r.stderr)")
        }
        for page in ["r/report.html", "c/compare.html", "s/report.html"] {
            let html = try String(contentsOf: dir.appendingPathComponent(page), encoding: .utf8)
            #expect(html.contains("<style>\n\(PageStyle.css)"), "\(page)")
            #expect(html.components(separatedBy: "<style>").count == 2, "\(page): one style element")
        }
        let (handler, _) = try ServeTests.handler("first-model.json")
        let served = try await ServeTests.send(handler, ServeTests.request(.GET, "/", bearer: false))
        #expect(served.status == 200 && served.text.contains(PageStyle.css))
    }

}
