import EffSim
import Foundation
import Testing

/// The binary end to end: exact headers, exit codes, and refusal of bad input before sampling.
@Suite struct CLITests {
    /// A valid scenario; `factor` replaces the first factor's distribution.
    static func document(trials: String = "1000", distribution: String = #"{"type": "lognormal", "ci": [1.25, 6], "level": 0.8}"#,
                         extraFactors: String = "", outputs: String = #"[{"id": "total", "groups": ["algorithmic"]}]"#) -> String {
        """
        {"name": "bad", "trials": \(trials), "seed": 1,
         "factors": [{"id": "f", "group": "algorithmic", "distribution": \(distribution)}\(extraFactors)],
         "outputs": \(outputs)}
        """
    }

    /// Bad inputs and the JSON path each message must name.
    static let badInputs: [(name: String, json: String, path: String)] = [
        ("malformed JSON", #"{"name": "bad", "factors": [}"#, "not valid JSON"),
        ("lo >= hi", document(distribution: #"{"type": "lognormal", "ci": [6, 1.25], "level": 0.8}"#), "factors[0].distribution.ci:"),
        ("lo <= 0 for a lognormal", document(distribution: #"{"type": "lognormal", "ci": [0, 6], "level": 0.8}"#), "factors[0].distribution.ci[0]:"),
        ("level above 1", document(distribution: #"{"type": "lognormal", "ci": [1.25, 6], "level": 1.5}"#), "factors[0].distribution.level:"),
        ("level 0", document(distribution: #"{"type": "normal", "ci": [1, 2], "level": 0}"#), "factors[0].distribution.level:"),
        ("ci without level", document(distribution: #"{"type": "lognormal", "ci": [1.25, 6]}"#), "factors[0].distribution.level: required"),
        ("unknown distribution type", document(distribution: #"{"type": "gamma", "shape": 2}"#), "factors[0].distribution.type:"),
        ("unknown key", document(distribution: #"{"type": "lognormal", "medain": 2, "sigma": 1}"#), "factors[0].distribution.medain: unknown key"),
        ("unknown top-level key", #"{"name": "bad", "trails": 5, "factors": [{"id": "f", "group": "g", "distribution": {"type": "fixed", "value": 2}}]}"#, "trails: unknown key"),
        ("duplicate id", document(extraFactors: #", {"id": "f", "group": "algorithmic", "distribution": {"type": "fixed", "value": 2}}"#), "factors[1].id:"),
        ("output naming a missing group", document(outputs: #"[{"id": "total", "groups": ["algorithmic", "hardware"]}]"#), "outputs[0].groups[1]:"),
        ("truncation window with no mass", document(distribution: #"{"type": "normal", "mean": 0, "sd": 1, "lower": 10, "upper": 11}"#), "factors[0].distribution:"),
        ("negative trial count", document(trials: "-5"), "trials:"),
        ("zero trial count", document(trials: "0"), "trials:"),
        ("fractional trial count", document(trials: "10.5"), "trials:"),
        ("empty factor list", #"{"name": "bad", "factors": []}"#, "factors: must list at least one factor"),
        ("number given as a string", document(trials: #""1000""#), "trials: expected a number, found a string"),
        ("parameter given as a string", document(distribution: #"{"type": "lognormal", "median": "2.5", "sigma": 0.5}"#), "factors[0].distribution.median: expected a number, found a string"),
        ("NaN", document(distribution: #"{"type": "lognormal", "median": NaN, "sigma": 0.5}"#), "not valid JSON"),
        ("a key given twice", #"{"name": "bad", "trials": 100, "trials": 200, "factors": [{"id": "f", "group": "g", "distribution": {"type": "fixed", "value": 2}}]}"#, "trials: key \"trials\" appears more than once"),
        ("a nested key given twice", document(distribution: #"{"type": "lognormal", "median": 2, "sigma": 0.5, "sigma": 5}"#), "factors[0].distribution.sigma: key \"sigma\" appears more than once"),
        ("NaN as a string", document(distribution: #"{"type": "lognormal", "median": "NaN", "sigma": 0.5}"#), "factors[0].distribution.median: expected a number"),
        ("per-year rows that overflow", #"{"name": "bad", "years": 1e-9, "factors": [{"id": "f", "group": "g", "distribution": {"type": "fixed", "value": 2}}]}"#, "years: must be at least 0.4"),
        ("derived values that overflow", #"{"name": "bad", "factors": [{"id": "f", "group": "g", "distribution": {"type": "fixed", "value": 2}}], "derived": [{"id": "d", "baseline": 1e308, "divide_by": "total"}]}"#, "derived[0].baseline: must be from 1e-60 to 1e60"),
        ("a seed beyond 2^53", #"{"name": "bad", "seed": 9007199254740993, "factors": [{"id": "f", "group": "g", "distribution": {"type": "fixed", "value": 2}}]}"#, "seed: the whole number \"9007199254740993\" is beyond 2^53 and would be read as 9007199254740992"),
        ("a key given twice, once escaped", #"{"name": "bad", "tri\u0061ls": 100, "trials": 200, "factors": [{"id": "f", "group": "g", "distribution": {"type": "fixed", "value": 2}}]}"#, "trials: key \"trials\" appears more than once"),
        ("$schema nested 510 arrays deep", #"{"name": "bad", "$schema": "# + String(repeating: "[", count: 510) + String(repeating: "]", count: 510) + #", "factors": [{"id": "f", "group": "g", "distribution": {"type": "fixed", "value": 2}}]}"#, "not valid JSON: arrays and objects nested deeper than 128 levels"),
    ]

    /// End to end, a few of the corpus (the reader's handling of each is ScenarioReaderTests'):
    /// exit status 2, exactly these lines on stderr, nothing on stdout, nothing written, with and
    /// without a flag that would override the bad value.
    static let endToEnd: [(index: Int, stderr: String)] = [
        (1, "invalid scenario (1 problem)\n@: factors[0].distribution.ci: low end 6 must be below high end 1.25"),
        (0, "not valid JSON: unexpected character '}' where a value was expected at line 1, column 29"),
        (12, "invalid scenario (1 problem)\n@: trials: must be a whole number from 1 to 1000000000000 (got -5)"),
    ]

    @Test(arguments: endToEnd.indices)
    func badInputIsRefusedBeforeSamplingAndWritesNothing(case c: Int) throws {
        let (index, expected) = Self.endToEnd[c]
        let (name, json, _) = Self.badInputs[index]
        let dir = try Support.temporaryDirectory()
        let file = dir.appendingPathComponent("scenario.json")
        try Data(json.utf8).write(to: file)
        let out = dir.appendingPathComponent("out")
        // "@" stands for "effsim: <file>" at the start of each line.
        let lines = expected.split(separator: "\n").map { $0.hasPrefix("@") ? "effsim: \(file.path)" + $0.dropFirst() : "effsim: \(file.path): " + $0 }
        for command in [["run", file.path, "--out", out.path], ["run", file.path, "--out", out.path, "--trials", "1000"], ["validate", file.path]] {
            let r = try Support.effsim(command)
            #expect(r.status == 2, "\(name): \(command)")
            let got = r.stderr.split(separator: "\n").map(String.init)
            #expect(got.count == lines.count && zip(got, lines).allSatisfy { $0.hasPrefix($1) }, "\(name): \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(name): \(command): \(r.stdout)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path), "\(name): wrote output")
        #expect(Support.files(in: dir) == ["scenario.json"], "\(name): left files behind")
    }

    @Test func everyProblemIsListed() throws {
        let json = """
        {"name": "bad name!", "trials": -1, "seed": 1,
         "factors": [{"id": "a", "group": "g", "distribution": {"type": "lognormal", "ci": [6, 1], "level": 0.8}},
                     {"id": "b", "group": "g", "distribution": {"type": "normal", "mean": 1, "sd": -2}}],
         "outputs": [{"id": "o", "groups": ["nope"]}]}
        """
        let dir = try Support.temporaryDirectory()
        let file = dir.appendingPathComponent("s.json")
        try Data(json.utf8).write(to: file)
        let r = try Support.effsim(["validate", file.path])
        #expect(r.status == 2)
        for path in ["name:", "trials:", "factors[0].distribution.ci:", "factors[1].distribution.sd:", "outputs[0].groups[0]:"] {
            #expect(r.stderr.contains("\(file.path): \(path)"), "missing \(path) in \(r.stderr)")
        }
        #expect(r.stderr.contains("(5 problems)"))
    }

    @Test func shippedScenariosAreValid() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Support.scenarioPath(""))
            .filter { $0.hasSuffix(".json") && !$0.hasSuffix(".schema.json") }.sorted()
        #expect(names.count == 13)
        let r = try Support.effsim(["validate"] + names.map(Support.scenarioPath))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("ok: ") }.count == names.count)
    }

    @Test func runWritesTheDocumentedHeadersAndTable() throws {
        let dir = try Support.temporaryDirectory()
        let r = try Support.effsim(["run", Support.scenarioPath("seed-2024.json"), "--trials", "20000", "--out", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try String(contentsOf: dir.appendingPathComponent("summary.csv"), encoding: .utf8)
        let lines = summary.split(separator: "\n").map(String.init)
        #expect(lines[0] == "metric,kind,trials,mean,p1,p5,p10,p25,p50,p75,p90,p95,p99,p_gt_10,p_gt_100,p_gt_1000,floor_share")
        #expect(lines.dropFirst().map { String($0.split(separator: ",")[0]) } == [
            "compute", "hardware", "transformer_pp", "moe", "unpublished", "chinchilla", "data_quality", "hardware_efficiency",
            "compute_per_year", "hardware_per_year", "training_hours", "training_flop",
        ])
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 17 })
        let histogram = try String(contentsOf: dir.appendingPathComponent("histogram.csv"), encoding: .utf8)
        #expect(histogram.hasPrefix("metric,bin,lower,upper,count\n"))
        // Every output's histogram holds every trial.
        for metric in ["compute", "hardware"] {
            let total = histogram.split(separator: "\n").dropFirst().filter { $0.hasPrefix("\(metric),") }
                .map { Int($0.split(separator: ",")[4])! }.reduce(0, +)
            #expect(total == 20000)
        }
        #expect(r.stdout.contains("hardware p50"))
        #expect(r.stdout.contains("transformer_pp"))
        #expect(Support.files(in: dir) == ["histogram.csv", "precision.csv", "run.json", "summary.csv"], "no temporary files left")
    }

    @Test func quietPrintsNothing() throws {
        let dir = try Support.temporaryDirectory()
        let r = try Support.effsim(["run", Support.scenarioPath("epoch-defaults.json"), "--out", dir.path, "--quiet"])
        #expect(r.status == 0)
        #expect(r.stdout.isEmpty && r.stderr.isEmpty)
    }

    /// Invalid option values are usage errors: exit status 2 (not argument parser's 64), one
    /// message that starts with `effsim: ` and says what is wrong, and nothing written.
    static let badFlags: [(flags: [String], message: String)] = [
        (["--trials", "0"], "effsim: The value '0' is invalid for '--trials <trials>': must be a whole number from 1 to 1000000000000\n"),
        (["--trials", "-5"], "effsim: The value '-5' is invalid for '--trials <trials>': must be a whole number from 1 to 1000000000000\n"),
        (["--trials", "10.5"], "effsim: The value '10.5' is invalid for '--trials <trials>': must be a whole number from 1 to 1000000000000\n"),
        (["--seed", "9007199254740993"], "effsim: The value '9007199254740993' is invalid for '--seed <seed>': must be a whole number from 0 to 9007199254740992\n"),
        // Numbers are written as in a scenario file (JSON): Double(_:) read 0x10 as 16.
        (["--trials", "0x10"], "effsim: The value '0x10' is invalid for '--trials <trials>': must be a whole number from 1 to 1000000000000\n"),
        (["--trials", "+5"], "effsim: The value '+5' is invalid for '--trials <trials>': must be a whole number from 1 to 1000000000000\n"),
        (["--trials", "007"], "effsim: The value '007' is invalid for '--trials <trials>': must be a whole number from 1 to 1000000000000\n"),
        (["--trials", " 5"], "effsim: The value ' 5' is invalid for '--trials <trials>': must be a whole number from 1 to 1000000000000\n"),
        (["--seed", "inf"], "effsim: The value 'inf' is invalid for '--seed <seed>': must be a whole number from 0 to 9007199254740992\n"),
        (["--bins", "0"], "effsim: --bins must be from 1 to 1024\n"),
        (["--bins", "2000"], "effsim: --bins must be from 1 to 1024\n"),
        (["--rng", "nope"], "effsim: The value 'nope' is invalid for '--rng <rng>'. Please provide one of 'taus2', 'mt19937', 'ranlxd2' or 'philox'.\n"),
        (["--threads", "0"], "effsim: --threads must be at least 1\n"),
        (["--shard", "3/2", "--state", "x"], "effsim: --shard \"3/2\": expected K/N with 1 <= K <= N (e.g. 2/4), or auto/N"),
        (["--shard", "1/2"], "effsim: --shard and --state go together\n"),
        (["--frobnicate"], "effsim: Unknown option '--frobnicate'\n"),
    ]

    @Test(arguments: badFlags.indices)
    func badFlagsAreRefused(index: Int) throws {
        let (flags, message) = Self.badFlags[index]
        let dir = try Support.temporaryDirectory()
        let r = try Support.effsim(["run", Support.scenarioPath("epoch-defaults.json"), "--out", dir.appendingPathComponent("o").path] + flags)
        #expect(r.status == 2, "\(flags)")
        #expect(r.stderr.hasPrefix(message), "\(flags): \(r.stderr)")
        #expect(r.stderr.contains("See 'effsim run --help'"), "\(flags): a pointer to the help")
        #expect(r.stdout.isEmpty)
        #expect(Support.files(in: dir).isEmpty)
    }

    /// Whole numbers are read as a scenario file reads them: 1e6 is a million trials.
    @Test func trialsInExponentFormAreAccepted() throws {
        let dir = try Support.temporaryDirectory()
        let r = try Support.effsim(["run", Support.scenarioPath("epoch-defaults.json"), "--trials", "2e4", "--out", dir.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try String(contentsOf: dir.appendingPathComponent("summary.csv"), encoding: .utf8)
        #expect(summary.split(separator: "\n")[1].split(separator: ",")[2] == "20000")
    }

    /// validate prefixes its messages like every other command and exits 2 when any file is bad.
    @Test func validateMessagesArePrefixed() throws {
        let dir = try Support.temporaryDirectory()
        let file = dir.appendingPathComponent("bad.json")
        try Data(Self.document(trials: "0").utf8).write(to: file)
        let r = try Support.effsim(["validate", Support.scenarioPath("epoch-defaults.json"), file.path])
        #expect(r.status == 2)
        #expect(r.stdout == "ok: \(Support.scenarioPath("epoch-defaults.json")) (epoch-defaults: 2 factors, 2 outputs)\n", "\(r.stdout)")
        #expect(r.stderr == """
        effsim: \(file.path): invalid scenario (1 problem)
        effsim: \(file.path): trials: must be a whole number from 1 to 1000000000000 (got 0)

        """, "\(r.stderr)")
    }

    @Test func progressNeverReachesRedirectedOutput() throws {
        // With no delay a terminal would show the bar at once; here stderr is a pipe.
        let dir = try Support.temporaryDirectory()
        let r = try Support.effsim(["run", Support.scenarioPath("seed-2024.json"), "--trials", "300000", "--out", dir.path],
                                   environment: ["EFFSIM_PROGRESS_DELAY": "0"])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty, "stderr: \(r.stderr.prefix(200))")
        #expect(!r.stdout.contains("\r") && !r.stdout.contains("#####"))
        let summary = try String(contentsOf: dir.appendingPathComponent("summary.csv"), encoding: .utf8)
        #expect(!summary.contains("\r"))
    }

    @Test func defaultOutputFolderIsResultsSlashName() throws {
        let dir = try Support.temporaryDirectory()
        let r = try Support.effsim(["run", Support.scenarioPath("epoch-defaults.json"), "--quiet"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Support.files(in: dir) == ["results/epoch-defaults/histogram.csv", "results/epoch-defaults/precision.csv", "results/epoch-defaults/run.json", "results/epoch-defaults/summary.csv"])
    }

    /// --bins B: B bins a decade aligned on powers of ten; 40 splits each of 20's bins exactly, and
    /// 60 (not a divisor of 20,480) still counts every trial once.
    @Test func histogramBinsAreAlignedOnPowersOfTen() throws {
        func histogram(_ bins: Int) throws -> [(metric: String, bin: Int, lower: Double, upper: Double, count: Int)] {
            let dir = try Support.temporaryDirectory()
            let r = try Support.effsim(["run", Support.scenarioPath("seed-2024.json"), "--trials", "50000", "--bins", "\(bins)", "--out", dir.path, "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
            let text = try String(contentsOf: dir.appendingPathComponent("histogram.csv"), encoding: .utf8)
            return text.split(separator: "\n").dropFirst().map {
                let f = $0.split(separator: ",").map(String.init)
                return (f[0], Int(f[1])!, Double(f[2])!, Double(f[3])!, Int(f[4])!)
            }
        }
        let twenty = try histogram(20), forty = try histogram(40), sixty = try histogram(60)
        for (rows, b) in [(twenty, 20.0), (forty, 40.0), (sixty, 60.0)] {
            for row in rows {
                #expect(abs(row.lower - pow(10, Double(row.bin) / b)) <= 1e-12 * row.lower)
                #expect(abs(row.upper / row.lower - pow(10, 1 / b)) < 1e-12)
            }
        }
        #expect(twenty.contains { $0.metric == "hardware" && $0.bin == 60 && $0.lower == 1000 })
        for metric in ["compute", "hardware", "transformer_pp"] {
            var merged: [Int: Int] = [:]
            for row in forty where row.metric == metric { merged[Int((Double(row.bin) / 2).rounded(.down)), default: 0] += row.count }
            let direct = Dictionary(uniqueKeysWithValues: twenty.filter { $0.metric == metric }.map { ($0.bin, $0.count) })
            #expect(merged == direct, "\(metric)")
            #expect(sixty.filter { $0.metric == metric }.map(\.count).reduce(0, +) == 50000)
        }
    }

    /// On a terminal, a run longer than the delay (1 s; 0 here, so the test does not depend on the
    /// machine's speed) shows a progress bar on stderr; --quiet hides it. util-linux's `script`
    /// gives the binary a pseudo-terminal.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func progressBarShowsOnATerminal() throws {
        let dir = try Support.temporaryDirectory()
        func onTerminal(_ extra: String) throws -> String {
            let command = "EFFSIM_PROGRESS_DELAY=0 \(Support.binary.path) run \(Support.scenarioPath("seed-2024.json")) --trials 300000 --out \(dir.path) \(extra) >/dev/null"
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            p.arguments = ["-qec", command, "/dev/null"]
            let out = Pipe()
            p.standardOutput = out
            p.standardInput = FileHandle.nullDevice
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
            return String(decoding: data, as: UTF8.self)
        }
        let shown = try onTerminal("")
        #expect(shown.contains("\r[#") && shown.contains("% ") && shown.contains("s left"), "\(shown.prefix(300))")
        let quiet = try onTerminal("--quiet")
        #expect(!quiet.contains("["), "\(quiet.prefix(300))")
    }
}
