/// How a person's emoji request changes their reactions on a message.
public enum EmojiOperation: String, Codable, Sendable, CaseIterable {
    case toggle
    case add
    case remove
}

public enum EmojiRules {
    /// The user's emojis on the message after the operation. Thumbs on your own message are ignored, and +1 and
    /// −1 exclude each other. Skip markers are never changed by a person.
    public static func apply(
        _ operation: EmojiOperation, _ emoji: EmojiCode, to current: Set<EmojiCode>, isOwnMessage: Bool
    ) -> Set<EmojiCode> {
        if emoji.isSkipMarker { return current }
        if isOwnMessage, emoji == .thumbsUp || emoji == .thumbsDown { return current }
        let add: Bool
        switch operation {
        case .add: add = true
        case .remove: add = false
        case .toggle: add = !current.contains(emoji)
        }
        var result = current
        if add {
            result.insert(emoji)
            if let excluded = emoji.excludes { result.remove(excluded) }
        } else {
            result.remove(emoji)
        }
        return result
    }
}
