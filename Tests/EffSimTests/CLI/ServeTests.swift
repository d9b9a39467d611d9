import EffSim
import EffSimServe
import FlyingFox
import Foundation
import Testing

/// `effsim serve`'s API through FlyingFox's own request and handler types (no socket): every
/// route, the token, Host and Origin rules, 413, 415, 422 with `effsim validate`'s messages, 409
/// on a file changed on disk, and the cancellation of a superseded computation. Results are
/// checked against the CLI's files for the same scenario, trials and seed.
@Suite struct ServeTests {
    static let token = String(repeating: "ab", count: 32)
    static let port = 8123
    static let host = "127.0.0.1:\(port)"

    /// A handler serving a copy of `scenario` (a shipped file) in a fresh folder.
    static func handler(_ scenario: String = "seed-2024.json", trials: Int = 100_000) throws -> (ServeHandler, URL) {
        let folder = try Support.temporaryDirectory()
        let copy = folder.appendingPathComponent(scenario)
        try FileManager.default.copyItem(atPath: Support.scenarioPath(scenario), toPath: copy.path)
        let handler = ServeHandler(file: try EditedScenarioFile(path: copy.path), rules: RequestRules(token: token, hosts: []),
                                   defaultTrials: trials, threads: 2)
        handler.listening(host: "127.0.0.1", port: port)
        return (handler, copy)
    }

    static func request(_ method: HTTPMethod, _ path: String, body: Data = Data(), token: String? = ServeTests.token,
                        bearer: Bool = true, host: String? = ServeTests.host, origin: String? = nil,
                        contentType: String? = "application/json", page: String? = nil, sequence: String? = nil) -> HTTPRequest {
        var headers: [HTTPHeader: String] = [:]
        if let host { headers[.host] = host }
        if let origin { headers[HTTPHeader("Origin")] = origin }
        if let contentType, !body.isEmpty { headers[.contentType] = contentType }
        if let page { headers[HTTPHeader("X-Effsim-Page")] = page }
        if let sequence { headers[HTTPHeader("X-Effsim-Sequence")] = sequence }
        var query: [HTTPRequest.QueryItem] = []
        if let token {
            if bearer { headers[.authorization] = "Bearer \(token)" } else { query.append(.init(name: "token", value: token)) }
        }
        return HTTPRequest(method: method, version: .http11, path: path, query: query, headers: headers, body: body)
    }

    /// A response: status, body text and the body as a JSON object (empty when it is none).
    struct Reply: @unchecked Sendable {
        var status: Int
        var text: String
        var json: [String: Any]
    }

    static func send(_ handler: ServeHandler, _ request: HTTPRequest) async throws -> Reply {
        let response = try await handler.handleRequest(request)
        let data = try await response.bodyData
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return Reply(status: response.statusCode.code, text: String(decoding: data, as: UTF8.self), json: json)
    }

    /// `{"scenario": <file>, ...}` as the page sends it.
    static func runBody(_ scenarioText: String, _ extra: String = "") -> Data {
        Data("{\"scenario\": \(scenarioText)\(extra)}".utf8)
    }

    static func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    // MARK: The rules

    @Test func everyRequestNeedsTheTokenInTheQueryOrAsBearer() async throws {
        let (h, _) = try Self.handler()
        for path in ["/", "/api/scenario", "/api/progress"] {
            #expect(try await Self.send(h, Self.request(.GET, path, token: nil)).status == 403)
            #expect(try await Self.send(h, Self.request(.GET, path, token: String(repeating: "ab", count: 31) + "ac")).status == 403)
            #expect(try await Self.send(h, Self.request(.GET, path, token: "ab")).status == 403)
            #expect(try await Self.send(h, Self.request(.GET, path, bearer: false)).status == 200)
            #expect(try await Self.send(h, Self.request(.GET, path)).status == 200)
        }
        // Refused before anything is done: no run, no save.
        let (h2, file) = try Self.handler()
        let before = try Data(contentsOf: file)
        let refused = try await Self.send(h2, Self.request(.PUT, "/api/scenario", body: Data("{}".utf8), token: nil))
        #expect(refused.status == 403)
        #expect((refused.json["error"] as? String)?.contains("token") == true)
        #expect(try Data(contentsOf: file) == before)
    }

