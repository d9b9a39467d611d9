import Foundation

/// A batch of runs over a grid of edited scenarios (`effsim sweep`).
///
/// A sweep file names a base scenario (relative to the sweep file) and one or two parameters, each
/// a `JSONPath` into the base document with the values it takes: a list (`"values"`) or an evenly
/// spaced range (`"from"`, `"to"`, `"steps"`, inclusive, each value rounded to 12 significant
/// digits). The grid is the full product, the first parameter varying slowest. Every point is
/// edited and validated by `ScenarioReader` before any is sampled. Optional `"trials"` and
/// `"seed"` apply to every point; one seed for all points (common random numbers) keeps the
/// differences between points free of most sampling noise.
public struct Sweep: Sendable {
    public struct Parameter: Sendable {
        public var path: JSONPath
        public var values: [JSONValue]
    }

    /// One grid point: the parameters' values (in parameter order) and the validated scenario.
    public struct Point: Sendable {
        public var values: [JSONValue]
        public var scenario: Scenario
    }

    public var name: String
    public var description: String
    /// The sweep file, as given.
    public var file: String
    /// The base scenario file, resolved against the sweep file's folder.
    public var basePath: String
    public var base: JSONValue
    public var trials: Int?
    public var seed: UInt64?
    public var parameters: [Parameter]

    static let keys: Set<String> = ["$schema", "name", "description", "base", "trials", "seed", "parameters"]
    static let parameterKeys: Set<String> = ["path", "values", "from", "to", "steps"]

    /// Reads a sweep file and its base scenario document; lists every problem of the sweep file.
    public static func load(path: String) throws -> Sweep {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SweepError(file: path, problems: ["cannot read the file (missing or not readable)"])
        }
        let doc: JSONValue
        do { doc = try JSONValue.parse(data, file: path) } catch let e as ScenarioError {
            throw SweepError(file: path, problems: e.issues.map(\.description))
        }
        var problems: [String] = []
        guard case let .object(members) = doc else { throw SweepError(file: path, problems: ["expected an object, found \(doc.typeName)"]) }
        for m in members where !keys.contains(m.key) {
            problems.append("unknown key \(Quoted.string(m.key)) (allowed: \(keys.sorted().joined(separator: ", ")))")
        }
        let fileName = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var name = fileName
        if let n = doc["name"] {
            if case let .string(s) = n, !s.isEmpty, !s.contains("/") { name = s } else { problems.append("name: expected a non-empty string without '/'") }
        }
        var description = ""
        if let d = doc["description"] {
            if case let .string(s) = d { description = s } else { problems.append("description: expected a string") }
        }
        func whole(_ key: String, _ range: ClosedRange<Int>) -> Int? {
            guard let v = doc[key] else { return nil }
            guard case let .number(x) = v, x == x.rounded(), x >= Double(range.lowerBound), x <= Double(range.upperBound) else {
                problems.append("\(key): must be a whole number from \(range.lowerBound) to \(range.upperBound)")
                return nil
            }
            return Int(x)
        }
        let trials = whole("trials", 1...Scenario.maximumTrials)
        let seed = whole("seed", 0...Int(Scenario.maximumSeed)).map(UInt64.init)

