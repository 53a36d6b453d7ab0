import Foundation
import Mail
import Testing

/// A down or silent server must produce a typed error within the configured bound, never a hang.
@Suite("Unreachable and silent servers")
struct FailureTests {
    let message = MailMessage(from: "tests@oasst.test", to: "nobody@example.test", subject: "unsent", text: "x")

    @Test func closedPortIsUnavailableQuickly() async throws {
        let configuration = try SMTPConfiguration(url: "smtp://127.0.0.1:\(try closedPort())")
        let clock = ContinuousClock()
        let start = clock.now
        await #expect {
            try await SMTPClient(configuration: configuration).send(message)
        } throws: { error in
            if case MailError.unavailable = error { return true }
            return false
        }
        // Refused at once; the bound leaves room for a machine busy with model tests (a hang never returns).
        #expect(clock.now - start < .seconds(30))
    }

    @Test func silentServerTimesOutWithinBound() async throws {
        let listener = try SilentListener()
        var configuration = try SMTPConfiguration(url: "smtp://127.0.0.1:\(listener.port)?reply_timeout=1")
        configuration.connectTimeout = .seconds(1)
        let clock = ContinuousClock()
        let start = clock.now
        await #expect {
            try await SMTPClient(configuration: configuration).send(message)
        } throws: { error in
            if case MailError.timeout(let why) = error { return why.contains("greeting") }
            return false
        }
        let elapsed = clock.now - start
        #expect(elapsed >= .milliseconds(900))
        // The client gave up on its own 1 s bound (the error says so); the wall-clock bound only has to
        // tell that apart from a hang on a machine busy with model tests.
        #expect(elapsed < .seconds(60))
        withExtendedLifetime(listener) {}
    }

    @Test func injectionIsRejectedBeforeConnecting() async throws {
        // Port of a closed socket: if the client tried to connect, the error would be .unavailable instead.
        let configuration = try SMTPConfiguration(url: "smtp://127.0.0.1:\(try closedPort())")
        let evil = MailMessage(from: "tests@oasst.test", to: "victim@example.test\r\nBcc: everyone@example.test",
                               subject: "hi", text: "x")
        await #expect(throws: MailError.headerInjection(field: "To")) {
            try await SMTPClient(configuration: configuration).send(evil)
        }
    }
}
