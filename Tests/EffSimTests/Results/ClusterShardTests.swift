import EffSim
import Foundation
import Testing

/// Job arrays: `--shard auto/N` reads the scheduler's index, `--state FOLDER/` names the file,
/// `merge FOLDER` merges them, for runs and sweeps byte-identical to one process; bad inputs
/// are refused with exit 2 and the file or variable named.
@Suite struct ClusterShardTests {
    let scenario = Support.scenarioPath("seed-2024.json")
    let sweep = Support.scenarioPath("sweeps/unpublished-upper.json")
    /// No scheduler variable from the machine the tests run on.
    static let cleared = Dictionary(uniqueKeysWithValues: Shard.arrayIndexVariables.map { ($0.name, "") })

    // MARK: The array index, variable by variable (exact wiring).

    @Test func eachSchedulersIndexGivesK() throws {
        #expect(try Shard.resolve("auto/4", environment: ["SLURM_ARRAY_TASK_ID": "4"]) == Shard(index: 4, count: 4))
        #expect(try Shard.resolve("auto/4", environment: ["SLURM_ARRAY_TASK_ID": "1"]) == Shard(index: 1, count: 4))
        #expect(try Shard.resolve("auto/4", environment: ["JOB_COMPLETION_INDEX": "0"]) == Shard(index: 1, count: 4))
        #expect(try Shard.resolve("auto/4", environment: ["AWS_BATCH_JOB_ARRAY_INDEX": "3"]) == Shard(index: 4, count: 4))
        #expect(try Shard.resolve("auto/4", environment: ["EFFSIM_ARRAY_INDEX": "2"]) == Shard(index: 3, count: 4))
        // Two schedulers' variables that agree are fine; K/N ignores the environment.
        #expect(try Shard.resolve("auto/4", environment: ["SLURM_ARRAY_TASK_ID": "2", "EFFSIM_ARRAY_INDEX": "1"]) == Shard(index: 2, count: 4))
        #expect(try Shard.resolve("2/4", environment: ["SLURM_ARRAY_TASK_ID": "3"]) == Shard(index: 2, count: 4))
    }

    @Test func badIndicesAreNamed() {
        func message(_ text: String, _ env: [String: String]) -> String {
            do { _ = try Shard.resolve(text, environment: env); return "accepted" } catch { return "\(error)" }
        }
        #expect(message("auto/4", [:]) == "--shard auto/4: no job array index in the environment (looked for SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX, EFFSIM_ARRAY_INDEX)")
        #expect(message("auto/4", ["SLURM_ARRAY_TASK_ID": "5"]) == "--shard auto/4: SLURM_ARRAY_TASK_ID=5 is not from 1 to 4 (Slurm, --array=1-N)")
        #expect(message("auto/4", ["SLURM_ARRAY_TASK_ID": "0"]) == "--shard auto/4: SLURM_ARRAY_TASK_ID=0 is not from 1 to 4 (Slurm, --array=1-N)")
        #expect(message("auto/4", ["JOB_COMPLETION_INDEX": "4"]) == "--shard auto/4: JOB_COMPLETION_INDEX=4 is not from 0 to 3 (a Kubernetes Indexed Job, 0-based)")
        #expect(message("auto/4", ["AWS_BATCH_JOB_ARRAY_INDEX": "x1"]) == "--shard auto/4: AWS_BATCH_JOB_ARRAY_INDEX=\"x1\" is not a whole number")
        #expect(message("auto/4", ["SLURM_ARRAY_TASK_ID": "1", "JOB_COMPLETION_INDEX": "1"]) == "--shard auto/4: SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX give different shards (1 and 2)")
        #expect(message("auto/0", ["SLURM_ARRAY_TASK_ID": "1"]) == "--shard \"auto/0\": expected K/N with 1 <= K <= N (e.g. 2/4), or auto/N")
        #expect(message("5/4", [:]) == "--shard \"5/4\": expected K/N with 1 <= K <= N (e.g. 2/4), or auto/N")
    }

