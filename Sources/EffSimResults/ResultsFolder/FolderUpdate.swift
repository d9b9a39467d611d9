import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Replaces a results folder as one unit: everything a command produces is written into a fresh
/// folder beside the target (`.NAME.staging-PID`), the files of the old folder that still belong
/// with it are linked in, and the two folders are swapped in one step. A reader sees the old
/// folder or the new one, never a mix.
///
/// - Lock: `.NAME.lock` beside the target holds the writer's pid; a second writer is refused
///   while that process lives; a lock (or staging folder) left by a dead process is removed.
/// - Folder rule: a folder written from another scenario file (the `scenarioFile` its run.json
///   or sensitivity.json records) is refused unless forced; the same file, however edited,
///   replaces it. A folder that records no file (a merge's) is refused when it holds another
///   scenario (`Fingerprint.scenario`).
/// - Swap: Linux `renameat2(RENAME_EXCHANGE)`; elsewhere two renames (the target is briefly
///   absent, never mixed).
/// - Cleanup: `discard()` on any error; `abandonAllAndExit` from a signal handler.
public final class FolderUpdate: @unchecked Sendable {
    /// What the command writing the folder is; decides which old files carry over.
    public enum Writer: Sendable {
        /// run or merge: run files and report are new; a sensitivity of the same draws stays.
        case run(drawsFingerprint: String)
        /// sensitivity: its two files are new; run files of the same scenario stay (the report
        /// leaves out a sensitivity of other draws, with a note); the report goes (redraw it).
        case sensitivity(scenarioFingerprint: String)
        /// report, compare, sweep: the files it stages are new, an old report it did not redraw
        /// goes (it would show other numbers); everything else stays.
        case report
    }

    /// The files a run (or merge) writes.
    public static let runFiles: Set<String> = ["summary.csv", "precision.csv", "histogram.csv", "run.json"]
    /// The files a sensitivity analysis writes.
    public static let sensitivityFiles: Set<String> = ["sensitivity.csv", SensitivityRecord.fileName]

    /// Whether a file is part of a report: `report.html`, `compare.html` or an SVG.
    public static func isReportFile(_ name: String) -> Bool {
        ["report.html", "compare.html"].contains(name) || name.hasSuffix(".svg")
    }

    /// The folder being replaced.
    public let target: String
    /// The new folder being written, beside the target (`.NAME.staging-PID`).
    public let staging: String
    let lockPath: String
    /// What the target held when the update began.
    public let oldRun: RunRecord?
    /// The target's sensitivity.json when the update began.
    public let oldSensitivity: SensitivityRecord?
    /// The scenario file being written from, absolute (nil for a merge, a report, a compare).
    public let scenarioFile: String?
    private var staged: Set<String> = []
    private var finished = false

    /// Folders being written by this process, for the signal handler: id -> (staging, lock).
    private static let active = Mutex<[ObjectIdentifier: (staging: String, lock: String, created: [String])]>([:])
    /// The folders this update created for its target's parent, deepest first.
    private let createdFolders: [String]

