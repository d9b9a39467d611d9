import EffSimCore
import EffSimModel
import EffSimSampling
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
    /// One varied parameter: where it is in the base document and the values it takes.
    public struct Parameter: Sendable {
        /// The place in the base scenario document that the values replace.
        public var path: JSONPath
        /// The values it takes, in order (a list as written, or a range expanded).
        public var values: [JSONValue]
    }

    /// One grid point: the parameters' values (in parameter order) and the validated scenario.
    public struct Point: Sendable {
        /// The parameters' values at this point, in parameter order.
        public var values: [JSONValue]
        /// The base document with this point's values, validated, with the sweep's trials and seed.
        public var scenario: Scenario
    }

    /// Names the default output folder `results/sweeps/<name>`; the file's name unless given.
    public var name: String
    /// Free text from the sweep file.
    public var description: String
    /// The sweep file, as given.
    public var file: String
    /// The base scenario file, resolved against the sweep file's folder.
    public var basePath: String
    /// The base scenario document, as read.
    public var base: JSONValue
    /// Trials for every point, when the sweep file sets them (else each point's own).
    public var trials: Int?
    /// The seed of every point, when the sweep file sets it.
    public var seed: UInt64?
    /// One or two parameters; the first varies slowest in the grid.
    public var parameters: [Parameter]
}
