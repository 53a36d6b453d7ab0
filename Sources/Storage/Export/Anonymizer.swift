import Crypto
import Foundation

/// Open Assistant's anonymiser: an id becomes sha256("{collection}:{id}{seed}") in hex. Unlike the original,
/// the tree-level `message_tree_id` is anonymised too, so a seeded export leaks no raw id.
public struct Anonymizer: Sendable {
    public let seed: String

    public init(seed: String) {
        self.seed = seed
    }

    public enum Collection: String, Sendable {
        case message
        case user
        case messageTree = "message_tree"
    }

    public func anonymize(_ id: UUID, as collection: Collection) -> String {
        var input = Array(collection.rawValue.utf8)
        input.append(UInt8(ascii: ":"))
        LowercaseHex.appendUUID(id, to: &input)
        input.append(contentsOf: seed.utf8)
        return LowercaseHex.string(SHA256.hash(data: input))
    }
}

/// How ids are written: raw lowercase UUIDs, or anonymised.
struct IDWriter: Sendable {
    let anonymizer: Anonymizer?

    func callAsFunction(_ id: UUID, _ collection: Anonymizer.Collection) -> String {
        anonymizer?.anonymize(id, as: collection) ?? LowercaseHex.uuid(id)
    }

    /// The id as a JSON string value, without building a String when it is not anonymised.
    func write(_ id: UUID, _ collection: Anonymizer.Collection, into json: inout JSONLine) {
        if let anonymizer { json.string(anonymizer.anonymize(id, as: collection)) } else { json.uuid(id) }
    }
}