        var basePath = ""
        var base: JSONValue = .null
        if case let .string(b)? = doc["base"] {
            basePath = b.hasPrefix("/") ? b : (((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(b) as NSString).standardizingPath
            if let baseData = FileManager.default.contents(atPath: basePath) {
                do { base = try JSONValue.parse(baseData, file: basePath) } catch let e as ScenarioError {
                    problems.append(contentsOf: e.issues.map { "base \(basePath): \($0)" })
                }
            } else {
                problems.append("base: cannot read \(basePath)")
            }
        } else {
            problems.append("base: required, a string naming the scenario file to edit (relative to the sweep file)")
        }

        var parameters: [Parameter] = []
        if case let .array(items)? = doc["parameters"], (1...2).contains(items.count) {
            for (i, item) in items.enumerated() {
                if let p = parameter(item, at: "parameters[\(i)]", problems: &problems) { parameters.append(p) }
            }
            if parameters.count == 2 && parameters[0].path.description == parameters[1].path.description {
                problems.append("parameters[1].path: the same path as parameters[0]")
            }
        } else {
            problems.append("parameters: required, an array of one or two {\"path\", \"values\"} or {\"path\", \"from\", \"to\", \"steps\"}")
        }
        // A path that does not fit the base document fails at every point: say so once.
        if base != .null {
            for (i, p) in parameters.enumerated() {
                do { _ = try p.path.setting(p.values[0], in: base) } catch { problems.append("parameters[\(i)].path: \(error)") }
            }
        }
        guard problems.isEmpty else { throw SweepError(file: path, problems: problems) }
        return Sweep(name: name, description: description, file: path, basePath: basePath, base: base,
                     trials: trials, seed: seed, parameters: parameters)
    }

    private static func parameter(_ item: JSONValue, at where_: String, problems: inout [String]) -> Parameter? {
        guard case let .object(members) = item else {
            problems.append("\(where_): expected an object, found \(item.typeName)")
            return nil
        }
        for m in members where !parameterKeys.contains(m.key) {
            problems.append("\(where_).\(m.key): unknown key (allowed: \(parameterKeys.sorted().joined(separator: ", ")))")
        }
        var path: JSONPath?
        if case let .string(text)? = item["path"] {
            do { path = try JSONPath(text) } catch { problems.append("\(where_).path: \(error)") }
        } else {
            problems.append("\(where_).path: required, a string such as \"factors[unpublished].distribution.ci[1]\"")
        }
        var values: [JSONValue]?
        let hasRange = item["from"] != nil || item["to"] != nil || item["steps"] != nil
        if let v = item["values"] {
            if hasRange {
                problems.append("\(where_): give either values or from+to+steps, not both")
            } else if case let .array(list) = v, !list.isEmpty {
                values = list
            } else {
                problems.append("\(where_).values: expected a non-empty array")
            }
        } else if case let .number(from)? = item["from"], case let .number(to)? = item["to"], case let .number(steps)? = item["steps"] {
            if steps == steps.rounded(), steps >= 2, steps <= 10_000 {
                let n = Int(steps)
                values = (0..<n).map { k in
                    let x = from + (to - from) * Double(k) / Double(n - 1)
                    return .number(Double(String(format: "%.12g", x))!)
                }
            } else {
                problems.append("\(where_).steps: must be a whole number from 2 to 10000")
            }
        } else {
            problems.append("\(where_): give \"values\" or numbers \"from\", \"to\" and \"steps\"")
        }
        guard let path, let values else { return nil }
        return Parameter(path: path, values: values)
    }

    /// The default ceiling on the grid size (`effsim sweep --max-points` raises it): each point
    /// is a validated scenario in memory and a run.
    public static let defaultMaximumPoints = 10_000

    /// The number of grid points, without building the grid (saturating at Int.max).
    public var pointCount: Int {
        parameters.reduce(1) { n, p in
            let (product, overflow) = n.multipliedReportingOverflow(by: p.values.count)
            return overflow ? .max : product
        }
    }

    /// The grid: every combination of parameter values, the first parameter varying slowest.
    public var grid: [[JSONValue]] {
        parameters.reduce([[]]) { partial, p in partial.flatMap { prefix in p.values.map { prefix + [$0] } } }
    }

    /// `path=value, ...` for messages.
    public func label(_ values: [JSONValue]) -> String {
        zip(parameters, values).map { "\($0.path)=\(Sweep.text($1))" }.joined(separator: ", ")
    }

    /// A parameter value as a CSV field: numbers as written in JSON, strings bare, others as JSON.
    public static func text(_ v: JSONValue) -> String {
        switch v {
        case let .number(x): return formatNumber(x)
        case let .string(s): return s
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        default:
            return String(decoding: v.canonicalData, as: UTF8.self)
        }
    }

    /// Edits, validates and checks every grid point before any is sampled; throws a `SweepError`
    /// listing each bad point's parameter values and all its problems.
    public func points(trials trialsOverride: Int? = nil, options: RunOptions = RunOptions(),
                       maximumPoints: Int = Sweep.defaultMaximumPoints) throws -> [Point] {
        guard pointCount <= maximumPoints else {
            let sizes = parameters.map { String($0.values.count) }.joined(separator: " × ")
            throw SweepError(file: file, problems: ["the grid has \(sizes) = \(pointCount) points, more than the limit of \(maximumPoints) (raise it with --max-points)"])
        }
        var problems: [String] = []
        var result: [Point] = []
        var columns: [String]?
        for values in grid {
            let point = "point \(label(values))"
            var doc = base
            do {
                for (p, v) in zip(parameters, values) { doc = try p.path.setting(v, in: doc) }
            } catch {
                problems.append("\(point): \(error)")
                continue
            }
            var scenario: Scenario
            do { scenario = try ScenarioReader.read(doc, file: basePath) } catch let e as ScenarioError {
                problems.append(contentsOf: e.issues.map { "\(point): \(basePath): \($0)" })
                continue
            }
            if let t = trialsOverride ?? trials { scenario.trials = t }
            if let seed { scenario.seed = seed }
            do { try Engine.check(scenario, options) } catch { problems.append("\(point): \(error)") }
            if columns == nil { columns = scenario.statisticColumns }
            if scenario.statisticColumns != columns {
                problems.append("\(point): its statistics columns (\(scenario.statisticColumns.joined(separator: ","))) differ from the first point's; sweep percentiles or thresholds in separate sweeps")
            }
            result.append(Point(values: values, scenario: scenario))
        }
        guard problems.isEmpty else { throw SweepError(file: file, problems: problems) }
        return result
    }

    /// Samples every point in grid order; `progress` hears (points done, points).
    public func run(_ points: [Point], options: RunOptions = RunOptions(),
                    progress: ((Int, Int) -> Void)? = nil) throws -> [SweepRow] {
        var rows: [SweepRow] = []
        for (k, point) in points.enumerated() {
            let state = try Engine.run(point.scenario, options: options)
            for r in MetricLayout(point.scenario).rows(state.metrics) where r.kind == .output {
                rows.append(SweepRow(values: point.values, summary: r))
            }
            progress?(k + 1, points.count)
        }
        return rows
    }
}

/// One line of sweep.csv: a grid point's parameter values and one output's summary row.
public struct SweepRow: Sendable {
    public var values: [JSONValue]
    public var summary: SummaryRow
}

/// A sweep file that was refused, or grid points that do not validate.
public struct SweepError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var problems: [String]

    public var description: String {
        let head = "\(file): invalid sweep (\(problems.count) problem\(problems.count == 1 ? "" : "s"))"
        return ([head] + problems.map { "\(file): \($0)" }).joined(separator: "\n")
    }
}
