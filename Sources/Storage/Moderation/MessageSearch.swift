import Foundation
import PostgresNIO

/// All messages for moderators, deleted ones included: full-text search over the messages' search vectors,
/// a language filter, newest first.
public struct MessageSearch: Sendable {
    let database: Database

    /// At most this many waiting messages are indexed by a search before it answers.
    static let indexedBeforeSearch = 2_000

    public init(database: Database) {
        self.database = database
    }

    public func search(query: String, lang: String?, authorID: UUID? = nil, offset: Int, limit: Int) async throws -> [StoredMessage] {
        let words = query.trimmingCharacters(in: .whitespacesAndNewlines)
        // Messages written or edited since the indexer last ran are indexed first, so a moderator finds what
        // was just written; a large backlog (a fresh import) is left to the background indexer.
        if !words.isEmpty { try await SearchIndex(database: database).catchUp(limit: Self.indexedBeforeSearch) }
        return try await database.withConnection { connection in
            try await MessageColumns.fetch(connection, """
                SELECT \(unescaped: MessageColumns.list) \(unescaped: MessageColumns.from)
                WHERE (\(words) = '' OR EXISTS (
                          SELECT 1 FROM message_search s
                          WHERE s.message_id = m.id AND s.search @@ plainto_tsquery('simple', \(words))))
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