    /// Takes the lock and checks the target. `scenario` (name, `Fingerprint.scenario`) is what
    /// will be written, from `file` when it comes from one; a target written from another file,
    /// or holding another scenario when either side has no file, is refused unless `force`.
    /// `inputs` (a record's file name and the files, as given) is what a sweep or a compare
    /// writes from: a folder that records other inputs, or a run's folder, is refused unless `force`.
    public init(
        target: String, scenario: (name: String, fingerprint: String)?, file: String? = nil,
        inputs: (record: String, files: [String])? = nil, force: Bool
    ) throws {
        let fm = FileManager.default
        guard !target.isEmpty else { throw FolderError.refused("the output folder is an empty path") }
        let absolute = URL(fileURLWithPath: target).standardizedFileURL.path
        let parent = ParentFolder.of(absolute)
        let name = (absolute as NSString).lastPathComponent
        guard absolute != "/", !name.isEmpty else {
            throw FolderError.refused("\(target): cannot replace the root folder")
        }
        self.target = target
        scenarioFile = file.map(ScenarioFile.absolute)
        staging = (parent as NSString).appendingPathComponent(".\(name).staging-\(getpid())")
        lockPath = (parent as NSString).appendingPathComponent(".\(name).lock")

        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: absolute, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue { throw FolderError.refused("\(target): exists and is not a folder") }
        // The folders `--out a/b` needs that do not exist yet, deepest first: a refusal removes them.
        var missing: [String] = []
        var folder = parent
        while !folder.isEmpty, folder != "/", !fm.fileExists(atPath: folder) {
            missing.append(folder)
            folder = ParentFolder.of(folder)
        }
        createdFolders = missing
        do { try fm.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
            throw FolderError.refused(
                "\(target): cannot create the folder it goes in (\(parent)): \(Self.reason(error))")
        }
        do { try Self.lock(lockPath, target: target) } catch {
            Self.removeEmpty(missing)
            throw error
        }
        Self.removeLeftovers(parent: parent, name: name)

        oldRun = exists ? try? RunRecord.load(directory: absolute) : nil
        oldSensitivity = exists ? SensitivityRecord.load(directory: absolute) : nil
        do {
            if exists {
                let entries = try fm.contentsOfDirectory(atPath: absolute)
                if let sub = entries.sorted().first(where: {
                    Self.isDirectory((absolute as NSString).appendingPathComponent($0))
                }) {
                    throw FolderError.refused(
                        "\(target): holds a folder effsim did not write (\(sub)); choose another --out")
                }
            }
            if let scenario, !force {
                let held = [
                    oldRun.map { ($0.scenarioName, $0.scenarioFingerprint, $0.scenarioFile) },
                    oldSensitivity.map { ($0.scenarioName, $0.scenarioFingerprint, $0.scenarioFile) },
                ].compactMap { $0 }
                for (name, fingerprint, recorded) in held {
                    if let file = scenarioFile, let recorded {
                        let old = ScenarioFile.resolve(recorded, folder: absolute)
                        if old != file {
                            throw FolderError.refused(
                                "\(target): holds results of \(Quoted.path(ScenarioFile.shown(old))), not of \(Quoted.path(ScenarioFile.shown(file))); use another --out, or --force to replace them"
                            )
                        }
                    } else if fingerprint != scenario.fingerprint {
                        throw FolderError.refused(
                            "\(target): holds results of scenario \(Quoted.string(name)) (fingerprint \(Quoted.bare(fingerprint))), not of \(Quoted.string(scenario.name)) (\(scenario.fingerprint)); use another --out, or --force to replace them"
                        )
                    }
                }
            }
            if let inputs, !force {
                let new = inputs.files.map(ScenarioFile.absolute)
                let held =
                    InputRecord.load(directory: absolute, name: inputs.record).map {
                        $0.files.map { ScenarioFile.resolve($0, folder: absolute) }
                    }
                    ?? [oldRun?.scenarioFile, oldSensitivity?.scenarioFile].compactMap {
                        $0.map { ScenarioFile.resolve($0, folder: absolute) }
                    }.prefix(1).map { $0 }
                if !held.isEmpty, held != new {
                    func shown(_ files: [String]) -> String {
                        files.map { Quoted.path(ScenarioFile.shown($0)) }.joined(separator: " and ")
                    }
                    throw FolderError.refused(
                        "\(target): holds results of \(shown(held)), not of \(shown(new)); use another --out, or --force to replace them"
                    )
                }
            }
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            unlink(lockPath)
            Self.removeEmpty(missing)
            if let error = error as? FolderError { throw error }
            throw FolderError.failed("\(target): cannot prepare the new folder: \(Self.reason(error))")
        }
        Self.active.withLock { $0[ObjectIdentifier(self)] = (staging, lockPath, missing) }
    }

    deinit { if !finished { discard() } }

