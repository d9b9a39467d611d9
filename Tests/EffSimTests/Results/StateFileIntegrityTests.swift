import EffSim
import Foundation
import Testing

/// A state file is checked in full on load. Each tampered file here is built from a real shard
/// run: most get a fresh checksum, so the check that catches them is the one on the values.
///
/// The factors are narrow (a within 0.1 decade of its median, b floored at 1 with a quarter of its
/// draws there) so that each metric's fine histogram spans a few thousand bins and every tampered
/// copy is cheap to re-encode and check; threshold 2 lies beyond every draw of `both` (about 1.3x,
/// 0.035 decade sd), so a count edited by a few is always outside what the histogram allows.
@Suite struct StateFileIntegrityTests {
    static let scenario = """
    {"name": "integrity", "trials": 200000, "seed": 5, "floor": 1, "years": 4, "thresholds": [2, 30],
     "factors": [
       {"id": "a", "group": "x", "distribution": {"type": "lognormal", "ci": [1.1, 1.3], "level": 0.8}},
       {"id": "b", "group": "y", "floor": 1, "distribution": {"type": "normal", "ci": [0.95, 1.15], "level": 0.8}}],
     "outputs": [{"id": "ax", "groups": ["x"]}, {"id": "both", "groups": ["x", "y"]}],
     "derived": [{"id": "hours", "baseline": 355.2, "divide_by": "both"}]}
    """

    /// Shard 1/2 of the scenario (chunks 0 and 2: 131,072 trials), as the file `run --state` writes.
    static let shard: Data = {
        let s = try! Support.scenario(scenario)
        let state = try! Engine.run(s, options: RunOptions(threads: 1, shard: Shard(index: 1, count: 2)))
        return try! StateFile(state).encoded()
    }()

    /// The shard's JSON edited by `edit`, with its checksum recomputed unless `rechecksum` is false.
    static func tampered(rechecksum: Bool = true, _ edit: (inout [String: Any]) -> Void) throws -> Data {
        var json = try #require(try JSONSerialization.jsonObject(with: shard) as? [String: Any])
        edit(&json)
        let text = try JSONSerialization.data(withJSONObject: json)
        guard rechecksum else { return text }
        return try JSONDecoder().decode(StateFile.self, from: text).encoded()
    }

    static func metric(_ json: inout [String: Any], _ i: Int, _ edit: (inout [String: Any]) -> Void) {
        var metrics = json["metrics"] as! [[String: Any]]
        edit(&metrics[i])
        json["metrics"] = metrics
    }

    /// Edits metric i's positive values (every value of this scenario is positive).
    static func positive(_ json: inout [String: Any], _ i: Int, _ edit: (inout [String: Any]) -> Void) {
        metric(&json, i) { m in
            var side = m["positive"] as! [String: Any]
            edit(&side)
            m["positive"] = side
        }
    }

    /// Edits the counts of metric i's first run of positive bins.
    static func counts(_ json: inout [String: Any], _ i: Int, _ edit: (inout [Int]) -> Void) {
        positive(&json, i) { side in
            var runs = side["runs"] as! [[String: Any]]
            var c = runs[0]["counts"] as! [Int]
            edit(&c)
            runs[0]["counts"] = c
            side["runs"] = runs
        }
    }

    /// Loads `data` from a file and returns the refusal (nil when it loads).
    static func refusal(_ data: Data) throws -> String? {
        let path = try Support.temporaryDirectory().appendingPathComponent("shard.json").path
        try data.write(to: URL(fileURLWithPath: path))
        do {
            _ = try StateFile.load(path: path)
            return nil
        } catch {
            let message = "\(error)"
            #expect(message.hasPrefix("\(path): "), "names the file: \(message)")
            return message
        }
    }

