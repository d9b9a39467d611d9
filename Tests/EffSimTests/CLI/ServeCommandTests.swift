import EffSim
import FlyingFox
import FlyingSocks
import Foundation
import Testing

/// `effsim serve` end to end, over loopback with FlyingFox's own client: the URL on the first
/// line of stdout (through a pipe), the token, SIGTERM and SIGINT, the non-loopback warning, and
/// an invalid file refused before serving.
@Suite struct ServeCommandTests {
    /// A running `effsim serve` on a copy of seed-2024.json, and the URL it printed first.
    struct Served {
        var process: Process
        var url: String
        var port: UInt16
        var token: String
        var stderr: Pipe
        var file: URL
    }

    /// `host` is the address the URL names (`--host`, default 127.0.0.1).
    static func serve(_ extra: [String] = [], host: String = "127.0.0.1") throws -> Served {
        let folder = try Support.temporaryDirectory()
        let file = folder.appendingPathComponent("seed-2024.json")
        try FileManager.default.copyItem(atPath: Support.scenarioPath("seed-2024.json"), toPath: file.path)
        let p = Process()
        p.executableURL = Support.binary
        p.arguments = ["serve", file.path, "--no-browser"] + extra
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // The first line, read byte by byte: it must arrive at once, though stdout is a pipe.
        var line = Data()
        while true {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line += byte
        }
        let url = String(decoding: line, as: UTF8.self)
        let parts = url.hasPrefix("http://\(host):") ? url.dropFirst("http://\(host):".count).split(separator: "/?token=", maxSplits: 1) : []
        guard parts.count == 2, let port = UInt16(parts[0]), parts[1].count == 64, parts[1].allSatisfy(\.isHexDigit), parts[1] == parts[1].lowercased() else {
            p.terminate()
            throw ServeTestError(description: "first line is not the URL: \(url)")
        }
        return Served(process: p, url: url, port: port, token: String(parts[1]), stderr: err, file: file)
    }

    struct ServeTestError: Error, CustomStringConvertible {
        var description: String
    }

    static func get(_ served: Served, _ path: String, token: String?, host: String? = nil) async throws -> (status: Int, body: Data) {
        var headers = HTTPHeaders()
        headers[.host] = host ?? "127.0.0.1:\(served.port)"
        headers[.connection] = "close"
        let query = token.map { [HTTPRequest.QueryItem(name: "token", value: $0)] } ?? []
        var client = HTTPClient()
        let response = try await client.sendHTTPRequest(
            HTTPRequest(method: .GET, version: .http11, path: path, query: query, headers: headers, body: HTTPBodySequence()),
            to: try sockaddr_in.inet(ip4: "127.0.0.1", port: served.port))
        return (response.statusCode.code, try await response.bodyData)
    }

    static func stop(_ served: Served, _ signal: Int32) -> (status: Int32, stderr: String) {
        kill(served.process.processIdentifier, signal)
        served.process.waitUntilExit()
        let err = served.stderr.fileHandleForReading.readDataToEndOfFile()
        return (served.process.terminationStatus, String(decoding: err, as: UTF8.self))
    }

    @Test func theFirstLineIsTheURLAndTheTokenOpensThePage() async throws {
        let served = try Self.serve()
        let page = try await Self.get(served, "/", token: served.token)
        #expect(page.status == 200)
        #expect(String(decoding: page.body, as: UTF8.self).contains("<title>effsim serve</title>"))
        let scenario = try await Self.get(served, "/api/scenario", token: served.token)
        #expect(scenario.status == 200)
        #expect(scenario.body == (try Data(contentsOf: served.file)))
        #expect(try await Self.get(served, "/api/scenario", token: nil).status == 403)
        #expect(try await Self.get(served, "/api/scenario", token: served.token, host: "rebound.example:\(served.port)").status == 403)
        let stopped = Self.stop(served, SIGTERM)
        #expect(stopped.status == 0)
        #expect(stopped.stderr == "effsim: serve stopped\n")
    }

    @Test func ctrlCStopsItCleanlyAndEachStartHasItsOwnToken() async throws {
        let first = try Self.serve(), second = try Self.serve()
        #expect(first.token != second.token)
        #expect(first.port != second.port)
        // One server's token does not open the other.
        #expect(try await Self.get(second, "/api/scenario", token: first.token).status == 403)
        for served in [first, second] {
            let stopped = Self.stop(served, SIGINT)
            #expect(stopped.status == 0)
            #expect(stopped.stderr == "effsim: serve stopped\n")
        }
    }

    @Test func aHostOtherThanLoopbackIsWarnedAbout() async throws {
        let served = try Self.serve(["--host", "0.0.0.0"], host: "0.0.0.0")
        let stopped = Self.stop(served, SIGTERM)
        #expect(stopped.stderr.hasPrefix("effsim: warning: --host 0.0.0.0 is not a loopback address: anyone who can reach this port and has the token can read and write \(served.file.path)\n"))
    }

    @Test func anInvalidFileIsRefusedBeforeServing() throws {
        let folder = try Support.temporaryDirectory()
        let file = folder.appendingPathComponent("bad.json")
        try #"{"name": "bad", "factors": [{"id": "x", "group": "g", "distribution": {"type": "lognormal", "ci": [6, 1.25], "level": 0.8}}]}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let r = try Support.effsim(["serve", file.path, "--no-browser"])
        #expect(r.status == 2)
        #expect(r.stdout == "")
        let validate = try Support.effsim(["validate", file.path])
        #expect(r.stderr == validate.stderr)
        #expect(r.stderr.contains("factors[0].distribution.ci: low end 6 must be below high end 1.25"))
    }

    @Test func badOptionsAreUsageErrors() throws {
        let r = try Support.effsim(["serve", Support.scenarioPath("seed-2024.json"), "--trials", "10000001"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("effsim: --trials must be from 1 to 10000000\n"))
    }
}
