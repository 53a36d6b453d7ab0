import Logging
import ServiceLifecycle

/// Serves an application while a benchmark loads it, then shuts it down the way a signal would. Cancelling the
/// server's task instead made it log its shutdown as errors under every table.
enum BenchServer {
    static func serving<Result: Sendable>(_ app: some Service, logger: Logger, _ load: () async throws -> Result) async throws -> Result {
        let services = ServiceGroup(configuration: .init(services: [.init(service: app)], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            // The listener binds while this waits; the load's first connection must not arrive before it.
            try await Task.sleep(for: .milliseconds(500))
            let outcome: Swift.Result<Result, Error>
            do { outcome = .success(try await load()) } catch { outcome = .failure(error) }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return try outcome.get()
        }
    }
}
