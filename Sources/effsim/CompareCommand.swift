import ArgumentParser
import EffSim
import Foundation

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract:
            "What changed from A to B: every statistic with the 95% Monte Carlo interval of b - a; writes compare.csv.",
        discussion: """
            A and B are two scenario files (sampled with the same seed, generator and chunking: common \
            random numbers, so the difference carries far less noise than two independent runs) or two \
            finished results folders (not re-sampled; their precision.csv intervals are combined as \
            independent). Metrics in only one of them are listed and written to only-in-one.csv. \
            The interval's method: the README's "Compare" section (share/doc/effsim/README.md \
            once installed).
            """
    )

    @Argument(help: "Scenario file or results folder A (the reference).")
    var a: String

    @Argument(help: "Scenario file or results folder B (the change).")
    var b: String

    @Option(help: "Trials for both scenario files (default: A's).")
    var trials: Int?

    @Option(help: "Random seed for both scenario files, 0 to 2^53 (default: A's).")
    var seed: UInt64?

    @Option(help: "Output folder (default: results/compare-<A>-vs-<B>).")
    var out: String?

    @Option(help: "Worker threads (default: every core). Results do not depend on it.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var draws: DrawOptions

    @Option(
        help: "Statistics the console table shows, e.g. p10,p50,p90,p_gt_1000 (default: p10, p50, p90 and each P(>t)).")
    var show: String?

    @Flag(help: "Also write compare.html: both runs' exceedance curves overlaid, the factors that differ, the table.")
    var report = false

    @Flag(help: "Replace an output folder written from other inputs or by another command.")
    var force = false

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if let trials, !(1...Scenario.maximumTrials).contains(trials) {
            throw ValidationError("--trials must be from 1 to \(Scenario.maximumTrials)")
        }
        if let seed, seed > Scenario.maximumSeed {
            throw ValidationError("--seed must be from 0 to \(Scenario.maximumSeed)")
        }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    static func stem(_ path: String) -> String {
        let base = (URL(fileURLWithPath: path).standardizedFileURL.path as NSString).lastPathComponent
        return base.hasSuffix(".json") ? String(base.dropLast(5)) : base
    }

    func run() throws {
        SignalCleanup.install()
        let folders = [a, b].map { path -> Bool in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        if folders[0] != folders[1] {
            throw CommandFailure.badInput(
                "compare takes two scenario files or two results folders; \(folders[0] ? a : b) is a folder, \(folders[0] ? b : a) is not"
            )
        }
        // The folder is locked and checked once the inputs are valid, before sampling: it remembers A and B.
        let directory = out ?? "results/compare-\(Self.stem(a))-vs-\(Self.stem(b))"
        var update: FolderUpdate?
        defer { update?.discard() }
        func begin() throws {
            do { update = try ComparisonFiles.begin(directory: directory, a: a, b: b, force: force) } catch {
                throw CommandFailure.writing(error)
            }
        }
        let comparison: Comparison
        var drawn: (a: ResultsFolder, b: ResultsFolder)?
        if folders[0] {
            if trials != nil || seed != nil {
                throw CommandFailure.badInput(
                    "--trials and --seed apply to scenario files; results folders are not re-sampled")
            }
            try begin()
            do {
                comparison = try Comparison.folders(a, b)
                if report { drawn = (try ResultsFolder.load(directory: a), try ResultsFolder.load(directory: b)) }
            } catch { throw CommandFailure.badInput("\(error)") }
        } else {
            var sa = try loadScenario(a)
            var sb = try loadScenario(b)
            sa.trials = trials ?? sa.trials
            sb.trials = sa.trials
            sa.seed = seed ?? sa.seed
            sb.seed = sa.seed
            let options = RunOptions(threads: threads, generator: draws.rng, sampler: draws.sampler)
            for (path, s) in [(a, sa), (b, sb)] {
                do { try Engine.check(s, options) } catch { throw CommandFailure.badInput("\(path): \(error)") }
            }
            try begin()
            do {
                let sampled = try Comparison.sample(sa, sb, options: options)
                comparison = sampled.comparison
                if report { drawn = (ResultsFolder(sampled.a), ResultsFolder(sampled.b)) }
            } catch { throw CommandFailure.badInput("\(error)") }
        }
        let shown = show.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        let known = Set(comparison.rows.map(\.statistic))
        if let unknown = shown?.first(where: { !known.contains($0) }) {
            throw CommandFailure.badInput(
                "--show: no statistic \"\(unknown)\" in this comparison (there are \(comparison.rows.map(\.statistic).uniqued().joined(separator: ", ")))"
            )
        }
        guard let update else { return }
        do { try ComparisonFiles.write(comparison, a: a, b: b, drawn: drawn, into: update) } catch {
            throw CommandFailure.writing(error)
        }
        if !quiet {
            print(comparison.console(a: a, b: b, shown: shown), terminator: "")
            print(
                "\nwrote compare.csv, only-in-one.csv, compare.json\(report ? " and compare.html" : "") in \(Quoted.path(directory))"
            )
        }
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
