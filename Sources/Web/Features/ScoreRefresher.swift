import Logging
import ServiceLifecycle
import Storage

/// Keeps the leaderboard pages fresh: ranks the boards every `rankInterval` and lets old hours fall out of
/// the day, week and month frames every `windowInterval`. Actions update the scores as they happen; ranking
/// is the part a request must not do, and the windows only retire what has aged out.
struct ScoreRefresher: Service {
    let scores: ScoreBook
    let rankInterval: Duration
    let windowInterval: Duration
    let logger: Logger

    func run() async throws {
        // A graceful shutdown (SIGTERM, or the end of a test) must not wait out the sleep.
        try? await cancelWhenGracefulShutdown {
            let clock = ContinuousClock()
            var windowsDue = clock.now
            while !Task.isCancelled {
                // The stored ranking outlives a restart, so a starting server first serves, then ranks.
                try await Task.sleep(for: rankInterval)
                do {
                    if clock.now >= windowsDue {
                        try await scores.refreshWindows()
                        windowsDue = clock.now + windowInterval
                    }
                    try await scores.refreshRanks()
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("leaderboard refresh failed", metadata: ["error": .string(String(reflecting: error))])
                }
            }
        }
    }
}
