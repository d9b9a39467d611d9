import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// Reading a sweep file: its keys, the base scenario it names, and each parameter's path and values.
extension Sweep {
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
        guard case let .object(members) = doc else {
            throw SweepError(file: path, problems: ["expected an object, found \(doc.typeName)"])
        }
        for m in members where !keys.contains(m.key) {
            problems.append("unknown key \(Quoted.string(m.key)) (allowed: \(keys.sorted().joined(separator: ", ")))")
        }
        // The scenario reader's typed readers check the sweep's own keys by the same rules
        // (identifiers, free text without control characters, whole numbers within range).
        var reader = ScenarioReader()
        let fileName = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let name = doc["name"].map { reader.string($0, at: "name", pattern: .identifier) ?? fileName } ?? fileName
        let description = reader.optionalString(doc["description"], at: "description") ?? ""
        if let schema = doc["$schema"] { _ = reader.optionalString(schema, at: "$schema") }
        let trials = reader.integer(doc["trials"], at: "trials", range: 1...Scenario.maximumTrials)
        let seed = reader.integer(doc["seed"], at: "seed", range: 0...Int(Scenario.maximumSeed)).map(UInt64.init)
        problems += reader.issues.map(\.description)

        var basePath = ""
        var base: JSONValue = .null
        if case let .string(b)? = doc["base"] {
            basePath =
                b.hasPrefix("/")
                ? b : ((ParentFolder.of(path) as NSString).appendingPathComponent(b) as NSString).standardizingPath
            if let baseData = FileManager.default.contents(atPath: basePath) {
                do { base = try JSONValue.parse(baseData, file: basePath) } catch let e as ScenarioError {
                    problems.append(contentsOf: e.issues.map { "base \(basePath): \($0)" })
                }
                // The imported documents in place, so that a path can reach them (`imports[eff]...`).
                let (resolved, issues) = ImportResolver.resolve(base, file: basePath)
                base = resolved
                problems.append(contentsOf: issues.map { "base \(basePath): \($0)" })
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
            problems.append(
                "parameters: required, an array of one or two {\"path\", \"values\"} or {\"path\", \"from\", \"to\", \"steps\"}"
            )
        }
        // A path that does not fit the base document fails at every point: say so once.
        if base != .null {
            for (i, p) in parameters.enumerated() {
                do { _ = try p.path.setting(p.values[0], in: base) } catch {
                    problems.append("parameters[\(i)].path: \(error)")
                }
            }
        }
        guard problems.isEmpty else { throw SweepError(file: path, problems: problems) }
        return Sweep(
            name: name, description: description, file: path, basePath: basePath, base: base,
            trials: trials, seed: seed, parameters: parameters)
    }

    private static func parameter(_ item: JSONValue, at location: String, problems: inout [String]) -> Parameter? {
        guard case let .object(members) = item else {
            problems.append("\(location): expected an object, found \(item.typeName)")
            return nil
        }
        for m in members where !parameterKeys.contains(m.key) {
            problems.append(
                "\(location).\(m.key): unknown key (allowed: \(parameterKeys.sorted().joined(separator: ", ")))")
        }
        var path: JSONPath?
        if case let .string(text)? = item["path"] {
            do { path = try JSONPath(text) } catch { problems.append("\(location).path: \(error)") }
        } else {
            problems.append("\(location).path: required, a string such as \"factors[unpublished].distribution.ci[1]\"")
        }
        var values: [JSONValue]?
        let hasRange = item["from"] != nil || item["to"] != nil || item["steps"] != nil
        if let v = item["values"] {
            if hasRange {
                problems.append("\(location): give either values or from+to+steps, not both")
            } else if case let .array(list) = v, !list.isEmpty {
                values = list
            } else {
                problems.append("\(location).values: expected a non-empty array")
            }
        } else if case let .number(from)? = item["from"], case let .number(to)? = item["to"],
            case let .number(steps)? = item["steps"]
        {
            if steps == steps.rounded(), steps >= 2, steps <= 10_000 {
                let n = Int(steps)
                values = (0..<n).map { k in
                    let x = from + (to - from) * Double(k) / Double(n - 1)
                    return .number(Double(String(format: "%.12g", x))!)
                }
            } else {
                problems.append("\(location).steps: must be a whole number from 2 to 10000")
            }
        } else {
            problems.append("\(location): give \"values\" or numbers \"from\", \"to\" and \"steps\"")
        }
        guard let path, let values else { return nil }
        return Parameter(path: path, values: values)
    }
}
