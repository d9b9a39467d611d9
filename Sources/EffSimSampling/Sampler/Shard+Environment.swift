import EffSimCore
import EffSimModel
import Foundation

/// `--shard auto/N`: K taken from the array index a batch scheduler gives each task of a job
/// array, so one job script serves every task.
extension Shard {
    /// An environment variable that carries a job array's task index, and how it maps to K.
    public struct ArrayIndexVariable: Sendable {
        /// The variable's name.
        public var name: String
        /// Added to the index to give K: 0 for Slurm's ids (submitted as `--array=1-N`), 1 for
        /// the 0-based indices of Kubernetes, AWS Batch and HTCondor's `$(Process)`.
        public var offset: Int
        /// Who sets it, for messages and docs.
        public var scheduler: String
    }

    /// The variables `auto/N` reads, in this order. HTCondor sets no variable of its own: its
    /// submit file passes `$(Process)` in as `EFFSIM_ARRAY_INDEX` (`environment = "EFFSIM_ARRAY_INDEX=$(Process)"`).
    public static let arrayIndexVariables = [
        ArrayIndexVariable(name: "SLURM_ARRAY_TASK_ID", offset: 0, scheduler: "Slurm, --array=1-N"),
        ArrayIndexVariable(name: "JOB_COMPLETION_INDEX", offset: 1, scheduler: "a Kubernetes Indexed Job, 0-based"),
        ArrayIndexVariable(name: "AWS_BATCH_JOB_ARRAY_INDEX", offset: 1, scheduler: "an AWS Batch array job, 0-based"),
        ArrayIndexVariable(
            name: "EFFSIM_ARRAY_INDEX", offset: 1, scheduler: "HTCondor's $(Process) or any other scheduler, 0-based"),
    ]

    /// Reads `K/N`, or `auto/N` with K from the first of `arrayIndexVariables` set in
    /// `environment`. Throws, naming the variables, when none is set, one is not a whole number,
    /// two disagree, or K falls outside 1...N.
    public static func resolve(_ text: String, environment: [String: String]) throws -> Shard {
        if let shard = Shard(text) { return shard }
        let n = try autoCount(text)
        let names = arrayIndexVariables.map(\.name).joined(separator: ", ")
        var found: [(variable: ArrayIndexVariable, k: Int)] = []
        for v in arrayIndexVariables {
            // An empty variable counts as unset (a template that passed nothing in).
            guard let raw = environment[v.name], !raw.isEmpty else { continue }
            guard raw.allSatisfy({ $0.isASCII && $0.isNumber }), let index = Int(raw) else {
                throw ShardError(
                    description: "--shard auto/\(n): \(v.name)=\(Quoted.string(raw)) is not a whole number")
            }
            let k = index.addingReportingOverflow(v.offset)
            found.append((v, k.overflow ? .max : k.partialValue))
        }
        guard let first = found.first else {
            throw ShardError(
                description: "--shard auto/\(n): no job array index in the environment (looked for \(names))")
        }
        if let other = found.first(where: { $0.k != first.k }) {
            throw ShardError(
                description:
                    "--shard auto/\(n): \(first.variable.name) and \(other.variable.name) give different shards (\(first.k) and \(other.k))"
            )
        }
        guard (1...n).contains(first.k) else {
            let index = environment[first.variable.name] ?? ""
            let range = first.variable.offset == 0 ? "1 to \(n)" : "0 to \(n - 1)"
            throw ShardError(
                description:
                    "--shard auto/\(n): \(first.variable.name)=\(index) is not from \(range) (\(first.variable.scheduler))"
            )
        }
        return Shard(index: first.k, count: n)
    }

    /// N of `K/N` or `auto/N`; throws for any other text (checked at parse time, before the environment).
    @discardableResult
    public static func autoCount(_ text: String) throws -> Int {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if Shard(text) != nil, let n = Int(parts[1]) { return n }
        guard parts.count == 2, parts[0] == "auto", let n = Int(parts[1]), n >= 1 else {
            throw ShardError(
                description: "--shard \(Quoted.string(text)): expected K/N with 1 <= K <= N (e.g. 2/4), or auto/N")
        }
        return n
    }

    /// The file a shard writes into a state folder: `shard-K-of-N.json`.
    public var stateFileName: String { "shard-\(index)-of-\(count).json" }
}

/// A `--shard` value that names no shard (exit status 2).
public struct ShardError: Error, CustomStringConvertible, Sendable {
    /// The message, naming the value or the environment variables.
    public var description: String
}
