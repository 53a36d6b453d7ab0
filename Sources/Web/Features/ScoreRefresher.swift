import Logging
import ServiceLifecycle
import Storage

/// Lets old hours fall out of the day, week and month leaderboards. Actions update the boards as they
/// happen; this only retires what has aged out, so every few minutes is plenty.
struct ScoreRefresher: Service {
    let scores: ScoreBook
    let interval: Duration
    let logger: Logger

    func run() async throws {
        // A graceful shutdown (SIGTERM, or the end of a test) must not wait out the sleep.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await scores.refreshWindows()
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("leaderboard refresh failed", metadata: ["error": .string(String(reflecting: error))])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
