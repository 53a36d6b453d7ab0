@testable import Mail
import Testing

@Suite("SMTP URL configuration")
struct ConfigurationTests {
    @Test func defaultIsTheLocalCatcher() throws {
        let configuration = try SMTPConfiguration.fromEnvironment([:])
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 1025)
        #expect(configuration.security == .startTLS(.optional))
        #expect(configuration.username == nil)
        #expect(configuration.connectTimeout == .seconds(5))
        #expect(configuration.replyTimeout == .seconds(10))
    }

    @Test func fullPlainURL() throws {
        let configuration = try SMTPConfiguration(
            url: "smtp://me%40example.org:p%40ss%3Aword@mail.example.org:587?starttls=required&from=noreply@example.org&connect_timeout=2&reply_timeout=0.5")
        #expect(configuration.host == "mail.example.org")
        #expect(configuration.port == 587)
        #expect(configuration.security == .startTLS(.required))
        #expect(configuration.username == "me@example.org")
        #expect(configuration.password == "p@ss:word")
        #expect(configuration.from == "noreply@example.org")
        #expect(configuration.connectTimeout == .seconds(2))
        #expect(configuration.replyTimeout == .milliseconds(500))
    }

    @Test func smtpsDefaultsToPort465() throws {
        let configuration = try SMTPConfiguration(url: "smtps://mail.example.org")
        #expect(configuration.port == 465)
        #expect(configuration.security == .implicitTLS)
        #expect(try SMTPConfiguration(url: "smtp://mail.example.org").port == 25)
    }

    @Test func ipv6Host() throws {
        #expect(try SMTPConfiguration(url: "smtp://[::1]:1025").host == "::1")
    }

    @Test(arguments: [
        ("http://example.org", "smtp://"),
        ("smtp://", "no host"),
        ("smtp://host:0", "port"),
        ("smtp://host?starttls=maybe", "starttls"),
        ("smtps://host?starttls=required", "smtps"),
        ("smtp://host?from=not-an-address", "from="),
        ("smtp://host?reply_timeout=-1", "reply_timeout"),
        ("smtp://host?colour=blue", "unknown parameter colour"),
        ("smtp://user@host", "both user and password"),
        ("smtp://host/path", "path"),
        ("not a url at all", "URL"),
    ])
    func invalidURLsNameTheProblem(url: String, mentions: String) {
        #expect {
            _ = try SMTPConfiguration(url: url)
        } throws: { error in
            guard case MailError.invalidConfiguration(let why) = error else { return false }
            return why.contains(mentions)
        }
    }

    @Test func passwordIsNotEchoedInErrors() {
        do {
            _ = try SMTPConfiguration(url: "smtp://user:hunter2@host?bogus=1")
            Issue.record("expected an error")
        } catch {
            #expect(!"\(error)".contains("hunter2"))
        }
    }
}