    /// Writes a file of the new folder.
    public func stage(_ name: String, _ text: String) throws { try stage(name, Data(text.utf8)) }

    /// Writes a file of the new folder from bytes.
    public func stage(_ name: String, _ data: Data) throws {
        do {
            try data.write(to: URL(fileURLWithPath: (staging as NSString).appendingPathComponent(name)))
            staged.insert(name)
        } catch {
            discard()
            throw FolderError.failed("cannot write \(name) for \(target): \(Self.reason(error))")
        }
    }

    /// Links into the new folder the old files that still belong with what `writer` writes.
    public func carryOver(for writer: Writer) throws {
        let old = URL(fileURLWithPath: target).standardizedFileURL.path
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: old) else { return }
        for name in names.sorted() where !staged.contains(name) && keeps(name, writer) {
            let from = (old as NSString).appendingPathComponent(name)
            let to = (staging as NSString).appendingPathComponent(name)
            if link(from, to) != 0 {
                do { try FileManager.default.copyItem(atPath: from, toPath: to) } catch {
                    discard()
                    throw FolderError.failed("cannot carry \(name) over into the new \(target): \(Self.reason(error))")
                }
            }
        }
    }

    func keeps(_ name: String, _ writer: Writer) -> Bool {
        switch writer {
        case let .run(key):
            if Self.runFiles.contains(name) || Self.isReportFile(name) { return false }
            if Self.sensitivityFiles.contains(name) { return oldSensitivity?.drawsFingerprint == key }
            return true
        case let .sensitivity(key):
            if Self.sensitivityFiles.contains(name) || Self.isReportFile(name) { return false }
            if Self.runFiles.contains(name) { return oldRun?.scenarioFingerprint == key }
            return true
        case .report:
            return !Self.isReportFile(name)
        }
    }

    /// Swaps the new folder into place and releases the lock.
    public func commit() throws {
        if let pause = ProcessInfo.processInfo.environment["EFFSIM_PAUSE_BEFORE_SWAP"], let seconds = UInt32(pause) {
            // A test hook: the folder is staged, nothing replaced yet; the test kills us here.
            FileHandle.standardError.write(Data("effsim: staged \(staging)\n".utf8))
            sleep(seconds)
        }
        let absolute = URL(fileURLWithPath: target).standardizedFileURL.path
        let error: String? = Self.active.withLock { active in
            defer {
                active[ObjectIdentifier(self)] = nil
                finished = true
            }
            var failure: String?
            if FileManager.default.fileExists(atPath: absolute) {
                if !Self.exchange(staging, absolute) {
                    let aside = staging.replacingOccurrences(of: ".staging-", with: ".old-")
                    if rename(absolute, aside) != 0 {
                        failure = String(cString: strerror(errno))
                    } else if rename(staging, absolute) != 0 {
                        failure = String(cString: strerror(errno))
                        _ = rename(aside, absolute)
                    } else {
                        try? FileManager.default.removeItem(atPath: aside)
                    }
                }
            } else if rename(staging, absolute) != 0 {
                failure = String(cString: strerror(errno))
            }
            // After an exchange the staging name holds the old folder.
            try? FileManager.default.removeItem(atPath: staging)
            unlink(lockPath)
            return failure
        }
        if let error { throw FolderError.failed("cannot move the new folder into place at \(target): \(error)") }
    }

    /// Removes the new folder and the lock; the target is left as it was.
    public func discard() {
        Self.active.withLock { active in
            active[ObjectIdentifier(self)] = nil
            guard !finished else { return }
            finished = true
            try? FileManager.default.removeItem(atPath: staging)
            unlink(lockPath)
            Self.removeEmpty(createdFolders)
        }
    }

    /// For a SIGINT/SIGTERM handler: removes every staging folder and lock of this process,
    /// then exits with `status`. Waits for a swap in progress to finish first.
    public static func abandonAllAndExit(_ status: Int32) -> Never {
        active.withLock { active in
            removeAll(active)
            _exit(status)
        }
    }

    /// For `atexit`: an exit on an error path leaves no staging folder or lock behind.
    public static func abandonAll() {
        active.withLock { active in
            removeAll(active)
            active = [:]
        }
    }

    private static func removeAll(_ active: [ObjectIdentifier: (staging: String, lock: String, created: [String])]) {
        for (staging, lock, created) in active.values {
            try? FileManager.default.removeItem(atPath: staging)
            unlink(lock)
            removeEmpty(created)
        }
    }

    /// Removes each of `folders` (deepest first) while it is empty: what a refused write created.
    static func removeEmpty(_ folders: [String]) {
        for folder in folders where rmdir(folder) != 0 { return }
    }

    // MARK: - Lock and leftovers

    static func lock(_ path: String, target: String) throws {
        for _ in 0..<3 {
            let fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o644)
            if fd >= 0 {
                let text = "\(getpid())\n"
                _ = text.withCString { write(fd, $0, strlen($0)) }
                close(fd)
                return
            }
            guard errno == EEXIST else {
                throw FolderError.failed(
                    "\(target): cannot create the lock \(path): \(String(cString: strerror(errno)))")
            }
            let owner = FileManager.default.contents(atPath: path)
                .flatMap { Int32(String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) }
            if let owner, isAlive(owner) {
                throw FolderError.busy(
                    "\(target): being written by effsim process \(owner) (lock \(path)); wait for it to finish")
            }
            // A lock whose owner is gone (or never wrote its pid): take it over.
            unlink(path)
        }
        throw FolderError.busy("\(target): could not take the lock \(path)")
    }

    /// Whether the process `pid` lives and is an effsim: a lock's pid that a crash left behind
    /// may have been given to another program since, whose lock would otherwise never go.
    static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        #if os(Linux)
            // The process's name (`comm`) as the kernel keeps it; unreadable: assume it is one.
            func name(_ p: String) -> String? {
                FileManager.default.contents(atPath: "/proc/\(p)/comm").map { String(decoding: $0, as: UTF8.self) }
            }
            if let theirs = name(String(pid)), let ours = name("self"), theirs != ours { return false }
        #endif
        return true
    }

    /// Staging and set-aside folders of processes that died (SIGKILL, power loss).
    static func removeLeftovers(parent: String, name: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for entry in entries {
            for marker in [".\(name).staging-", ".\(name).old-"] where entry.hasPrefix(marker) {
                if let pid = Int32(entry.dropFirst(marker.count)), !isAlive(pid) || pid == getpid() {
                    try? FileManager.default.removeItem(atPath: (parent as NSString).appendingPathComponent(entry))
                }
            }
        }
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Linux renameat2(RENAME_EXCHANGE), looked up at run time (Glibc's Swift module does not
    /// export it); false where it is missing or fails, and the caller falls back to two renames.
    static func exchange(_ a: String, _ b: String) -> Bool {
        #if os(Linux)
            typealias RenameAt2 =
                @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
            guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "renameat2") else { return false }
            let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
            let renameExchange: UInt32 = 2  // RENAME_EXCHANGE
            return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
        #else
            return false
        #endif
    }

    static func reason(_ error: Error) -> String {
        let e = error as NSError
        if let underlying = e.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return e.localizedDescription
    }
}

/// Why a results folder was not written: `refused` (bad target, another scenario's folder: exit 2),
/// `busy` (another writer holds the lock), `failed` (the system refused a write).
public enum FolderError: Error, CustomStringConvertible, Sendable {
    /// A bad target or another scenario's folder (exit status 2); the message.
    case refused(String)
    /// Another writer holds the folder's lock; the message.
    case busy(String)
    /// The system refused a write; the message.
    case failed(String)

    /// The message.
    public var description: String {
        switch self {
        case let .refused(m), let .busy(m), let .failed(m): return m
        }
    }

    /// The exit status the command line uses for it.
    public var exitStatus: Int32 {
        if case .refused = self { return 2 }
        return 1
    }
}