    @Test func sha256MatchesTheFIPSExamples() {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // Two blocks (FIPS 180-4's 448-bit example).
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func aSoundShardLoads() throws {
        #expect(try Self.refusal(Self.shard) == nil)
        // Spacing and key order are not content: the same values written another way still load.
        #expect(try Self.refusal(Self.tampered(rechecksum: false) { _ in }) == nil)
    }

    @Test func anyEditWithoutAFreshChecksumIsRefused() throws {
        let edits: [(inout [String: Any]) -> Void] = [
            { j in Self.counts(&j, 2) { $0[$0.count / 2] += 5000 } },
            { j in var s = j["scenario"] as! [String: Any]; s["years"] = 40; j["scenario"] = s },
            { j in var m = j["metrics"] as! [Any]; m.swapAt(0, 1); j["metrics"] = m },
        ]
        for edit in edits {
            let message = try #require(try Self.refusal(Self.tampered(rechecksum: false, edit)))
            #expect(message.contains("its checksum does not match its content"), "\(message)")
        }
        let missing = try #require(try Self.refusal(Self.tampered(rechecksum: false) { $0["checksum"] = nil }))
        #expect(missing.hasSuffix("has no checksum"))
    }

    @Test func countsMustAddUpToTheShardsTrials() throws {
        let added = try #require(try Self.refusal(Self.tampered { j in
            Self.counts(&j, 2) { $0[$0.count / 2] += 5000 }
        }))
        #expect(added.contains("metrics[2] (ax): positive: histogram counts add up to 136072, not count 131072"), "\(added)")
        let relabelled = try #require(try Self.refusal(Self.tampered { $0["shards"] = [["index": 1, "count": 1]] }))
        #expect(relabelled.contains("count 131072 is not the shard's 200000 trials"), "\(relabelled)")
        let zero = try #require(try Self.refusal(Self.tampered { j in Self.metric(&j, 0) { $0["count"] = 0 } }))
        #expect(zero.contains("count 0 is not the shard's 131072 trials"), "\(zero)")
        let negative = try #require(try Self.refusal(Self.tampered { j in
            // The middle bin holds draws (an end bin of a narrow histogram may hold none).
            Self.counts(&j, 0) { c in let i = c.count / 2; c[i - 1] -= 1; c[i + 1] += 1; c[i] = -c[i] }
        }))
        #expect(negative.contains("is negative"), "\(negative)")
    }

    @Test func swappedMetricsAndShortThresholdCountsAreRefused() throws {
        // A factor's state in an output's place: the output needs more threshold counts.
        let swapped = try #require(try Self.refusal(Self.tampered { j in var m = j["metrics"] as! [Any]; m.swapAt(0, 3); j["metrics"] = m }))
        #expect(swapped.contains("above has 2 counts, the scenario needs 4"), "\(swapped)")
        let short = try #require(try Self.refusal(Self.tampered { j in Self.positive(&j, 3) { $0["above"] = [1] } }))
        #expect(short.contains("metrics[3] (both): positive: above has 1 counts"), "\(short)")
        let wrong = try #require(try Self.refusal(Self.tampered { j in
            Self.positive(&j, 3) { m in var a = m["above"] as! [Int]; a[0] += 7; m["above"] = a }
        }))
        #expect(wrong.contains("above[0] = "), "\(wrong)")
        #expect(wrong.contains("disagrees with the histogram"), "\(wrong)")
    }

    @Test func anEditedScenarioIsValidatedAndChecked() throws {
        let broken = try #require(try Self.refusal(Self.tampered { j in var s = j["scenario"] as! [String: Any]; s["years"] = -1; j["scenario"] = s }))
        #expect(broken.contains("its scenario: years: must be at least 0.4"), "\(broken)")
        // More thresholds than the counts were made for.
        let levels = try #require(try Self.refusal(Self.tampered { j in var s = j["scenario"] as! [String: Any]; s["thresholds"] = [2, 30, 400]; j["scenario"] = s }))
        #expect(levels.contains("above has 2 counts, the scenario needs 3"), "\(levels)")
    }

    @Test func hostileValuesAreRefusedWithoutCrashOrHugeAllocation() throws {
        let cases: [(String, (inout [String: Any]) -> Void)] = [
            // 2^63 - 1 is refused from its text (a double cannot hold it); 2^62 reaches the count check.
            ("metrics[0].count: the whole number \"9223372036854775807\" is beyond 2^53", { j in Self.metric(&j, 0) { $0["count"] = Int.max } }),
            ("count 4611686018427387904 is not the shard's", { j in Self.metric(&j, 0) { $0["count"] = 1 << 62 } }),
            ("bins lie outside the", { j in Self.positive(&j, 0) { s in var r = s["runs"] as! [[String: Any]]; r[0]["offset"] = 1 << 62; s["runs"] = r } }),
            ("bins lie outside the", { j in Self.positive(&j, 0) { s in var r = s["runs"] as! [[String: Any]]; r[0]["offset"] = -(1 << 62); s["runs"] = r } }),
            ("bins lie outside the", { j in Self.positive(&j, 0) { s in var r = s["runs"] as! [[String: Any]]; r[0]["offset"] = 1_000_000_000; s["runs"] = r } }),
            ("a shard is K/N with 1 <= K <= N", { $0["shards"] = [["index": 1, "count": 0]] }),
            ("a run splits into at most that many shards, not 4611686018427387904", { $0["shards"] = [["index": 1, "count": 1 << 62]] }),
            ("holds 2 shards; a state file holds one", { $0["shards"] = [["index": 1, "count": 2], ["index": 2, "count": 2]] }),
            ("histogram counts add up to more than 9223372036854775807", { j in
                Self.counts(&j, 0) { c in c[0] = 1 << 62; c[1] = 1 << 62; c[2] = 1 << 62 }
            }),
            ("trials 0 is not from 1", { $0["trials"] = 0 }),
            ("seed 9007199254740994 is above", { $0["seed"] = 9_007_199_254_740_994 }),
        ]
        for (reason, edit) in cases {
            let message = try #require(try Self.refusal(Self.tampered(edit)), "\(reason)")
            #expect(message.contains(reason), "\(message)")
        }
    }

    @Test func repeatedKeysAndUndecodableValuesGetOneLineReasons() throws {
        var text = String(decoding: Self.shard, as: UTF8.self)
        text = text.replacingOccurrences(of: "\"trials\":", with: "\"trials\":200000,\"trials\":")
        let repeated = try #require(try Self.refusal(Data(text.utf8)))
        #expect(repeated.contains("trials: key \"trials\" appears more than once"), "\(repeated)")

        let added = try #require(try Self.refusal(Self.tampered(rechecksum: false) { j in Self.metric(&j, 1) { $0["note"] = 1 } }))
        #expect(added.hasSuffix("metrics[1].note: unknown key \"note\""), "\(added)")

        let wrongType = try #require(try Self.refusal(Self.tampered(rechecksum: false) { j in Self.metric(&j, 1) { $0["count"] = "many" } }))
        #expect(wrongType.hasSuffix("not an effsim state file (metrics[1].count: expected a whole number)"), "\(wrongType)")
        #expect(!wrongType.contains("\n") && wrongType.count < 200, "\(wrongType)")
        let missingKey = try #require(try Self.refusal(Self.tampered(rechecksum: false) { $0["metrics"] = nil }))
        #expect(missingKey.hasSuffix("(missing key \"metrics\")"), "\(missingKey)")
        let notJSON = try #require(try Self.refusal(Data("{\"format\": ".utf8)))
        #expect(notJSON.hasSuffix("not an effsim state file (not valid JSON)"), "\(notJSON)")
    }

    /// run.json and a state file record one run identity (RunSettings) under the same keys.
    @Test func stateFileAndRunRecordShareTheSettingsKeys() throws {
        let shard = try #require(try JSONSerialization.jsonObject(with: Self.shard) as? [String: NSObject])
        let state = try JSONDecoder().decode(StateFile.self, from: Self.shard).runState(file: "shard.json")
        let record = try #require(try JSONSerialization.jsonObject(with: RunRecord(state, binsPerDecade: 20).encoded()) as? [String: NSObject])
        for key in RunSettings.CodingKeys.allCases.map(\.stringValue) {
            #expect(shard[key] != nil && shard[key] == record[key], "\(key)")
        }
        #expect(shard["generator"] == nil && shard["rng"] == "taus2" as NSString)
    }

    /// A state file of format 2 (which called the generator `generator`) is named as such.
    @Test func aFileOfTheFormerFormatIsRefusedByName() throws {
        let old = try #require(try Self.refusal(Self.tampered(rechecksum: false) { j in
            j["format"] = "effsim-state-2"
            j["generator"] = j.removeValue(forKey: "rng")
        }))
        #expect(old.hasSuffix(": state format \"effsim-state-2\" is not \"effsim-state-3\" (rerun the shard with this effsim)"), "\(old)")
    }

    @Test func mergeRefusesATamperedShardWithExitStatus2() throws {
        let dir = try Support.temporaryDirectory()
        let one = dir.appendingPathComponent("s1.json").path, two = dir.appendingPathComponent("s2.json").path
        let scenario = dir.appendingPathComponent("integrity.json").path
        try Data(Self.scenario.utf8).write(to: URL(fileURLWithPath: scenario))
        let r = try Support.effsim(["run", scenario, "--shard", "2/2", "--state", two, "--quiet", "--threads", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        try Self.tampered { j in Self.counts(&j, 2) { $0[$0.count / 2] += 5000 } }
            .write(to: URL(fileURLWithPath: one))
        let out = dir.appendingPathComponent("merged")
        let merged = try Support.effsim(["merge", one, two, "--out", out.path, "--quiet"])
        #expect(merged.status == 2)
        #expect(merged.stderr == "effsim: \(one): metrics[2] (ax): positive: histogram counts add up to 136072, not count 131072\n")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func shardTrialsFollowTheChunks() {
        let c = Engine.chunkSize
        #expect(Shard(index: 1, count: 2).trials(ofRun: 200_000) == 2 * c)
        #expect(Shard(index: 2, count: 2).trials(ofRun: 200_000) == 200_000 - 2 * c)
        #expect(Shard(index: 3, count: 3).trials(ofRun: 3 * c + 1) == c)
        #expect(Shard(index: 1, count: 3).trials(ofRun: 3 * c + 1) == c + 1)
        #expect((1...5).map { Shard(index: $0, count: 5).trials(ofRun: 1_000_003) }.reduce(0, +) == 1_000_003)
    }

    @Test func orderStatisticRanksNeverTrapOnHugeCounts() {
        let r = Precision.orderStatisticRanks(p: 0.99, n: Int.max)
        #expect(r.lower <= r.upper && r.upper <= Int.max - 1)
    }
}
