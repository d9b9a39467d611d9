import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// Checks where a command will write, before any sampling, so that a bad `--out` or `--state`
/// is refused at once with a plain reason instead of a file system error code after the work.
public enum Destination {
    /// A folder that a command's files can go into (it need not exist yet).
    public static func checkFolder(_ path: String, option: String = "--out") throws {
        guard !path.isEmpty else { throw OutputError(description: "\(option): the path is empty; give a folder") }
        let shown = Quoted.path(path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw OutputError(description: "\(option) \(shown): exists and is not a folder")
        }
        try checkWritableAncestor(of: path, option: option, shown: shown)
    }

    /// A state file `--state` may create or replace: only a regular file (never a device, a
    /// folder, a symbolic link or a pipe), in a folder that can hold it.
    public static func checkStateFile(_ path: String) throws {
        guard !path.isEmpty else { throw OutputError(description: "--state: the path is empty; give a file name") }
        let shown = Quoted.path(path)
        var info = stat()
        if lstat(path, &info) == 0 {
            let kind: String?
            switch info.st_mode & S_IFMT {
            case S_IFREG: kind = nil
            case S_IFDIR: kind = "a folder"
            case S_IFLNK: kind = "a symbolic link"
            case S_IFCHR, S_IFBLK: kind = "a device"
            case S_IFIFO: kind = "a pipe"
            case S_IFSOCK: kind = "a socket"
            default: kind = "not a regular file"
            }
            if let kind {
                throw OutputError(description: "--state \(shown): is \(kind); effsim replaces only a regular file")
            }
        }
        let folder = ParentFolder.of(path)
        try checkWritableAncestor(of: folder.isEmpty ? "." : folder, option: "--state", shown: shown)
        if !folder.isEmpty {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw OutputError(description: "--state \(shown): \(Quoted.path(folder)) is not a folder")
            }
        }
    }

    /// The nearest existing folder on the path must be a folder in which files can be created
    /// (a probe file is created and removed at once: permission bits do not tell, e.g. for /proc).
    private static func checkWritableAncestor(of path: String, option: String, shown: String) throws {
        var ancestor = path
        while !FileManager.default.fileExists(atPath: ancestor) {
            let parent = ParentFolder.of(ancestor)
            if parent.isEmpty {
                ancestor = "."
                break
            }
            if parent == ancestor { break }
            ancestor = parent
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: ancestor, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw OutputError(description: "\(option) \(shown): \(Quoted.path(ancestor)) is a file, not a folder")
        }
        let probe = (ancestor as NSString).appendingPathComponent(".effsim-probe-\(getpid()).tmp")
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw OutputError(
                description: "\(option) \(shown): cannot create files in \(Quoted.path(ancestor)) (\(reason))")
        }
        close(fd)
        unlink(probe)
    }
}
