import EffSimCore
import Foundation

/// One entry of a scenario's `imports`: another scenario whose factors and outputs the importing
/// one names as `alias.id` (`eff.compute`, `eff.moe`).
///
/// The importing `Scenario` holds the imported parts flattened into its own lists (see
/// `ImportedParts`); this entry keeps the imported scenario itself, so that the document of a run
/// (`Scenario.document`) holds every imported document and re-runs the whole model alone.
public struct ScenarioImport: Sendable, Equatable {
    /// The name expressions put before the imported ids (`as`): letters, digits and `_`,
    /// starting with a letter or `_`.
    public var alias: String
    /// The file as the importing document names it, relative to the importing file's folder.
    public var file: String
    /// The imported scenario, read and validated by its own rules, its own imports flattened.
    public var scenario: Scenario
    /// The file's path after joining the importing files' folders (`.` and `..` removed): what
    /// makes two imports the same file. Not part of the document, nor of equality.
    public var key: String

    /// Equal when the alias, the file as written and the scenario are (`key` depends on where the
    /// document was read from).
    public static func == (a: ScenarioImport, b: ScenarioImport) -> Bool {
        a.alias == b.alias && a.file == b.file && a.scenario == b.scenario
    }

    /// `{"as", "file", "scenario"}`: the entry with the imported document in it.
    var document: JSONValue {
        .object([("as", .string(alias)), ("file", .string(file)), ("scenario", scenario.document)])
    }

    /// Where each of `scenario.factors` is defined: the defining file's key and the factor's id
    /// there. Two imports of one file give the same origins, which is how it is sampled once.
    var factorOrigins: [String] {
        let s = scenario
        return s.factors.enumerated().map { k, f in
            k >= s.importedParts.factors ? "\(key)#\(f.id)" : s.importedOrigin(of: f.id, factor: true)
        }
    }

    /// Where each of `scenario.outputs` is defined, as `factorOrigins` for factors.
    var outputOrigins: [String] {
        let s = scenario
        let own = s.outputs.count - s.importedParts.outputs
        return s.outputs.enumerated().map { k, o in
            k < own ? "\(key)#\(o.id)" : s.importedOrigin(of: o.id, factor: false)
        }
    }
}

extension Scenario {
    /// The origin of the imported factor or output `name` (`eff.moe`), as its import reports it.
    func importedOrigin(of name: String, factor: Bool) -> String {
        for i in imports where name.hasPrefix(i.alias + ".") {
            let inner = String(name.dropFirst(i.alias.count + 1))
            let ids = factor ? i.scenario.factors.map(\.id) : i.scenario.outputs.map(\.id)
            if let k = ids.firstIndex(of: inner) { return (factor ? i.factorOrigins : i.outputOrigins)[k] }
        }
        return name
    }
}

/// How many entries of an importing scenario's lists come from its imports: the first
/// `factors` and `correlations`, the last `outputs` (the imported outputs its own ones use).
public struct ImportedParts: Sendable, Equatable {
    /// The imported factors, first in `Scenario.factors`.
    public var factors = 0
    /// The imported correlations, first in `Scenario.correlations`.
    public var correlations = 0
    /// The imported outputs, last in `Scenario.outputs`.
    public var outputs = 0

    /// None imported.
    public init() {}
}
