import Feedback
import Foundation

/// A message as pages show it: what the rules use plus text, author name and labels summary.
public struct StoredMessage: Sendable, Equatable {
    public var id: UUID
    public var treeID: UUID
    public var parentID: UUID?
    public var role: MessageRole
    public var text: String
    public var lang: String
    public var depth: Int
    public var authorID: UUID?
    public var authorName: String?
    public var reviewCount: Int
    public var reviewResult: Bool?
    public var rankingCount: Int
    public var rank: Int?
    public var deleted: Bool
    public var synthetic: Bool
    public var modelName: String?
    public var emojis: [EmojiCode: Int]
    public var createdAt: Date
}

/// Emoji counts travel as a JSON object in `messages.emojis`.
enum EmojiJSON {
    static func decode(_ text: String) -> [EmojiCode: Int] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
        var counts: [EmojiCode: Int] = [:]
        for (key, value) in object {
            if let code = EmojiCode(rawValue: key), let count = value as? Int, count > 0 { counts[code] = count }
        }
        return counts
    }
}
