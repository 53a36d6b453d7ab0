import Foundation
import PostgresNIO

/// All messages for moderators, deleted ones included: full-text search over the stored `search` vector,
/// a language filter, newest first.
public struct MessageSearch: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func search(query: String, lang: String?, authorID: UUID? = nil, offset: Int, limit: Int) async throws -> [StoredMessage] {
        let words = query.trimmingCharacters(in: .whitespacesAndNewlines)
        return try await database.withConnection { connection in
            try await MessageColumns.fetch(connection, """
                SELECT \(unescaped: MessageColumns.list) \(unescaped: MessageColumns.from)
                WHERE (\(words) = '' OR m.search @@ plainto_tsquery('simple', \(words)))
                  AND (\(lang)::text IS NULL OR m.lang = \(lang))
                  AND (\(authorID)::uuid IS NULL OR m.author_id = \(authorID))
                ORDER BY m.created_at DESC, m.id LIMIT \(limit) OFFSET \(offset)
                """, logger: database.logger)
        }
    }

    /// The languages messages are written in, for the filter.
    public func languages() async throws -> [String] {
        try await database.withConnection { connection in
            var langs: [String] = []
            for try await lang in try await connection.query(
                "SELECT DISTINCT lang FROM message_trees ORDER BY lang", logger: database.logger
            ).decode(String.self) {
                langs.append(lang)
            }
            return langs
        }
    }
}
