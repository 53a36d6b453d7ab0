import Logging
import ServiceLifecycle
import Storage

/// Indexes new and edited messages for the moderators' search in the background, as Open Assistant's periodic
/// job did: every `interval` it works through whatever waits (a contributor's messages, or a whole import).
struct SearchIndexer: Service {
    let index: SearchIndex
    let interval: Duration
    let logger: Logger

    func run() async throws {
        // A graceful shutdown (SIGTERM, or the end of a test) must not wait out the sleep.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let indexed = try await index.catchUp()
                    if indexed > 0 { logger.debug("indexed messages for search", metadata: ["count": .stringConvertible(indexed)]) }
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("search indexing failed", metadata: ["error": .string(String(reflecting: error))])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
