import CGSL
import EffSim
import Foundation
import Testing

/// `effsim sweep`: grids of edited scenarios into one tidy sweep.csv.
@Suite struct SweepTests {
    static let base = """
    {"name": "b", "trials": 100000, "seed": 3, "floor": null, "percentiles": [10, 50, 90], "thresholds": [5],
     "factors": [{"id": "x", "group": "g", "distribution": {"type": "lognormal", "median": 2, "sigma": 0.5}},
                 {"id": "y", "group": "h", "distribution": {"type": "lognormal", "median": 1, "sigma": 0.2}}],
     "outputs": [{"id": "both", "groups": ["g", "h"]}, {"id": "xonly", "groups": ["g"]}]}
    """

    /// A folder holding base.json and sweeps/s.json (the base named relative to the sweep file).
    static func sweepFolder(_ sweep: String) throws -> URL {
        let dir = try Support.temporaryDirectory()
        try base.write(to: dir.appendingPathComponent("base.json"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sweeps"), withIntermediateDirectories: true)
        try sweep.write(to: dir.appendingPathComponent("sweeps/s.json"), atomically: true, encoding: .utf8)
        return dir
    }

    static func csv(_ url: URL) throws -> [[String]] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// One parameter over a range: the header names the path as written, then metric and the summary
    /// columns; a row per point and output; xonly's p50 is the closed-form median of x within
    /// five standard errors (1.2533 sigma / sqrt(n) in log space).
    @Test func oneParameterMatchesClosedForm() throws {
        let dir = try Self.sweepFolder("""
        {"base": "../base.json", "parameters": [{"path": "factors[x].distribution.median", "from": 2, "to": 8, "steps": 4}]}
        """)
        let out = dir.appendingPathComponent("out")
        let r = try Support.effsim(["sweep", dir.appendingPathComponent("sweeps/s.json").path, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("s: 4 points of \(dir.path)/base.json, 100000 trials each, seed 3"))
        let rows = try Self.csv(out.appendingPathComponent("sweep.csv"))
        #expect(rows[0] == ["factors[x].distribution.median", "metric", "mean", "p10", "p50", "p90", "p_gt_5", "floor_share"])
        #expect(rows.dropFirst().map { "\($0[0]) \($0[1])" } == ["2 both", "2 xonly", "4 both", "4 xonly", "6 both", "6 xonly", "8 both", "8 xonly"])
        let tolerance = 5 * 1.2533 * 0.5 / Double(100_000).squareRoot()
        for row in rows.dropFirst() where row[1] == "xonly" {
            #expect(abs(log(Double(row[4])!) - log(Double(row[0])!)) < tolerance, "\(row)")
            #expect(row[7] == "")
        }
    }

    /// Two parameters: the full grid, the first varying slowest; "trials" in the sweep file
    /// overrides the base; the same seed at every point.
    @Test func twoParametersMakeTheFullGrid() throws {
        let dir = try Self.sweepFolder("""
        {"name": "grid", "base": "../base.json", "trials": 5000,
         "parameters": [{"path": "factors[*].distribution.sigma", "values": [0.1, 0.3, 0.5]},
                        {"path": "factors[y].distribution.median", "values": [1, 4]}]}
        """)
        let sweep = try Sweep.load(path: dir.appendingPathComponent("sweeps/s.json").path)
        let points = try sweep.points()
        #expect(points.map { sweep.label($0.values) } == [
            "factors[*].distribution.sigma=0.1, factors[y].distribution.median=1",
            "factors[*].distribution.sigma=0.1, factors[y].distribution.median=4",
            "factors[*].distribution.sigma=0.3, factors[y].distribution.median=1",
            "factors[*].distribution.sigma=0.3, factors[y].distribution.median=4",
            "factors[*].distribution.sigma=0.5, factors[y].distribution.median=1",
            "factors[*].distribution.sigma=0.5, factors[y].distribution.median=4",
        ])
        #expect(points.allSatisfy { $0.scenario.trials == 5000 && $0.scenario.seed == 3 })
        #expect(try points[5].scenario.factors[0].distribution == .logNormal(median: 2, sigma: 0.5))
        #expect(try points[5].scenario.factors[1].distribution == .logNormal(median: 4, sigma: 0.5))
        let rows = try sweep.run(points, options: RunOptions(threads: 1))
        #expect(rows.count == 12)
        let header = SweepCSV.header(sweep, scenario: points[0].scenario)
        #expect(header.prefix(3) == ["factors[*].distribution.sigma", "factors[y].distribution.median", "metric"])
    }

    /// Every point is validated before any is sampled; each bad one is reported with its values and
    /// the rule it breaks, and nothing is written.
    @Test func badPointsAreAllReportedBeforeSampling() throws {
        let dir = try Self.sweepFolder("""
        {"base": "../base.json", "parameters": [{"path": "factors[x].distribution.sigma", "values": [0.5, -1, 0, "wide"]}]}
        """)
        let out = dir.appendingPathComponent("out")
        let file = dir.appendingPathComponent("sweeps/s.json").path
        let r = try Support.effsim(["sweep", file, "--out", out.path])
        #expect(r.status == 2)
        let base = dir.appendingPathComponent("base.json").path
        #expect(r.stderr == """
        effsim: \(file): invalid sweep (3 problems)
        effsim: \(file): point factors[x].distribution.sigma=-1: \(base): factors[0].distribution.sigma: must be > 0 (got -1)
        effsim: \(file): point factors[x].distribution.sigma=0: \(base): factors[0].distribution.sigma: must be > 0 (got 0)
        effsim: \(file): point factors[x].distribution.sigma=wide: \(base): factors[0].distribution.sigma: expected a number, found a string "wide" (write numbers without quotes)

        """)
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    /// Problems of the sweep file itself are listed together.
    @Test func badSweepFileIsRefused() throws {
        let dir = try Self.sweepFolder("""
        {"base": "../missing.json", "extra": 1,
         "parameters": [{"path": "factors[x", "values": [1]}, {"path": "trials", "from": 1, "to": 2, "steps": 1}]}
        """)
        let file = dir.appendingPathComponent("sweeps/s.json").path
        let r = try Support.effsim(["sweep", file])
        #expect(r.status == 2)
        for message in ["unknown key \"extra\"", "base: cannot read \(dir.path)/missing.json",
                        "parameters[0].path: path \"factors[x\": '[' without ']'", "parameters[1].steps: must be a whole number from 2 to 10000"] {
            #expect(r.stderr.contains("\(file): \(message)"), "\(message)")
        }
        let unknownPath = try Self.sweepFolder("""
        {"base": "../base.json", "parameters": [{"path": "factors[nope].distribution.sigma", "values": [1, 2, 3]}]}
        """)
        let r2 = try Support.effsim(["sweep", unknownPath.appendingPathComponent("sweeps/s.json").path])
        #expect(r2.status == 2)
        #expect(r2.stderr.contains("s.json: parameters[0].path: path \"factors[nope].distribution.sigma\": factors has no element with id \"nope\" (ids: x, y)\n"))
        #expect(r2.stderr.components(separatedBy: "no element with id").count == 2)
    }

    /// The sweep file's own keys follow the scenario's rules: an id-like name, free text without
    /// control characters, whole numbers in range (the sweep reader borrows the scenario reader's).
    @Test func sweepKeysFollowTheScenarioRules() throws {
        let dir = try Self.sweepFolder("""
        {"base": "../base.json", "name": "a b/c", "description": "x\\u001b[2J", "trials": 0, "seed": 1.5,
         "parameters": [{"path": "seed", "values": [1, 2]}]}
        """)
        let file = dir.appendingPathComponent("sweeps/s.json").path
        let r = try Support.effsim(["sweep", file])
        #expect(r.status == 2)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        for prefix in ["name: \"a b/c\" must be a non-empty name", "description: holds the control character U+001B",
                       "trials: must be a whole number from 1 to 1000000000000 (got 0)", "seed: must be a whole number from 0 to 9007199254740992 (got 1.5)"] {
            #expect(lines.contains { $0.hasPrefix("effsim: \(file): \(prefix)") }, "\(prefix) in \(lines)")
        }
    }

    /// The shipped sweeps (one make target each) load and every point of each validates.
    @Test(arguments: [("unpublished-upper", 16), ("ci-level", 2), ("data-quality-width", 11)])
    func shippedSweepsValidate(name: String, points: Int) throws {
        let sweep = try Sweep.load(path: Support.scenarioPath("sweeps/\(name).json"))
        #expect(sweep.name == name)
        #expect(try sweep.points().count == points)
    }

    /// ci-level sets the level of every factor given by a CI and leaves `unpublished` (median and
    /// sigma) alone: at 0.9, transformer_pp's sigma is ln(6/1.25) / (2 z_0.95).
    @Test func ciLevelSweepEditsEveryCIFactor() throws {
        let sweep = try Sweep.load(path: Support.scenarioPath("sweeps/ci-level.json"))
        let at90 = try sweep.points()[1].scenario
        let z95 = gsl_cdf_ugaussian_Pinv(0.95)
        guard case let .logNormal(t) = at90.factors[0].distribution, case let .logNormal(u) = at90.factors[2].distribution,
              case let .normal(h) = at90.factors[5].distribution else { Issue.record("types changed"); return }
        #expect(t.parameters == .ci(low: 1.25, high: 6, level: 0.9))
        #expect(abs(t.sigma - log(6 / 1.25) / (2 * z95)) < 1e-15 && abs(t.mu - log(1.25 * 6) / 2) < 1e-15)
        #expect(u.parameters == .median(3.5, sigma: 0.8425) && u.sigma == 0.8425)
        #expect(h.parameters == .ci(low: 1.7, high: 3.3, level: 0.9) && h.lower == 0 && h.upper == 4.7)
        #expect(abs(h.mean - 2.5) < 1e-15 && abs(h.sd - 1.6 / (2 * z95)) < 1e-15)
    }
}
