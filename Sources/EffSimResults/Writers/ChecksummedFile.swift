import EffSimCore
import EffSimModel
import EffSimSampling
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
    /// repeated and no inexact whole number, of this format (a state of another kind is named as
    /// such), decodable, with a matching checksum. Returns the file and its parsed text, for
    /// checks of its own (unknown keys).
    static func read(path: String, format: String) throws -> (file: Self, parsed: JSONValue?) {
        let name = Quoted.path(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OutputError(description: "\(name): cannot read the state file")
        }
        // One parse serves the decoding and the checks the decoder would pass over in silence:
        // repeated keys and inexact whole numbers.
        guard let parsed = try? JSONParser.parse(Array(data)) else {
            throw OutputError(description: "\(name): not an effsim state file (not valid JSON)")
        }
        // A file of another format is named as such, not by the first key this one lacks.
        if case let .string(other)? = parsed.value["format"], other != format {
            if let kind = StateFolder.kinds[other], let wanted = StateFolder.kinds[format] {
                throw OutputError(
                    description:
                        "\(name): holds a shard of a \(kind), not of a \(wanted); merge it with the other shards of its \(kind)"
                )
            }
            throw OutputError(
                description:
                    "\(name): state format \(Quoted.string(other)) is not \"\(format)\" (rerun the shard with this effsim)"
            )
        }
        if !parsed.problems.isEmpty {
            throw OutputError(description: parsed.problems.map { "\(name): \($0)" }.joined(separator: "\n"))
        }
        let file: Self
        do {
            file = try JSONValueDecoder.decode(Self.self, from: parsed.value)
        } catch {
            throw OutputError(description: "\(name): not an effsim state file (\(StateFile.reason(error)))")
        }
        try file.checkChecksum(name: name, data: data)
        return (file, parsed.value)
    }

    /// Whether the checksum is there and matches the content; the error names the file. The
    /// checksum is checked on the bytes read when the file is laid out as effsim writes it
    /// (re-encoding 4 MB of counts took a third of a merge), else on the payload encoded again.
    func checkChecksum(name: String, data: Data) throws {
        guard let checksum else { throw OutputError(description: "\(name): has no checksum") }
        let asWritten = Self.canonicalPayload(data, checksum: checksum).map { SHA256.hex($0) == checksum } ?? false
        guard try asWritten || SHA256.hex(payload()) == checksum else {
            throw OutputError(
                description: "\(name): its checksum does not match its content (the file was edited or damaged)")
        }
    }

    /// The payload as it stands in the file when the file is as effsim writes it,
    /// `{"checksum":"<hex>",` then the payload's members: `{` and those members. Nil for a file
    /// laid out otherwise; such a file, or one whose bytes do not match (spaced), has its payload
    /// encoded again.
    static func canonicalPayload(_ data: Data, checksum: String) -> Data? {
        let head = Data("{\"checksum\":\"\(checksum)\",".utf8)
        guard data.starts(with: head) else { return nil }
        return Data("{".utf8) + data.dropFirst(head.count)
    }

    private func canonicalJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do { return try encoder.encode(self) } catch {
            throw OutputError(description: "cannot encode the state file (\(type(of: error)))")
        }
    }
}
