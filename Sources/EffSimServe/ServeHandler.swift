import EffSim
import FlyingFox
import Foundation
import Synchronization

/// Every route of `effsim serve`, behind `RequestRules`:
///
/// - `GET /`: the page (HTML, CSS and JavaScript from the binary, no network).
/// - `GET /api/scenario`: the scenario file as loaded or last saved.
/// - `PUT /api/scenario`: save the body (a scenario document) to the file: 200, 409 when the
///   file changed on disk since, 422 when invalid.
/// - `POST /api/run`, `/api/compare`, `/api/sensitivity`: see `RunAnswer`, `CompareAnswer`,
///   `SensitivityAnswer`; 422 for an invalid scenario, 409 when a newer computation of the same
///   page superseded this one.
/// - `GET /api/progress`: the page's running computation, chunks done and chunks.
public final class ServeHandler: HTTPHandler, Sendable {
    public let file: EditedScenarioFile
    /// Trials of a run that does not say (the page's default).
    public let defaultTrials: Int
    /// Worker threads per computation.
    public let threads: Int
    private let rules: Mutex<RequestRules>
    private let computations = Computations()
    /// Recent answers by request, so a request that changed nothing is not sampled again.
    private let recent = Mutex<[(key: Data, answer: String)]>([])
    static let recentCount = 8

    public init(file: EditedScenarioFile, rules: RequestRules, defaultTrials: Int, threads: Int) {
        self.file = file
        self.rules = Mutex(rules)
        self.defaultTrials = defaultTrials
        self.threads = threads
    }

    /// The rules with the `Host` values of the port the server got (known once it listens).
    public func listening(host: String, port: Int) {
        rules.withLock { $0 = RequestRules(token: $0.token, hosts: RequestRules.hosts(host: host, port: port)) }
    }

