/// The one stylesheet of effsim's HTML pages — `report.html`, `compare.html`, a sweep's
/// `report.html` and `effsim serve`'s page — so that a table, a figure or a warning looks the
/// same on each. Pages inline it (they are single files, with nothing to fetch); a page adds
/// only rules of its own layout (`effsim serve` its editor's).
public enum PageStyle {
    /// The rules every page shares. `body.wide` lifts the reading width for pages of charts in
    /// a grid (a sweep's).
    public static let css = """
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 15px; line-height: 1.45; color: #222; max-width: 1000px; margin: 24px auto; padding: 0 16px; }
        body.wide { max-width: none; }
        h1 { font-size: 24px; margin-bottom: 4px; }
        h2 { font-size: 19px; margin-top: 36px; border-bottom: 1px solid #ccc; }
        h3 { font-size: 16px; margin: 20px 0 4px; }
        table { border-collapse: collapse; font-size: 13px; margin: 8px 0 16px; }
        th, td { border: 1px solid #ccc; padding: 3px 5px; vertical-align: top; text-align: left; }
        th { background: #f3f3f3; }
        td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        div.table { overflow-x: auto; }
        div.grid { display: flex; flex-wrap: wrap; gap: 12px; }
        figure { margin: 16px 0; }
        svg { max-width: 100%; height: auto; }
        figcaption, .meta { font-size: 14px; color: #444; }
        p.warning, .warning { background: #fff3cd; border-left: 4px solid #a50f15; padding: 6px 10px; }
        """

    /// A page's start, up to and including `<body>`: doctype, charset, viewport, `title`
    /// (escaped here) and the stylesheet, with `extraCSS` after the shared rules.
    public static func head(title: String, extraCSS: String = "", bodyClass: String? = nil) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(SVG.escape(title))</title>
        <style>
        \(css)\(extraCSS.isEmpty ? "" : "\n" + extraCSS)
        </style>
        </head>
        <body\(bodyClass.map { " class=\"\($0)\"" } ?? "")>

        """
    }
}
