import EffSim
import Foundation

/// The page `GET /` serves: Page/index.html with the pages' shared stylesheet (`PageStyle.css`,
/// as in report.html) and Page/page.css, and Page/page.js, put in place of its two markers, one response with nothing else to fetch. The three files are plain text
/// compiled into the binary (SwiftPM's `embedInCode`): no build step, no files beside the binary.
enum Page {
    static let html: String = {
        let text = String(decoding: PackageResources.index_html, as: UTF8.self)
        return
            text
            .replacingOccurrences(
                of: "/*page.css*/",
                with: PageStyle.css + "\n" + String(decoding: PackageResources.page_css, as: UTF8.self)
            )
            .replacingOccurrences(of: "/*page.js*/", with: String(decoding: PackageResources.page_js, as: UTF8.self))
    }()
}
