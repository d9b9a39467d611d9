import Foundation

/// Who may use the server, and how much one request may ask: a local server is still a server.
///
/// - Every request carries the token, in the query (`?token=`) or as `Authorization: Bearer`.
/// - `Host` names the server's own address and port, so a page elsewhere cannot reach it by DNS
///   rebinding (its requests would say its own host name).
/// - An `Origin`, when sent, is the server's own; writes (POST, PUT) say `application/json`,
///   which another site's form cannot send without the browser asking first.
/// - A body is at most 1 MiB; trials per request at most 10^7 (more is refused, never clamped).
public struct RequestRules: Sendable {
    /// Random per start, from the system's secure generator.
    public let token: String
    /// `Host` values that name this server: `127.0.0.1:PORT` and `localhost:PORT` on loopback.
    public let hosts: Set<String>

    /// The largest request body, 1 MiB.
    public static let maximumBody = 1 << 20
    /// The most trials one request may ask for: the page's "precise" action runs 10^7.
    public static let maximumTrials = 10_000_000

    public init(token: String, hosts: Set<String>) {
        self.token = token
        self.hosts = hosts
    }

    /// 32 bytes from the system's secure generator, as 64 hexadecimal digits.
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Loopback addresses: a server bound to one of them is reachable from this machine only.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// The `Host` values of a server bound to `host` and `port`.
    public static func hosts(host: String, port: Int) -> Set<String> {
        let bound = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        return isLoopback(host) ? [bound, "127.0.0.1:\(port)", "localhost:\(port)"] : [bound]
    }

    /// Why a request is refused before anything is done (403), or nil. `query` is the `token`
    /// query parameter, `authorization` the header.
    public func refusal(host: String?, origin: String?, query: String?, authorization: String?) -> String? {
        guard let host, hosts.contains(host.lowercased()) else {
            return "the Host header must name this server (\(hosts.sorted().joined(separator: " or ")))"
        }
        if let origin, !hosts.contains(where: { "http://\($0)" == origin.lowercased() }) {
            return "requests from another origin (\(origin)) are refused"
        }
        let bearer = authorization.flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard [query, bearer].contains(where: { $0.map(matches) ?? false }) else {
            return "a valid token is needed (the ?token= of the URL effsim serve printed, or Authorization: Bearer)"
        }
        return nil
    }

    /// Whether `given` is the token, in time that does not depend on where they first differ.
    func matches(_ given: String) -> Bool {
        let a = Array(given.utf8)
        let b = Array(token.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Whether a write's `Content-Type` is JSON (`application/json`, with parameters or not).
    public static func isJSON(_ contentType: String?) -> Bool {
        guard let type = contentType?.split(separator: ";").first else { return false }
        return type.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }
}