    @Test func theHostHeaderMustNameThisServer() async throws {
        let (h, _) = try Self.handler()
        #expect(try await Self.send(h, Self.request(.GET, "/api/scenario", host: "localhost:\(Self.port)")).status == 200)
        for host in ["evil.example:\(Self.port)", "127.0.0.1:\(Self.port + 1)", "127.0.0.1", "localhost.evil.example:\(Self.port)"] {
            let r = try await Self.send(h, Self.request(.GET, "/api/scenario", host: host))
            #expect(r.status == 403, "Host \(host)")
            #expect((r.json["error"] as? String)?.hasPrefix("the Host header must name this server") == true)
        }
        #expect(try await Self.send(h, Self.request(.GET, "/api/scenario", host: nil)).status == 403)
    }

    @Test func anotherOriginIsRefused() async throws {
        let (h, file) = try Self.handler()
        let body = try Data(contentsOf: file)
        #expect(try await Self.send(h, Self.request(.PUT, "/api/scenario", body: body, origin: "http://\(Self.host)")).status == 200)
        #expect(try await Self.send(h, Self.request(.PUT, "/api/scenario", body: body, origin: "http://localhost:\(Self.port)")).status == 200)
        for origin in ["http://evil.example", "https://127.0.0.1:\(Self.port)", "null"] {
            let r = try await Self.send(h, Self.request(.POST, "/api/run", body: Self.runBody(try Self.text(file)), origin: origin))
            #expect(r.status == 403, "Origin \(origin)")
            #expect((r.json["error"] as? String) == "requests from another origin (\(origin)) are refused")
        }
    }

