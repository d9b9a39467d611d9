import FlyingFox
import FlyingSocks
import Foundation

/// A running `effsim serve`: the HTTP server (FlyingFox) with its handler, listening, and the
/// page's URL with its token.
public struct ServeServer: Sendable {
    public let server: HTTPServer
    public let handler: ServeHandler
    /// `http://127.0.0.1:PORT/?token=TOKEN` (the bound address when not loopback).
    public let url: String
    /// The port the server got (the one asked for, or a free one for 0).
    public let port: Int

    /// Seconds a connection may sit idle before the server closes it, so a stuck client cannot
    /// hold a connection open.
    public static let idleTimeout: TimeInterval = 15

    /// Binds `host:port` (0: a free port) and starts serving `file`; returns once it listens.
    /// Throws the bind error (say, a port in use).
    public static func start(file: EditedScenarioFile, host: String, port: UInt16, trials: Int, threads: Int)
        async throws -> ServeServer
    {
        let token = RequestRules.newToken()
        let handler = ServeHandler(
            file: file, rules: RequestRules(token: token, hosts: []), defaultTrials: trials, threads: threads)
        let bound = host == "localhost" ? "127.0.0.1" : host
        let address: any SocketAddress =
            bound.contains(":")
            ? try sockaddr_in6.inet6(ip6: bound, port: port) : try sockaddr_in.inet(ip4: bound, port: port)
        let server = HTTPServer(
            address: address, timeout: idleTimeout, logger: DisabledLogger.disabled, handler: handler)
        let running = Task { try await server.run() }
        do {
            try await server.waitUntilListening()
        } catch {
            running.cancel()
            try await running.value
            throw error
        }
        guard let listening = await server.listeningAddress else {
            throw ServeError(description: "the server stopped as it started")
        }
        let got: Int
        switch listening {
        case let .ip4(_, p), let .ip6(_, p): got = Int(p)
        default: throw ServeError(description: "the server is not on an IP address")
        }
        handler.listening(host: host, port: got)
        let shown = bound.contains(":") ? "[\(bound)]" : bound
        return ServeServer(server: server, handler: handler, url: "http://\(shown):\(got)/?token=\(token)", port: got)
    }
}

/// The server could not start.
public struct ServeError: Error, CustomStringConvertible, Sendable {
    public var description: String
}
