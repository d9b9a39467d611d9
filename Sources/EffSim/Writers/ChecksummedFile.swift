import Foundation

/// A state file that carries the SHA-256 of its own canonical payload (every field but
/// `checksum`, keys sorted, as JSONEncoder writes them), so that any edit or damage is found
/// before a merge. Run, sweep and sensitivity states share it.
public protocol ChecksummedFile: Codable {
    /// SHA-256 (hex) of `payload()`; nil only while it is computed.
    var checksum: String? { get set }
}

extension ChecksummedFile {
    /// The file's text: the payload's fields and its checksum, keys sorted.
    public func encoded() throws -> Data {
        var file = self
        file.checksum = try SHA256.hex(payload())
        return try file.canonicalJSON()
    }

    /// The canonical payload the checksum covers: every field but `checksum`, keys sorted, as
    /// JSONEncoder writes them (so a value edited in the file changes it, spacing does not).
    public func payload() throws -> Data {
        var file = self
        file.checksum = nil
        return try file.canonicalJSON()
    }

    /// Reads a state file of `format` and checks what every state file must be: JSON with no key
    /// repeated, of this format (a state of another kind is named as such), decodable, with a
    /// matching checksum. Returns the file and its parsed text, for checks of its own.
    static func read(path: String, format: String) throws -> (file: Self, parsed: JSONValue?) {
        let name = Quoted.path(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OutputError(description: "\(name): cannot read the state file")
        }
        // A file of another format is named as such, not by the first key this one lacks.
        if let other = StateFolder.format(of: data), other != format {
            if let kind = StateFolder.kinds[other], let wanted = StateFolder.kinds[format] {
                throw OutputError(description: "\(name): holds a shard of a \(kind), not of a \(wanted); merge it with the other shards of its \(kind)")
            }
            throw OutputError(description: "\(name): state format \(Quoted.string(other)) is not \"\(format)\" (rerun the shard with this effsim)")
        }
        let file: Self
        do {
            file = try JSONDecoder().decode(Self.self, from: data)
        } catch {
            throw OutputError(description: "\(name): not an effsim state file (\(StateFile.reason(error)))")
        }
        // Repeated keys and inexact whole numbers, which the decoder passes over in silence.
        // One parse serves these and the caller's checks (a Codable decode of the whole file
        // into JSONValue took most of a merge's time).
        let parsed = try? JSONParser.parse(Array(data))
        if let problems = parsed?.problems, !problems.isEmpty {
            throw OutputError(description: problems.map { "\(name): \($0)" }.joined(separator: "\n"))
        }
        try file.checkChecksum(name: name)
        return (file, parsed?.value)
    }

    /// Whether the checksum is there and matches the content; the error names the file.
    func checkChecksum(name: String) throws {
        guard let checksum else { throw OutputError(description: "\(name): has no checksum") }
        guard try SHA256.hex(payload()) == checksum else {
            throw OutputError(description: "\(name): its checksum does not match its content (the file was edited or damaged)")
        }
    }

    private func canonicalJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do { return try encoder.encode(self) } catch {
            throw OutputError(description: "cannot encode the state file (\(type(of: error)))")
        }
    }
}
