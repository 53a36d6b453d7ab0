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
        let digest = SHA256.hash(data: Data("\(collection.rawValue):\(id.uuidString.lowercased())\(seed)".utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }
}

/// How ids are written: raw lowercase UUIDs, or anonymised.
struct IDWriter: Sendable {
    let anonymizer: Anonymizer?

    func callAsFunction(_ id: UUID, _ collection: Anonymizer.Collection) -> String {
        anonymizer?.anonymize(id, as: collection) ?? id.uuidString.lowercased()
    }
}
