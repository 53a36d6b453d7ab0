import Foundation
import PostgresNIO

extension SessionStore {
    /// The live session behind a cookie's hash, with its user. Every request asks it, so it is prepared once per
    /// pooled connection instead of parsed and planned each time (see `TaskStatements`).
    struct Lookup: PreparedQuery {
        static let sql = """
            SELECT s.id_hash, s.csrf_token, s.last_seen_at,
                   u.id, u.email::text, u.display_name, u.role, u.banned, u.banned_reason, u.terms_accepted_at,
                   u.show_on_leaderboard, u.deleted, u.created_at
            FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.id_hash = $1 AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => $2)
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .float8]
        typealias Row = (String, String, Date, UUID, String?, String?, String, Bool, String?, Date?, Bool, Bool, Date)
        var hash: String
        var idleSeconds: Double

        var bound: [any PostgresThrowingDynamicTypeEncodable] { [hash, idleSeconds] }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