    public func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let refusal = rules.withLock {
            $0.refusal(
                host: request.headers[.host], origin: request.headers[HTTPHeader("Origin")],
                query: request.query["token"], authorization: request.headers[.authorization])
        }
        if let refusal { return Self.reply(Refusal.message(403, refusal)) }
        do {
            return try await route(request)
        } catch let refused as Refusal {
            return Self.reply(refused)
        }
    }

    func route(_ request: HTTPRequest) async throws -> HTTPResponse {
        let page = request.headers[HTTPHeader("X-Effsim-Page")] ?? ""
        let sequence = try Self.sequence(request)
        let method = request.method
        switch (request.path, method) {
        case ("/", .GET), ("/index.html", .GET):
            return HTTPResponse(statusCode: .ok, headers: Self.pageHeaders, body: Data(Page.html.utf8))
        case ("/api/scenario", .GET):
            var response = Self.json(file.text)
            response.headers[HTTPHeader("X-Effsim-File")] = file.path
            return response
        case ("/api/progress", .GET):
            let p = computations.progress(page: page)
            return Self.json(
                JSONText.object(
                    p.map { [("running", .bool(true)), ("done", .number($0.done)), ("total", .number($0.total))] }
                        ?? [("running", .bool(false))]
                ).text)
        case ("/api/scenario", .PUT):
            return try await save(body(request))
        case ("/api/run", .POST):
            let r = try APIRequest.parse(
                try await body(request), keys: ["scenario"], file: file.path, defaultTrials: defaultTrials)
            let s = r.runs[0]
            return try await answer(key: ["run", s], page: page, sequence: sequence) {
                [threads] isCancelled, progress in
                let state = try Engine.run(
                    s, options: RunOptions(threads: threads, progress: progress, isCancelled: isCancelled))
                return try RunAnswer.json(state)
            }
        case ("/api/compare", .POST):
            let r = try APIRequest.parse(
                try await body(request), keys: ["a", "b"], file: file.path, defaultTrials: defaultTrials)
            var runs = r.runs
            runs[1].seed = runs[0].seed  // common random numbers, as `effsim compare`
            let (a, b) = (runs[0], runs[1])
            return try await answer(key: ["compare", a, b], page: page, sequence: sequence) {
                [threads] isCancelled, progress in
                CompareAnswer.json(
                    try Comparison.sample(
                        a, b, options: RunOptions(threads: threads, progress: progress, isCancelled: isCancelled)))
            }
        case ("/api/sensitivity", .POST):
            let r = try APIRequest.parse(
                try await body(request), keys: ["scenario"], file: file.path, defaultTrials: defaultTrials)
            let s = r.runs[0]
            return try await answer(key: ["sensitivity", s], page: page, sequence: sequence) {
                [threads] isCancelled, progress in
                let run = try Engine.run(
                    s, options: RunOptions(threads: threads, progress: progress, isCancelled: isCancelled))
                return SensitivityAnswer.json(rows: try Sensitivity.analyse(s, threads: threads), run: run)
            }
        case ("/", _), ("/index.html", _), ("/api/scenario", _), ("/api/progress", _), ("/api/run", _),
            ("/api/compare", _), ("/api/sensitivity", _):
            throw Refusal.message(405, "\(method.rawValue) is not allowed on \(request.path)")
        default:
            throw Refusal.message(404, "no such page or route: \(request.path)")
        }
    }

    /// The computation's JSON answer, from the recent answers when the same request (scenario,
    /// trials and seed) was answered before.
    func answer(
        key parts: [Any], page: String, sequence: Int?,
        _ work:
            @escaping @Sendable (@escaping @Sendable () -> Bool, @escaping @Sendable (Int, Int) -> Void) throws ->
            String
    ) async throws -> HTTPResponse {
        let key = Self.key(parts)
        if let hit = recent.withLock({ $0.first { $0.key == key }?.answer }) {
            guard computations.admits(page: page, sequence: sequence) else { throw Self.superseded }
            return Self.json(hit)
        }
        let text: String
        do {
            text = try await computations.run(page: page, sequence: sequence, work)
        } catch is Computations.Superseded {
            throw Self.superseded
        } catch let error as ScenarioError {
            throw Refusal.invalid(error)
        } catch {
            // Engine checks, outputs that take impossible values, statistics that would not be finite.
            throw Refusal.message(422, "\(file.path): \(error)")
        }
        recent.withLock {
            $0.insert((key, text), at: 0)
            if $0.count > Self.recentCount { $0.removeLast() }
        }
        return Self.json(text)
    }

    static let superseded = Refusal.message(409, "superseded: a newer computation of this page replaced this one")

    /// The page's number for the request (`X-Effsim-Sequence`, counting its edits), nil when
    /// it sends none: see `Computations`.
    static func sequence(_ request: HTTPRequest) throws -> Int? {
        guard let text = request.headers[HTTPHeader("X-Effsim-Sequence")] else { return nil }
        guard text.count <= 18, !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(text) else {
            throw Refusal.message(
                422, "X-Effsim-Sequence must be a whole number from 0 (the page's count of its edits)")
        }
        return n
    }

    /// A request's identity for the recent answers: its kind, and each scenario's canonical
    /// document with its trials and seed.
    static func key(_ parts: [Any]) -> Data {
        var key = Data()
        for part in parts {
            if let s = part as? Scenario {
                key += Fingerprint.canonical(s.document)
            } else {
                key += Data("\(part)\u{0}".utf8)
            }
        }
        return key
    }

    func save(_ data: Data) throws -> HTTPResponse {
        do {
            try file.save(data)
        } catch EditedScenarioFile.SaveError.invalid(let error) {
            throw Refusal.invalid(error)
        } catch EditedScenarioFile.SaveError.changedOnDisk {
            throw Refusal.message(
                409,
                "\(file.path) changed on disk since it was loaded or last saved; nothing was written (reload the page to edit the file as it is now)"
            )
        } catch {
            throw Refusal.message(500, "\(file.path): \(error)")
        }
        return Self.json(JSONText.object([("saved", .string(file.path))]).text)
    }

    /// The body of a write: JSON, at most `RequestRules.maximumBody` bytes (413 beyond, read no further).
    func body(_ request: HTTPRequest) async throws -> Data {
        guard RequestRules.isJSON(request.headers[.contentType]) else {
            throw Refusal.message(415, "a write needs Content-Type: application/json")
        }
        if let count = request.bodySequence.count, count > RequestRules.maximumBody { throw Self.tooLarge }
        var data = Data()
        for try await part in request.bodySequence {
            data += part
            if data.count > RequestRules.maximumBody { throw Self.tooLarge }
        }
        return data
    }

    static let tooLarge = Refusal.message(413, "the request body is over \(RequestRules.maximumBody) bytes (1 MiB)")

    /// The page: no cache (it holds no token but is the server's own), nothing from the network.
    static let pageHeaders: HTTPHeaders = [
        .contentType: "text/html; charset=utf-8",
        .cacheControl: "no-store",
        HTTPHeader("Content-Security-Policy"):
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        HTTPHeader("X-Content-Type-Options"): "nosniff",
        HTTPHeader("Referrer-Policy"): "no-referrer",
    ]

    static func json(_ text: String) -> HTTPResponse { json(Data(text.utf8)) }

    static func json(_ data: Data, status: Int = 200) -> HTTPResponse {
        HTTPResponse(
            statusCode: HTTPStatusCode(status, phrase: phrase(status)),
            headers: [
                .contentType: "application/json", .cacheControl: "no-store",
                HTTPHeader("X-Content-Type-Options"): "nosniff",
            ],
            body: data)
    }

    static func reply(_ refusal: Refusal) -> HTTPResponse {
        var response = json(Data(refusal.body.utf8), status: refusal.status)
        // The rest of an oversized body is not read: end the connection rather than parse it as a request.
        if refusal.status == 413 { response.headers[.connection] = "close" }
        return response
    }

    static func phrase(_ status: Int) -> String {
        [
            200: "OK", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 409: "Conflict",
            413: "Payload Too Large",
            415: "Unsupported Media Type", 422: "Unprocessable Content", 500: "Internal Server Error",
        ][status] ?? "Error"
    }
}