    // MARK: Runs and sweeps as job arrays, merged from a folder.

    /// Runs `args` as tasks 1...n of an array with `variable` (its offset applied), states in `folder`.
    func array(_ args: [String], n: Int, variable: Shard.ArrayIndexVariable, folder: URL) throws {
        for k in 1...n {
            var env = Self.cleared
            env[variable.name] = String(k - variable.offset)
            let r = try Support.effsim(args + ["--threads", "1", "--shard", "auto/\(n)", "--state", folder.path + "/"], environment: env)
            #expect(r.status == 0, "\(r.stderr)")
            // A shard prints nothing but errors.
            #expect(r.stdout.isEmpty && r.stderr.isEmpty, "task \(k): \(r.stdout)\(r.stderr)")
        }
        #expect(Support.files(in: folder) == (1...n).map { "shard-\($0)-of-\(n).json" }.sorted())
    }

    func contents(_ dir: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        for name in Support.files(in: dir) { files[name] = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path) }
        return files
    }

    /// Runs `args` in one process and as an n-task array of `scheduler`'s variable, merges the
    /// states (with `extra`), and checks the merged folder holds `files`, byte-identical to the
    /// single process's, and that merge printed what the single process printed.
    func expectArrayMatchesOneProcess(_ args: [String], n: Int, scheduler: Int, extra: [String] = [], files names: [String]) throws {
        let dir = try Support.temporaryDirectory()
        let single = try Support.effsim(args + extra + ["--out", dir.appendingPathComponent("single").path])
        #expect(single.status == 0, "\(single.stderr)")
        let states = dir.appendingPathComponent("states")
        try array(args, n: n, variable: Shard.arrayIndexVariables[scheduler], folder: states)
        let merged = try Support.effsim(["merge", states.path, "--out", dir.appendingPathComponent("merged").path] + extra)
        #expect(merged.status == 0, "\(merged.stderr)")
        let files = contents(dir.appendingPathComponent("merged"))
        #expect(files.keys.sorted() == names)
        #expect(files == contents(dir.appendingPathComponent("single")))
        // merge prints the table the command prints (only the folder on the last line differs).
        #expect(merged.stdout.replacingOccurrences(of: "/merged", with: "/single") == single.stdout)
    }

    @Test(arguments: [(1, 0), (3, 1), (7, 2)])
    func arrayRunMergesToTheSingleRun(n: Int, scheduler: Int) throws {
        try expectArrayMatchesOneProcess(["run", scenario, "--trials", "500000"], n: n, scheduler: scheduler,
                                         files: ["histogram.csv", "precision.csv", "run.json", "summary.csv"])
    }

    @Test(arguments: [(1, 3), (3, 0), (7, 1)])
    func arraySweepMergesToTheSingleSweep(n: Int, scheduler: Int) throws {
        try expectArrayMatchesOneProcess(["sweep", sweep, "--trials", "30000"], n: n, scheduler: scheduler, extra: ["--report"],
                                         files: ["report.html", "sweep.csv", "sweep.json"])
    }

    @Test(arguments: [(1, 2), (3, 3), (7, 0)])
    func arraySensitivityMergesToTheSingleAnalysis(n: Int, scheduler: Int) throws {
        // 8 chunks, so that 7 shards each hold one or two.
        try expectArrayMatchesOneProcess(["sensitivity", scenario, "--trials", "500000"], n: n, scheduler: scheduler,
                                         files: ["sensitivity.csv", "sensitivity.json"])
    }

    @Test func compareReadsTwoMergedFolders() throws {
        let dir = try Support.temporaryDirectory()
        for (name, file) in [("a", "seed-2024.json"), ("b", "seed-2024-literal.json")] {
            let states = dir.appendingPathComponent("\(name)-states")
            try array(["run", Support.scenarioPath(file), "--trials", "200000"], n: 2, variable: Shard.arrayIndexVariables[0], folder: states)
            let r = try Support.effsim(["merge", states.path, "--out", dir.appendingPathComponent(name).path, "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
            let s = try Support.effsim(["run", Support.scenarioPath(file), "--trials", "200000", "--out", dir.appendingPathComponent("\(name)-single").path, "--quiet"])
            #expect(s.status == 0, "\(s.stderr)")
        }
        let merged = try Support.effsim(["compare", dir.appendingPathComponent("a").path, dir.appendingPathComponent("b").path, "--out", dir.appendingPathComponent("cm").path, "--quiet"])
        #expect(merged.status == 0, "\(merged.stderr)")
        let single = try Support.effsim(["compare", dir.appendingPathComponent("a-single").path, dir.appendingPathComponent("b-single").path, "--out", dir.appendingPathComponent("cs").path, "--quiet"])
        #expect(single.status == 0, "\(single.stderr)")
        // compare.json records the two inputs (a, b against a-single, b-single): every other file is the same.
        var cm = contents(dir.appendingPathComponent("cm")), cs = contents(dir.appendingPathComponent("cs"))
        #expect(cm.removeValue(forKey: "compare.json") != nil && cs.removeValue(forKey: "compare.json") != nil)
        #expect(cm == cs)
        #expect(cm.keys.sorted() == ["compare.csv", "only-in-one.csv"])
    }

    // MARK: Bad inputs: exit 2, the file or variable named, nothing written.

    func refused(_ args: [String], environment: [String: String] = cleared, out: URL) throws -> String {
        let r = try Support.effsim(args, environment: environment)
        #expect(r.status == 2, "\(args): \(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: out.path), "\(out.path) was written")
        return r.stderr
    }

    @Test func unsetOrOutOfRangeArrayIndexIsRefused() throws {
        let dir = try Support.temporaryDirectory()
        let states = dir.appendingPathComponent("states")
        let args = ["run", scenario, "--trials", "200000", "--shard", "auto/4", "--state", states.path + "/"]
        #expect(try refused(args, out: states) == "effsim: --shard auto/4: no job array index in the environment (looked for SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX, EFFSIM_ARRAY_INDEX)\n")
        var env = Self.cleared
        env["SLURM_ARRAY_TASK_ID"] = "5"
        #expect(try refused(args, environment: env, out: states) == "effsim: --shard auto/4: SLURM_ARRAY_TASK_ID=5 is not from 1 to 4 (Slurm, --array=1-N)\n")
        env = Self.cleared
        env["AWS_BATCH_JOB_ARRAY_INDEX"] = "4"
        #expect(try refused(["sweep", sweep, "--shard", "auto/4", "--state", states.path + "/"], environment: env, out: states)
            == "effsim: --shard auto/4: AWS_BATCH_JOB_ARRAY_INDEX=4 is not from 0 to 3 (an AWS Batch array job, 0-based)\n")
        // A sweep is split by points: no more shards than points.
        #expect(try refused(["sweep", Support.scenarioPath("sweeps/ci-level.json"), "--shard", "3/3", "--state", states.path + "/"], out: states)
            .hasSuffix("ci-level.json: --shard 3/3: the sweep has 2 point(s) and is split by points, so at most 2 shard(s)\n"))
    }

    @Test func missingRepeatedAndForeignStatesAreRefused() throws {
        let dir = try Support.temporaryDirectory()
        let runs = dir.appendingPathComponent("runs"), sweeps = dir.appendingPathComponent("sweeps"), other = dir.appendingPathComponent("other")
        try array(["run", scenario, "--trials", "200000"], n: 3, variable: Shard.arrayIndexVariables[0], folder: runs)
        try array(["sweep", sweep, "--trials", "20000"], n: 2, variable: Shard.arrayIndexVariables[0], folder: sweeps)
        try array(["sweep", Support.scenarioPath("sweeps/ci-level.json"), "--trials", "20000"], n: 2, variable: Shard.arrayIndexVariables[0], folder: other)
        let out = dir.appendingPathComponent("out")
        func path(_ folder: URL, _ k: Int, _ n: Int) -> String { folder.appendingPathComponent("shard-\(k)-of-\(n).json").path }

        // A missing shard, named by index and file.
        try FileManager.default.moveItem(atPath: path(runs, 2, 3), toPath: dir.appendingPathComponent("aside.json").path)
        #expect(try refused(["merge", runs.path, "--out", out.path], out: out)
            == "effsim: missing shard(s) 2/3 (shard-2-of-3.json): rerun them; merge refuses until every shard is there\n")
        // A duplicate.
        try FileManager.default.copyItem(atPath: path(runs, 1, 3), toPath: runs.appendingPathComponent("copy.json").path)
        try FileManager.default.moveItem(atPath: dir.appendingPathComponent("aside.json").path, toPath: path(runs, 2, 3))
        #expect(try refused(["merge", runs.path, "--out", out.path], out: out) == "effsim: shard(s) given more than once: 1/3\n")
        try FileManager.default.removeItem(atPath: runs.appendingPathComponent("copy.json").path)
        // A sweep state in a run merge, and a run state in a sweep merge.
        #expect(try refused(["merge", runs.path, path(sweeps, 1, 2), "--out", out.path], out: out)
            == "effsim: \(path(sweeps, 1, 2)): holds a shard of a sweep, not of a run; merge it with the other shards of its sweep\n")
        #expect(try refused(["merge", sweeps.path, path(runs, 1, 3), "--out", out.path], out: out)
            == "effsim: \(path(runs, 1, 3)): holds a shard of a run, not of a sweep; merge it with the other shards of its run\n")
        // A sensitivity analysis's state in a run merge.
        let analysis = dir.appendingPathComponent("analysis")
        try array(["sensitivity", scenario, "--trials", "200000"], n: 2, variable: Shard.arrayIndexVariables[0], folder: analysis)
        #expect(try refused(["merge", runs.path, path(analysis, 2, 2), "--out", out.path], out: out)
            == "effsim: \(path(analysis, 2, 2)): holds a shard of a sensitivity analysis, not of a run; merge it with the other shards of its sensitivity analysis\n")
        #expect(try refused(["merge", analysis.appendingPathComponent("shard-1-of-2.json").path, "--out", out.path], out: out)
            == "effsim: missing shard(s) 2/2 (shard-2-of-2.json): rerun them; merge refuses until every shard is there\n")
        // States of two sweeps.
        let mixed = try refused(["merge", path(sweeps, 1, 2), path(other, 2, 2), "--out", out.path], out: out)
        #expect(mixed.hasPrefix("effsim: \(path(other, 2, 2)): a shard of another sweep or settings (ci-level "), "\(mixed)")
        // An empty folder.
        let empty = dir.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(try refused(["merge", empty.path, "--out", out.path], out: out) == "effsim: \(empty.path): a folder with no state files (shard-K-of-N.json) in it\n")
        // The whole folders still merge.
        #expect(try Support.effsim(["merge", runs.path, "--out", out.path, "--quiet"]).status == 0)
    }

    @Test func aSweepEditedSinceItsShardsRanIsRefused() throws {
        let dir = try Support.temporaryDirectory()
        let file = dir.appendingPathComponent("s.json")
        let text = try String(contentsOfFile: sweep, encoding: .utf8)
            .replacingOccurrences(of: "\"../seed-2024-literal.json\"", with: "\"\(Support.scenarioPath("seed-2024-literal.json"))\"")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let states = dir.appendingPathComponent("states")
        try array(["sweep", file.path, "--trials", "20000"], n: 2, variable: Shard.arrayIndexVariables[0], folder: states)
        try text.replacingOccurrences(of: "\"to\": 20", with: "\"to\": 21").write(to: file, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        #expect(try refused(["merge", states.path, "--out", out.path], out: out)
            == "effsim: \(file.path): the sweep file or its base scenario changed since the shards ran; rerun them\n")
    }
}
