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
        #expect(clock.now - start < .seconds(2))
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
        #expect(elapsed < .seconds(3))
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
