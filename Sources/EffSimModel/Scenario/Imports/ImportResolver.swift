import EffSimCore
import Foundation

/// Puts every imported document into the document that imports it: an entry of `imports` that
/// names a `file` and holds no `"scenario"` gets that file, parsed, as its `"scenario"`, and so on
/// down the imports of imports. What `ScenarioReader` reads, what a sweep edits
/// (`imports[eff].factors[moe]...`) and what `run.json` records is this resolved document.
///
/// A missing or unreadable file, a file that is not JSON, an import cycle and imports nested
/// deeper than ``maximumDepth`` are refused here, each at the JSON path of the entry's `file`.
public enum ImportResolver {
    /// The deepest chain of imports: a scenario's imports are at depth 1, theirs at 2, ...
    public static let maximumDepth = 8

    /// The document with every import's document filled in, and what stopped any of them.
    public static func resolve(_ document: JSONValue, file: String) -> (JSONValue, [ValidationIssue]) {
        var issues: [ValidationIssue] = []
        let resolved = resolve(document, file: file, chain: [key(file, from: "")], issues: &issues)
        return (resolved, issues)
    }

    /// The key of `file` named in a document read from `importer`: the joined path, `.` and `..` removed.
    package static func key(_ file: String, from importer: String) -> String {
        let joined =
            file.hasPrefix("/") || importer.isEmpty
            ? file : (ParentFolder.of(importer).isEmpty ? file : ParentFolder.of(importer) + "/" + file)
        var parts: [Substring] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            parts.append(part)
        }
        return (joined.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    private static func resolve(_ document: JSONValue, file: String, chain: [String], issues: inout [ValidationIssue])
        -> JSONValue
    {
        guard case var .object(members) = document,
            let at = members.lastIndex(where: { $0.key == "imports" }),
            case var .array(entries) = members[at].value
        else { return document }
        for (i, entry) in entries.enumerated() {
            guard case var .object(fields) = entry, case let .string(name)? = entry["file"] else { continue }
            let path = "imports[\(i)].file"
            let importKey = key(name, from: file)
            guard chain.count <= maximumDepth else {
                issues.append(
                    ValidationIssue(
                        path: path,
                        message:
                            "imports nest deeper than \(maximumDepth) (\(chain.map(Quoted.path).joined(separator: " -> ")) -> \(Quoted.path(importKey))); import fewer levels"
                    ))
                continue
            }
            var imported: JSONValue
            if let inline = entry["scenario"] {
                imported = inline
            } else {
                if chain.contains(importKey) {
                    issues.append(
                        ValidationIssue(
                            path: path,
                            message:
                                "an import cycle: \((chain + [importKey]).map(Quoted.path).joined(separator: " -> ")); a scenario cannot import itself, directly or through others"
                        ))
                    continue
                }
                guard let data = FileManager.default.contents(atPath: importKey) else {
                    issues.append(
                        ValidationIssue(
                            path: path,
                            message:
                                "cannot read \(Quoted.path(importKey)) (missing or not readable; a path is relative to the importing file's folder)"
                        ))
                    continue
                }
                do {
                    let (parsed, problems) = try JSONValue.parseListingProblems(data, file: importKey)
                    issues += problems.map { ValidationIssue(path: path, message: "\(Quoted.path(importKey)): \($0)") }
                    imported = parsed
                } catch let e as ScenarioError {
                    issues += e.issues.map { ValidationIssue(path: path, message: "\(Quoted.path(importKey)): \($0)") }
                    continue
                } catch {
                    issues.append(ValidationIssue(path: path, message: "\(Quoted.path(importKey)): \(error)"))
                    continue
                }
            }
            var inner: [ValidationIssue] = []
            imported = resolve(imported, file: importKey, chain: chain + [importKey], issues: &inner)
            issues += inner.map { ValidationIssue(path: "imports[\(i)]", message: "\(Quoted.path(importKey)): \($0)") }
            fields.removeAll { $0.key == "scenario" }
            fields.append(("scenario", imported))
            entries[i] = .object(fields)
        }
        members[at].value = .array(entries)
        return .object(members)
    }
}
