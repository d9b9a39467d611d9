import EffSim
import Foundation

/// A request the API refuses, with its status and JSON body: 422 with the problems as
/// `effsim validate` words them, 413 for a body over 1 MiB, and so on.
public struct Refusal: Error, Sendable {
    public var status: Int
    public var body: String

    /// `{"error": message}` with `status`.
    public static func message(_ status: Int, _ message: String) -> Refusal {
        Refusal(status: status, body: JSONText.object([("error", .string(message))]).text)
    }

    /// 422 with every problem of an invalid scenario: `validate` holds the lines `effsim
    /// validate` prints (without its `effsim: ` prefix), `problems` each one's JSON path and
    /// message, `scenario` which scenario of the request (`a` or `b` for compare) when not the only one.
    static func invalid(_ error: ScenarioError, scenario: String? = nil) -> Refusal {
        var members: [(String, JSONText)] = [("error", .string("invalid scenario"))]
        if let scenario { members.append(("scenario", .string(scenario))) }
        members += [
            ("validate", .array(error.description.split(separator: "\n").map { .string(String($0)) })),
            (
                "problems",
                .array(error.issues.map { .object([("path", .string($0.path)), ("message", .string($0.message))]) })
            ),
        ]
        return Refusal(status: 422, body: JSONText.object(members).text)
    }
}

/// The body of `POST /api/run`, `/api/compare` and `/api/sensitivity`: scenario documents, and
/// optional `trials` (default: `effsim serve --trials`) and `seed` (default: the scenario's).
struct APIRequest {
    var scenarios: [Scenario]
    var trials: Int
    var seed: UInt64?

    /// Reads `body`, whose scenarios sit under `keys` (`scenario`, or `a` and `b`); every
    /// scenario is validated as `effsim validate` validates `file`.
    static func parse(_ body: Data, keys: [String], file: String, defaultTrials: Int) throws -> APIRequest {
        let document: JSONValue
        do { document = try JSONValue.parse(body, file: file) } catch let error as ScenarioError {
            throw Refusal.invalid(error)
        }
        guard case let .object(members) = document else {
            throw Refusal.message(
                422, "the body must be a JSON object with \(keys.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        let allowed = Set(keys + ["trials", "seed"])
        if let unknown = members.first(where: { !allowed.contains($0.key) }) {
            throw Refusal.message(
                422, "unknown key \"\(unknown.key)\" (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
        let trials =
            try whole(
                document["trials"], "trials", 1...RequestRules.maximumTrials,
                rule: "from 1 to \(RequestRules.maximumTrials) per request") ?? defaultTrials
        let seed = try whole(document["seed"], "seed", 0...Int(Scenario.maximumSeed), rule: "from 0 to 2^53").map(
            UInt64.init)
        var scenarios: [Scenario] = []
        for key in keys {
            guard let value = document[key] else {
                throw Refusal.message(422, "missing \"\(key)\": the scenario document")
            }
            do { scenarios.append(try ScenarioReader.read(value, file: file)) } catch let error as ScenarioError {
                throw Refusal.invalid(error, scenario: keys.count > 1 ? key : nil)
            }
        }
        return APIRequest(scenarios: scenarios, trials: trials, seed: seed)
    }

    /// An optional whole number in `range`, else a 422 that says `rule` (never a silent clamp).
    static func whole(_ value: JSONValue?, _ key: String, _ range: ClosedRange<Int>, rule: String) throws -> Int? {
        guard let value else { return nil }
        guard case let .number(x) = value, x == x.rounded(), x >= Double(range.lowerBound),
            x <= Double(range.upperBound)
        else {
            throw Refusal.message(422, "\(key): must be a whole number \(rule)")
        }
        return Int(x)
    }

    /// The scenarios with the request's trials and seed, as `--trials` and `--seed` set them.
    var runs: [Scenario] {
        scenarios.map { s in
            var s = s
            s.trials = trials
            if let seed { s.seed = seed }
            return s
        }
    }
}
