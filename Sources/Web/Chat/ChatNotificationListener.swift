import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Turns `NOTIFY chat_events` from any server process into local signals, so a stream here follows a
/// reply written by a worker elsewhere without polling the database.
public struct ChatNotificationListener: Service {
    let database: Database
    let signals: ChatSignals
    let logger: Logger

    public init(database: Database, signals: ChatSignals, logger: Logger) {
        self.database = database
        self.signals = signals
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await database.listen(on: "chat_events") { payload in
                        if let id = UUID(uuidString: payload) { signals.signal(id) }
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("listening for chat events failed, retrying: \(String(reflecting: error))")
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
