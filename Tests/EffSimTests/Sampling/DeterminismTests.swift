import EffSim
import Foundation
import Testing

/// Same scenario and seed: byte-identical files, whatever the thread count or shard split.
@Suite struct DeterminismTests {
    let scenario = Support.scenarioPath("seed-2024.json")

    func run(_ extra: [String]) throws -> (URL, [String: Data]) {
        let dir = try Support.temporaryDirectory()
        let r = try Support.effsim(["run", scenario, "--trials", "300000", "--out", dir.path, "--quiet"] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        var files: [String: Data] = [:]
        for name in Support.files(in: dir) { files[name] = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path) }
        return (dir, files)
    }

    @Test func sameSeedGivesIdenticalFilesAndAnotherSeedDoesNot() throws {
        let (_, a) = try run([])
        let (_, b) = try run([])
        #expect(a.keys.sorted() == ["histogram.csv", "precision.csv", "run.json", "summary.csv"])
        #expect(a == b)
        let (_, c) = try run(["--seed", "2025"])
        #expect(c["summary.csv"] != a["summary.csv"])
        #expect(c["histogram.csv"] != a["histogram.csv"])
    }

    @Test(arguments: [[], ["--rng", "philox"], ["--rng", "philox", "--sampler", "sobol"]])
    func threadCountDoesNotChangeTheFiles(rng: [String]) throws {
        let (_, one) = try run(["--threads", "1"] + rng)
        let (_, two) = try run(["--threads", "2"] + rng)
        let (_, three) = try run(["--threads", "3"] + rng)
        #expect(one == two)
        #expect(one == three)
    }

    @Test(arguments: [[], ["--rng", "philox"]])
    func shardsMergeToTheSingleProcessResult(rng: [String]) throws {
        let (_, whole) = try run(["--threads", "2"] + rng)
        let dir = try Support.temporaryDirectory()
        var states: [String] = []
        for k in 1...3 {
            let state = dir.appendingPathComponent("shard\(k).json").path
            let r = try Support.effsim(["run", scenario, "--trials", "300000", "--shard", "\(k)/3", "--state", state, "--quiet", "--threads", "1"] + rng)
            #expect(r.status == 0, "\(r.stderr)")
            states.append(state)
        }
        let out = dir.appendingPathComponent("merged")
        // Order of the state files does not matter.
        let r = try Support.effsim(["merge", states[2], states[0], states[1], "--out", out.path, "--quiet", "--report"])
        #expect(r.status == 0, "\(r.stderr)")
        for name in ["summary.csv", "histogram.csv", "precision.csv"] {
            #expect(FileManager.default.contents(atPath: out.appendingPathComponent(name).path) == whole[name], "\(name)")
        }
        // run.json the same but for the scenario file, which a merge (of state files) has not.
        var merged = try RunRecord.load(directory: out.path)
        merged.scenarioFile = try JSONDecoder().decode(RunRecord.self, from: try #require(whole["run.json"])).scenarioFile
        #expect(try merged.encoded() == whole["run.json"])
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path), "merge --report")
        // A missing shard is refused.
        let partial = try Support.effsim(["merge", states[0], states[1], "--out", dir.appendingPathComponent("partial").path])
        #expect(partial.status == 2)
        #expect(partial.stderr == "effsim: missing shard(s) 3/3 (shard-3-of-3.json): rerun them; merge refuses until every shard is there\n", "\(partial.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("partial").path))
    }

    @Test func distinctChunksDrawDistinctStreams() throws {
        // Seeds: distinct for every chunk of a run (by construction), for several run seeds.
        for seed: UInt64 in [0, 1, 2024, 1 << 40] {
            let seeds = (0..<200_000).map { StreamSeeds.chunkSeed(runSeed: seed, chunk: $0) }
            #expect(Set(seeds).count == seeds.count)
        }
        // Draws: no chunk repeats another's values (the squigglepy multi-core bug).
        var s = try Support.oneFactor(#"{"type": "lognormal", "median": 2, "sigma": 1}"#, trials: 4 * Engine.chunkSize)
        s.seed = 99
        let draws = try Engine.samples(s)[0]
        let heads = (0..<4).map { Array(draws[($0 * Engine.chunkSize)..<($0 * Engine.chunkSize + 64)]) }
        #expect(Set(heads.map { $0.description }).count == 4)
        #expect(Set(draws).count > draws.count - 10, "values repeat across chunks")
    }

    @Test(arguments: ["mt19937", "ranlxd2", "philox"])
    func otherGeneratorsAreReproducibleAndDifferent(rng: String) throws {
        let (_, taus) = try run([])
        let (_, a) = try run(["--rng", rng, "--threads", "1"])
        let (_, b) = try run(["--rng", rng, "--threads", "2"])
        #expect(a == b)
        #expect(a["summary.csv"] != taus["summary.csv"])
    }
}
