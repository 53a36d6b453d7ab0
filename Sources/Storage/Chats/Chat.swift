import Foundation

/// A conversation with the assistant, owned by one user.
public struct Chat: Sendable, Equatable {
    public var id: UUID
    public var userID: UUID
    public var title: String?
    public var hidden: Bool
    public var allowDataUse: Bool
    public var systemPrompt: String?
    public var preset: String
    public var activeLeafID: UUID?
    public var viaAPI: Bool
    public var shareToken: String?
    public var createdAt: Date
    public var modifiedAt: Date
}

enum ChatColumns {
    static let list = """
        c.id, c.user_id, c.title, c.hidden, c.allow_data_use, c.system_prompt, c.preset, c.active_leaf_id,
        c.via_api, c.share_token, c.created_at, c.modified_at
        """

    typealias Row = (UUID, UUID, String?, Bool, Bool, String?, String, UUID?, Bool, String?, Date, Date)

    static func chat(_ row: Row) -> Chat {
        Chat(
            id: row.0, userID: row.1, title: row.2, hidden: row.3, allowDataUse: row.4, systemPrompt: row.5,
            preset: row.6, activeLeafID: row.7, viaAPI: row.8, shareToken: row.9, createdAt: row.10, modifiedAt: row.11
        )
    }
}