    @Test func writesNeedAJSONContentType() async throws {
        let (h, file) = try Self.handler()
        let body = try Data(contentsOf: file)
        for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
            let r = try await Self.send(h, Self.request(.PUT, "/api/scenario", body: body, contentType: type))
            #expect(r.status == 415)
            #expect((r.json["error"] as? String) == "a write needs Content-Type: application/json")
        }
        #expect(try await Self.send(h, Self.request(.PUT, "/api/scenario", body: body, contentType: "application/json; charset=utf-8")).status == 200)
    }

    @Test func aBodyOverOneMebibyteIsRefusedWith413() async throws {
        let (h, file) = try Self.handler()
        let before = try Data(contentsOf: file)
        // Valid JSON, padded with spaces past the limit: refused for its size, not its content.
        var big = try Data(contentsOf: file)
        big += Data(repeating: UInt8(ascii: " "), count: RequestRules.maximumBody + 1 - big.count)
        #expect(big.count == RequestRules.maximumBody + 1)
        for (method, path) in [(HTTPMethod.PUT, "/api/scenario"), (.POST, "/api/run")] {
            let r = try await Self.send(h, Self.request(method, path, body: big))
            #expect(r.status == 413)
            #expect((r.json["error"] as? String) == "the request body is over 1048576 bytes (1 MiB)")
        }
        #expect(try Data(contentsOf: file) == before)
        // At the limit: accepted.
        var exact = try Data(contentsOf: file)
        exact += Data(repeating: UInt8(ascii: " "), count: RequestRules.maximumBody - exact.count)
        #expect(try await Self.send(h, Self.request(.PUT, "/api/scenario", body: exact)).status == 200)
    }

    @Test func unknownRoutesAre404AndWrongMethods405() async throws {
        let (h, _) = try Self.handler()
        #expect(try await Self.send(h, Self.request(.GET, "/api/nothing")).status == 404)
        #expect(try await Self.send(h, Self.request(.GET, "/../Scenarios/seed-2024.json")).status == 404)
        #expect(try await Self.send(h, Self.request(.GET, "/api/run")).status == 405)
        #expect(try await Self.send(h, Self.request(.DELETE, "/api/scenario")).status == 405)
    }

    // MARK: The page

    @Test func thePageIsOneResponseWithNothingFromTheNetwork() async throws {
        let (h, _) = try Self.handler()
        let response = try await h.handleRequest(Self.request(.GET, "/"))
        #expect(response.statusCode.code == 200)
        #expect(response.headers[.contentType] == "text/html; charset=utf-8")
        #expect(response.headers[HTTPHeader("Content-Security-Policy")]?.contains("default-src 'none'") == true)
        #expect(response.headers[HTTPHeader("Content-Security-Policy")]?.contains("connect-src 'self'") == true)
        let html = String(decoding: try await response.bodyData, as: UTF8.self)
        // The stylesheet and the script are in the page, in place of their markers.
        #expect(html.contains("'use strict';"))
        #expect(html.contains("#results.stale"))
        #expect(!html.contains("/*page.js*/") && !html.contains("/*page.css*/"))
        // No address elsewhere: no CDN, no web font, no script or style fetched.
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("src=") && !html.contains("@import"))
    }

    // MARK: The scenario file

    @Test func getScenarioReturnsTheFileAsLoadedThenAsSaved() async throws {
        let (h, file) = try Self.handler()
        let loaded = try await Self.send(h, Self.request(.GET, "/api/scenario"))
        #expect(loaded.status == 200)
        #expect(loaded.text == (try Self.text(file)))
        let edited = try Self.text(file).replacingOccurrences(of: "\"seed\": 2024", with: "\"seed\": 7")
        #expect(try await Self.send(h, Self.request(.PUT, "/api/scenario", body: Data(edited.utf8))).status == 200)
        #expect(try Self.text(file) == edited)
        #expect(try await Self.send(h, Self.request(.GET, "/api/scenario")).text == edited)
        // No temporary left beside it.
        #expect(Support.files(in: file.deletingLastPathComponent()) == [file.lastPathComponent])
    }

    @Test func aSaveOverAFileChangedOnDiskIs409AndWritesNothing() async throws {
        let (h, file) = try Self.handler()
        let original = try Self.text(file)
        let onDisk = original.replacingOccurrences(of: "\"seed\": 2024", with: "\"seed\": 11")
        try onDisk.write(to: file, atomically: false, encoding: .utf8)
        let edited = original.replacingOccurrences(of: "\"seed\": 2024", with: "\"seed\": 7")
        let r = try await Self.send(h, Self.request(.PUT, "/api/scenario", body: Data(edited.utf8)))
        #expect(r.status == 409)
        #expect((r.json["error"] as? String) == "\(file.path) changed on disk since it was loaded or last saved; nothing was written (reload the page to edit the file as it is now)")
        #expect(try Self.text(file) == onDisk)
        // The document as loaded is still what the page is told.
        #expect(try await Self.send(h, Self.request(.GET, "/api/scenario")).text == original)
    }

    /// An invalid scenario, as a file for `effsim validate` and as a body for the API: the 422
    /// lists the same lines, each problem with its JSON path; nothing is saved.
    @Test func anInvalidScenarioIs422WithTheMessagesOfValidate() async throws {
        let (h, file) = try Self.handler()
        let original = try Self.text(file)
        let invalid = original
            .replacingOccurrences(of: "\"trials\": 1000000", with: "\"trials\": \"1000\"")
            .replacingOccurrences(of: "\"level\": 0.9", with: "\"level\": 1.9")
        #expect(invalid != original)
        try invalid.write(to: file.deletingLastPathComponent().appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        // validate names the file as given: run it where the served path is the same string.
        let validate = try Support.effsim(["validate", file.path.replacingOccurrences(of: "seed-2024.json", with: "bad.json")])
        #expect(validate.status == 2)
        let expected = validate.stderr.split(separator: "\n").map { String($0.dropFirst("effsim: ".count)).replacingOccurrences(of: "bad.json", with: "seed-2024.json") }
        #expect(expected.count == 3)

        let saved = try await Self.send(h, Self.request(.PUT, "/api/scenario", body: Data(invalid.utf8)))
        let run = try await Self.send(h, Self.request(.POST, "/api/run", body: Self.runBody(invalid)))
        for r in [saved, run] {
            #expect(r.status == 422)
            #expect(r.json["validate"] as? [String] == expected)
            let problems = try #require(r.json["problems"] as? [[String: String]])
            #expect(problems.map { $0["path"] } == ["trials", "factors[1].distribution.level"])
        }
        #expect(try Self.text(file) == original)
    }

    // MARK: Runs

    /// `POST /api/run` gives summary.csv's and precision.csv's numbers, digit for digit, of
    /// `effsim run` with the same scenario, trials and seed.
    @Test func aRunEqualsTheCLIsFilesDigitForDigit() async throws {
        let (h, file) = try Self.handler("work-in-flops.json")
        let out = try Support.temporaryDirectory().appendingPathComponent("run")
        let cli = try Support.effsim(["run", file.path, "--trials", "150000", "--seed", "99", "--out", out.path, "--quiet"])
        #expect(cli.status == 0, "\(cli.stderr)")
        let r = try await Self.send(h, Self.request(.POST, "/api/run", body: Self.runBody(try Self.text(file), #", "trials": 150000, "seed": 99"#)))
        #expect(r.status == 200, "\(r.text)")
        let metrics = try #require(r.json["metrics"] as? [String: [String: Any]])
        let summary = CSVTable.records(try Self.text(out.appendingPathComponent("summary.csv")))
        let header = summary[0]
        #expect(summary.count - 1 == metrics.count)
        #expect(r.json["order"] as? [String] == summary.dropFirst().map { $0[0] })
        // Each metric's object holds summary.csv's fields as written: the same digits (a JSON
        // reader may round them differently; the text is what is compared).
        for row in summary.dropFirst() {
            var about = ""
            var statistics: [String] = []
            for (column, field) in zip(header, row).dropFirst() {
                switch column {
                case "kind", "unit": about += ",\"\(column)\":\"\(field)\""
                case "trials": about += ",\"trials\":\(field)"
                default: statistics.append("\"\(column)\":\(field.isEmpty ? "null" : field)")
                }
            }
            let expected = "\"\(row[0])\":{" + about.dropFirst() + ",\"statistics\":{" + statistics.joined(separator: ",") + "}"
            #expect(r.text.contains(expected), "\(expected)")
        }
        let precision = CSVTable.records(try Self.text(out.appendingPathComponent("precision.csv")))
        #expect(precision.count > 50)
        for row in precision.dropFirst() {
            #expect(r.text.contains("\"\(row[1])\":{\"estimate\":\(row[2]),\"lo95\":\(row[3]),\"hi95\":\(row[4])}"), "\(row)")
        }
        // The files the page offers are the CLI's files.
        let files = try #require(r.json["files"] as? [String: String])
        #expect(files["summary.csv"] == (try Self.text(out.appendingPathComponent("summary.csv"))))
        #expect(files["precision.csv"] == (try Self.text(out.appendingPathComponent("precision.csv"))))
        // The report's charts, in the output's units.
        let charts = try #require(r.json["charts"] as? [String: String])
        let outputs = try ScenarioReader.load(path: file.path).outputs.map(\.id)
        #expect(Set(charts.keys) == Set(["exceedance.svg", "factors.svg"] + outputs.map { "histogram-\($0).svg" }))
        #expect(charts.values.allSatisfy { $0.contains("<svg") })
    }

    /// A model with units, series and crossing times (the shipped efficiency-crossing): compare
    /// wrote its `unit` column unquoted (`"unit":FLOP`), so the page could not read any compare
    /// of a model with units; a run answered with a histogram per index value and a warning per
    /// index value instead of the report's fans and crossing curves.
    @Test func aModelWithUnitsSeriesAndCrossingTimes() async throws {
        let (h, file) = try Self.handler("efficiency-crossing.json")
        let text = try Self.text(file)
        let run = try await Self.send(h, Self.request(.POST, "/api/run", body: Self.runBody(text, #", "trials": 100000"#)))
        #expect(run.status == 200)
        let charts = try #require(run.json["charts"] as? [String: String])
        #expect(Set(charts.keys) == [
            "series-budget_effective_flop.svg", "series-frontier_flop.svg", "crossing-year_budget_passes_1e26.svg",
            "crossing-year_frontier_passes_1e27.svg", "factors.svg",
        ])
        // At most one warning per series (the loosest index value), none per point.
        let warnings = try #require(run.json["warnings"] as? [String])
        #expect(warnings.count <= 2, "\(warnings)")
        #expect(warnings.allSatisfy { $0.hasPrefix("budget_effective_flop[year=") || $0.hasPrefix("frontier_flop[year=") })
        let compare = Data("{\"a\": \(text), \"b\": \(text), \"trials\": 131072}".utf8)
        let r = try await Self.send(h, Self.request(.POST, "/api/compare", body: compare))
        #expect(r.status == 200)
        let rows = try #require(r.json["rows"] as? [[String: Any]], "\(r.text.prefix(300))")
        #expect(rows.first?["unit"] as? String == "FLOP")
        #expect(rows.first { $0["metric"] as? String == "year_budget_passes_1e26" }?["unit"] as? String == "year")
        let figures = (r.json["charts"] as? [[String: Any]] ?? []).map { ($0["output"] as? String ?? "", ($0["figures"] as? [String])?.count ?? 0) }
        #expect(figures.map(\.0) == ["budget_effective_flop", "frontier_flop", "year_budget_passes_1e26", "year_frontier_passes_1e27"])
        #expect(figures.allSatisfy { $0.1 == 1 })
    }

    @Test func trialsAboveTheCapAre422NeverClamped() async throws {
        let (h, file) = try Self.handler()
        let text = try Self.text(file)
        for (extra, message) in [(#", "trials": 10000001"#, "trials: must be a whole number from 1 to 10000000 per request"),
                                 (#", "trials": 0"#, "trials: must be a whole number from 1 to 10000000 per request"),
                                 (#", "trials": 1.5"#, "trials: must be a whole number from 1 to 10000000 per request"),
                                 (#", "seed": -1"#, "seed: must be a whole number from 0 to 2^53"),
                                 (#", "trails": 5"#, "unknown key \"trails\" (allowed: scenario, seed, trials)")] {
            let r = try await Self.send(h, Self.request(.POST, "/api/run", body: Self.runBody(text, extra)))
            #expect(r.status == 422)
            #expect((r.json["error"] as? String) == message)
        }
    }

    /// `POST /api/compare` gives compare.csv's rows of `effsim compare` (same trials and seed).
    @Test func aCompareEqualsTheCLIsCompareCSV() async throws {
        let (h, file) = try Self.handler()
        let literal = Support.scenarioPath("seed-2024-literal.json")
        let out = try Support.temporaryDirectory().appendingPathComponent("cmp")
        let cli = try Support.effsim(["compare", file.path, literal, "--trials", "140000", "--seed", "3", "--out", out.path, "--quiet"])
        #expect(cli.status == 0, "\(cli.stderr)")
        let body = "{\"a\": \(try Self.text(file)), \"b\": \(try String(contentsOfFile: literal, encoding: .utf8)), \"trials\": 140000, \"seed\": 3}"
        let r = try await Self.send(h, Self.request(.POST, "/api/compare", body: Data(body.utf8)))
        #expect(r.status == 200, "\(r.text)")
        let csv = try Self.text(out.appendingPathComponent("compare.csv"))
        #expect((r.json["files"] as? [String: String])?["compare.csv"] == csv)
        let records = CSVTable.records(csv)
        let rows = try #require(r.json["rows"] as? [[String: Any]])
        #expect(rows.count == records.count - 1)
        for fields in records.dropFirst() {
            let numbers = zip(["a", "b", "ratio", "difference", "lo95", "hi95"], fields.dropFirst(2)).map { "\"\($0)\":\($1.isEmpty ? "null" : $1)" }
            let significant = Double(fields[6])! > 0 || Double(fields[7])! < 0
            let expected = "{\"metric\":\"\(fields[0])\",\"statistic\":\"\(fields[1])\"," + numbers.joined(separator: ",") + ",\"significant\":\(significant)}"
            #expect(r.text.contains(expected), "\(expected)")
        }
        #expect(rows.contains { $0["significant"] as? Bool == true })
        // The report's overlays, one pair per output both have.
        let charts = r.json["charts"] as? [[String: Any]] ?? []
        #expect(charts.map { $0["output"] as? String } == ["compute", "hardware"])
        #expect(charts.map { ($0["figures"] as? [String])?.count } == [2, 2])
        #expect(charts.allSatisfy { ($0["figures"] as? [String])?.allSatisfy { $0.hasPrefix("<svg") } == true })
    }

    @Test func sensitivityGivesTheCLIsCSVAndTheTornado() async throws {
        let (h, file) = try Self.handler()
        let out = try Support.temporaryDirectory().appendingPathComponent("sens")
        let cli = try Support.effsim(["sensitivity", file.path, "--trials", "131072", "--out", out.path, "--quiet"])
        #expect(cli.status == 0, "\(cli.stderr)")
        let r = try await Self.send(h, Self.request(.POST, "/api/sensitivity", body: Self.runBody(try Self.text(file), #", "trials": 131072"#)))
        #expect(r.status == 200, "\(r.text)")
        #expect((r.json["files"] as? [String: String])?["sensitivity.csv"] == (try Self.text(out.appendingPathComponent("sensitivity.csv"))))
        #expect((r.json["chart"] as? String)?.contains("<svg") == true)
    }

    // MARK: One computation per page

    /// A newer computation of the same page cancels the older one (409 "superseded"); another
    /// page's is left alone; the progress route shows the running one.
    @Test func aNewerComputationOfThePageSupersedesTheOlder() async throws {
        let (h, file) = try Self.handler()
        let text = try Self.text(file)
        let long = Self.request(.POST, "/api/run", body: Self.runBody(text, #", "trials": 10000000, "seed": 5"#), page: "p1")
        let older = Task { try await Self.send(h, long) }
        // Wait until it runs (its progress is visible), then start the newer one.
        var running = false
        for _ in 0..<12000 where !running {  // at most a minute: a loaded machine starts it late
            let p = try await Self.send(h, Self.request(.GET, "/api/progress", page: "p1"))
            running = p.json["running"] as? Bool == true && (p.json["total"] as? Int ?? 0) > 0
            if !running { try await Task.sleep(nanoseconds: 5_000_000) }
        }
        #expect(running)
        #expect(try await Self.send(h, Self.request(.GET, "/api/progress", page: "p2")).json["running"] as? Bool == false)
        let newer = try await Self.send(h, Self.request(.POST, "/api/run", body: Self.runBody(text, #", "trials": 70000, "seed": 5"#), page: "p1"))
        let old = try await older.value
        #expect(newer.status == 200)
        #expect(old.status == 409)
        #expect((old.json["error"] as? String) == "superseded: a newer computation of this page replaced this one")
        #expect(try await Self.send(h, Self.request(.GET, "/api/progress", page: "p1")).json["running"] as? Bool == false)
    }

    /// The handler passes the page's numbers (`X-Effsim-Sequence`) to `Computations`: once
    /// edit 7 was answered, a request for edit 6 is superseded (409), not computed; edit 7's
    /// compare is answered; another page has its own numbers. (Supersession while a newer
    /// computation runs is in `ComputationsTests`, without a clock.)
    @Test func anOlderEditArrivingLastIsSuperseded() async throws {
        let (h, file) = try Self.handler()
        let text = try Self.text(file)
        #expect(try await Self.send(h, Self.request(.POST, "/api/run", body: Self.runBody(text, #", "trials": 70000, "seed": 5"#), page: "p1", sequence: "7")).status == 200)
        let late = try await Self.send(h, Self.request(.POST, "/api/run", body: Self.runBody(text, #", "trials": 70000, "seed": 6"#), page: "p1", sequence: "6"))
        #expect(late.status == 409)
        #expect((late.json["error"] as? String) == "superseded: a newer computation of this page replaced this one")
        let compare = Data("{\"a\": \(text), \"b\": \(text), \"trials\": 70000}".utf8)
        #expect(try await Self.send(h, Self.request(.POST, "/api/compare", body: compare, page: "p1", sequence: "7")).status == 200)
        // An answer already computed (the recent answers) is not given to an older number either.
        #expect(try await Self.send(h, Self.request(.POST, "/api/run", body: Self.runBody(text, #", "trials": 70000, "seed": 5"#), page: "p1", sequence: "3")).status == 409)
        #expect(try await Self.send(h, Self.request(.POST, "/api/run", body: Self.runBody(text, #", "trials": 70000, "seed": 5"#), page: "p2", sequence: "1")).status == 200)
    }

    @Test func aSequenceThatIsNotAWholeNumberIs422() async throws {
        let (h, file) = try Self.handler()
        let text = try Self.text(file)
        for bad in ["", "-1", "1.5", "seven", "99999999999999999999", "\u{0663}"] {
            let r = try await Self.send(h, Self.request(.POST, "/api/run", body: Self.runBody(text), page: "p1", sequence: bad))
            #expect(r.status == 422, "\(bad)")
            #expect((r.json["error"] as? String) == "X-Effsim-Sequence must be a whole number from 0 (the page's count of its edits)", "\(bad)")
        }
    }

    @Test func pagesDoNotCancelEachOther() async throws {
        let (h, file) = try Self.handler()
        let text = try Self.text(file)
        async let a = Self.send(h, Self.request(.POST, "/api/run", body: Self.runBody(text, #", "trials": 300000, "seed": 1"#), page: "a"))
        async let b = Self.send(h, Self.request(.POST, "/api/run", body: Self.runBody(text, #", "trials": 300000, "seed": 2"#), page: "b"))
        let (ra, rb) = try await (a, b)
        #expect(ra.status == 200 && rb.status == 200)
    }
}
