import Foundation
import PostgresNIO

/// Reading a reply's event log, for streams and for waiting on a reply to finish.
public struct ChatEventLog: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public struct Event: Sendable, Equatable {
        public var seq: Int
        /// "token", "done" or "error".
        public var kind: String
        /// JSON: `{"text": …}` for tokens; `{"state": …, "finish_reason"?: …, "message"?: …}` at the end.
        public var data: String

        public var isLast: Bool { kind != "token" }
    }

    /// Events after `seq`, oldest first.
    public func events(of messageID: UUID, after seq: Int) async throws -> [Event] {
        try await database.withConnection { connection in
            var events: [Event] = []
            for try await (seq, kind, data) in try await connection.query("""
                SELECT seq, kind, data FROM chat_events WHERE message_id = \(messageID) AND seq > \(seq) ORDER BY seq
                """, logger: database.logger).decode((Int, String, String).self) {
                events.append(Event(seq: seq, kind: kind, data: data))
            }
            return events
        }
    }

    /// 1 when the reply is next in line; nil when it is no longer waiting.
    public func queuePosition(of messageID: UUID) async throws -> Int? {
        try await database.withConnection { connection in
            for try await position in try await connection.query("""
                SELECT count(*)::int FROM chat_messages q, chat_messages me
                WHERE me.id = \(messageID) AND me.state = 'pending' AND q.state = 'pending'
                  AND (q.queued_at, q.id) <= (me.queued_at, me.id)
                """, logger: database.logger).decode(Int.self) { return position > 0 ? position : nil }
            return nil
        }
    }

    /// Tokens of every assistant reply written so far (benchmarks compare it over a run).
    public func completionTokensWritten() async throws -> Int {
        try await database.withConnection { connection in
            for try await sum in try await connection.query("""
                SELECT coalesce(sum(completion_tokens), 0)::int FROM chat_messages WHERE role = 'assistant'
                """, logger: database.logger).decode(Int.self) { return sum }
            return 0
        }
    }
}
