import Foundation
import Mail
import Testing

/// End-to-end: send through the real maildump catcher and read back what it stored.
@Suite("Delivery to the mail catcher")
struct DeliveryTests {
    @Test func plainMailArrives() async throws {
        let catcher = try await MailCatcher.require()
        let subject = uniqueSubject("Plain")
        let to = "plain-\(UUID().uuidString.prefix(8).lowercased())@example.test"
        try await SMTPClient(configuration: catcher.smtp)
            .send(MailMessage(to: to, subject: subject, text: "Hello there.\nSecond line."))

        let stored = try await catcher.message(subject: subject)
        let plain = try await catcher.plain(stored.id)
        #expect(plain.contains("Hello there."))
        #expect(plain.contains("Second line."))
        let source = try await catcher.source(stored.id)
        #expect(source.contains("To: <\(to)>"))
        #expect(source.contains("Message-ID: <"))
        #expect(source.contains("Date: "))
    }

    @Test func multipartMailHasBothParts() async throws {
        let catcher = try await MailCatcher.require()
        let subject = uniqueSubject("Multipart")
        let link = "http://127.0.0.1:8080/signin/verify?token=abc123"
        try await SMTPClient(configuration: catcher.smtp).send(MailMessage(
            fromName: "Open Assistant", to: "multipart@example.test", subject: subject,
            text: "Sign in: \(link)",
            html: "<p>Sign in: <a href=\"\(link)\">\(link)</a></p>"))

        let stored = try await catcher.message(subject: subject)
        #expect(try await catcher.plain(stored.id).contains("Sign in: \(link)"))
        #expect(try await catcher.html(stored.id).contains("<a href=\"\(link)\">"))
        #expect(try await catcher.source(stored.id).contains("multipart/alternative"))
    }

    @Test func dotLinesArriveIntact() async throws {
        let catcher = try await MailCatcher.require()
        let subject = uniqueSubject("Dots")
        // A lone "." would end DATA early without dot-stuffing; ".." must not lose a dot.
        let body = "first line\n.\n.starts with a dot\n..two dots\nlast line"
        try await SMTPClient(configuration: catcher.smtp)
            .send(MailMessage(to: "dots@example.test", subject: subject, text: body))

        let plain = try await catcher.plain(try await catcher.message(subject: subject).id)
        let lines = plain.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        #expect(Array(lines.prefix(5)) == ["first line", ".", ".starts with a dot", "..two dots", "last line"])
    }

    @Test func nonASCIISubjectAndBody() async throws {
        let catcher = try await MailCatcher.require()
        // Long enough to need several encoded words, with multi-byte characters across the split points.
        let subject = uniqueSubject("Grüße, ünïcødé ✓ 日本語のテキスト — Anmeldung bei Open Assistant")
        let body = "Schöne Grüße! Ça marche. 你好 🌍 " + String(repeating: "é", count: 100)
        try await SMTPClient(configuration: catcher.smtp)
            .send(MailMessage(to: "unicode@example.test", subject: subject, text: body, html: "<p>\(body)</p>"))

        let stored = try await catcher.message(subject: subject)
        #expect(stored.subject == subject)
        #expect(try await catcher.plain(stored.id).contains(body))
        #expect(try await catcher.html(stored.id).contains(body))
        let source = try await catcher.source(stored.id)
        #expect(source.contains("=?UTF-8?B?"))
        // Everything on the wire is 7-bit, with lines within the RFC limits.
        #expect(source.utf8.allSatisfy { $0 < 0x80 })
        #expect(source.split(separator: "\n").allSatisfy { $0.utf8.count <= 78 })
    }

    @Test func defaultSenderComesFromConfiguration() async throws {
        let catcher = try await MailCatcher.require()
        var configuration = catcher.smtp
        configuration.from = "noreply@oasst.test"
        let subject = uniqueSubject("Sender")
        try await SMTPClient(configuration: configuration)
            .send(MailMessage(to: "sender@example.test", subject: subject, text: "x"))
        let stored = try await catcher.message(subject: subject)
        #expect(stored.sender?.contains("noreply@oasst.test") == true)
    }

    @Test func requiredSTARTTLSWithoutOfferFails() async throws {
        let catcher = try await MailCatcher.require()
        var configuration = catcher.smtp
        configuration.security = .startTLS(.required)  // maildump does not offer STARTTLS
        await #expect {
            try await SMTPClient(configuration: configuration)
                .send(MailMessage(to: "tls@example.test", subject: "never delivered", text: "x"))
        } throws: { error in
            if case MailError.tls = error { return true }
            return false
        }
    }

    @Test func credentialsWithoutServerAuthFail() async throws {
        let catcher = try await MailCatcher.require()
        var configuration = catcher.smtp
        configuration.username = "user"
        configuration.password = "secret"  // maildump advertises no AUTH
        await #expect {
            try await SMTPClient(configuration: configuration)
                .send(MailMessage(to: "auth@example.test", subject: "never delivered", text: "x"))
        } throws: { error in
            if case MailError.protocolViolation = error { return true }
            return false
        }
    }
}
