import Foundation
@testable import Mail
import Testing

@Suite("Message rendering")
struct MessageTests {
    let date = Date(timeIntervalSince1970: 1_700_000_000)  // Tue, 14 Nov 2023 22:13:20 UTC

    @Test func plainMessageHeaders() throws {
        let text = try MailMessage(from: "a@oasst.test", to: "b@example.test", subject: "Hi", text: "Body")
            .rendered(date: date, messageID: "id1@oasst.test")
        #expect(text == """
            Date: Tue, 14 Nov 2023 22:13:20 +0000\r
            From: <a@oasst.test>\r
            To: <b@example.test>\r
            Subject: Hi\r
            Message-ID: <id1@oasst.test>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            Body\r

            """)
    }

    @Test func everyLineEndsWithCRLF() throws {
        let text = try MailMessage(from: "a@oasst.test", fromName: "Åsa", to: "b@example.test", subject: "ö",
                                   text: "one\ntwo\r\nthree\rfour", html: "<p>x</p>\n").rendered()
        let bytes = Array(text.utf8)
        for (i, byte) in bytes.enumerated() where byte == 0x0A {
            #expect(i > 0 && bytes[i - 1] == 0x0D)
        }
        for (i, byte) in bytes.enumerated() where byte == 0x0D {
            #expect(i + 1 < bytes.count && bytes[i + 1] == 0x0A)
        }
        #expect(text.contains("From: =?UTF-8?B?w4VzYQ==?= <a@oasst.test>"))
    }

    @Test(arguments: [
        ("to", MailMessage(from: "a@oasst.test", to: "b@example.test\r\nBcc: x@example.test", subject: "s", text: "")),
        ("to", MailMessage(from: "a@oasst.test", to: "b@example.test\n", subject: "s", text: "")),
        ("from", MailMessage(from: "a@oasst.test\rX: y", to: "b@example.test", subject: "s", text: "")),
        ("subject", MailMessage(from: "a@oasst.test", to: "b@example.test", subject: "s\r\nBcc: x@example.test", text: "")),
        ("from name", MailMessage(from: "a@oasst.test", fromName: "A\nB", to: "b@example.test", subject: "s", text: "")),
    ])
    func lineBreaksInHeadersAreRejected(field: String, message: MailMessage) {
        #expect {
            _ = try message.rendered()
        } throws: { error in
            guard case MailError.headerInjection(let named) = error else { return false }
            return named.lowercased() == field
        }
    }

    @Test func controlCharactersInSubjectAreEncodedNotPassedThrough() throws {
        let text = try MailMessage(from: "a@oasst.test", to: "b@example.test", subject: "tab\there\u{0}", text: "")
            .rendered()
        #expect(text.contains("Subject: =?UTF-8?B?"))
        #expect(!text.contains("\u{0}"))
    }

    @Test func missingSenderIsAClearError() {
        #expect(throws: MailError.self) {
            try MailMessage(to: "b@example.test", subject: "s", text: "").rendered()
        }
    }
}

@Suite("Addresses")
struct AddressTests {
    @Test(arguments: ["a@b.c", "first.last+tag@example.org", "x_y-z@sub.example.co.uk", "user@localhost", "o'brien@example.ie"])
    func valid(address: String) {
        #expect(MailAddress.isValid(address))
    }

    @Test(arguments: ["", "plain", "@example.org", "a@", "a@@b.c", "a@b@c.d", ".a@b.c", "a.@b.c", "a..b@c.d",
                      "a b@c.d", "\"q\"@c.d", "a@-b.c", "a@b-.c", "a@b..c", "a@[127.0.0.1]", "a@bücher.de", "ü@b.c",
                      "a@b.c>", "<a@b.c", String(repeating: "a", count: 65) + "@b.c"])
    func invalid(address: String) {
        #expect(!MailAddress.isValid(address))
    }
}

@Suite("Encodings")
struct EncodingTests {
    @Test func quotedPrintableEncodesNonASCIIAndEquals() {
        #expect(MIMEEncoding.quotedPrintable("a=b ü") == "a=3Db =C3=BC")
    }

    @Test func quotedPrintableProtectsTrailingSpaceAndWrapsLongLines() {
        #expect(MIMEEncoding.quotedPrintable("end \nnext") == "end=20\r\nnext")
        let encoded = MIMEEncoding.quotedPrintable(String(repeating: "é", count: 60))
        #expect(encoded.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        #expect(encoded.replacingOccurrences(of: "=\r\n", with: "") == String(repeating: "=C3=A9", count: 60))
    }

    @Test func encodedWordsSplitOnCharacterBoundaries() {
        let subject = String(repeating: "日本語", count: 20)
        let header = MIMEEncoding.headerValue(subject, headerNameLength: 7)
        var decoded: [UInt8] = []
        for word in header.components(separatedBy: "\r\n ") {
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let payload = word.dropFirst(10).dropLast(2)
            let bytes = Data(base64Encoded: String(payload)).map { Array($0) } ?? []
            #expect(String(validating: bytes, as: UTF8.self) != nil, "each word decodes on its own")
            decoded += bytes
        }
        #expect(String(decoding: decoded, as: UTF8.self) == subject)
    }

    @Test func base64MatchesFoundation() {
        for length in 0..<10 {
            let bytes = (0..<length).map { UInt8($0 * 37 & 0xFF) }
            #expect(MIMEEncoding.base64(bytes) == Data(bytes).base64EncodedString())
        }
    }

    @Test func authPlainToken() {
        #expect(SMTPAuth.plain(username: "user", password: "pass") == "AHVzZXIAcGFzcw==")
    }
}

@Suite("SMTP framing")
struct FramingTests {
    @Test func dotStuffing() {
        let payload = String(decoding: SMTPData.payload(".a\r\nb\r\n.\r\n..c\r\n"), as: UTF8.self)
        #expect(payload == "..a\r\nb\r\n..\r\n...c\r\n.\r\n")
    }

    @Test func payloadWithoutFinalLineBreakGetsOne() {
        #expect(String(decoding: SMTPData.payload("x"), as: UTF8.self) == "x\r\n.\r\n")
    }

    @Test func multiLineReply() throws {
        var parser = SMTPReplyParser()
        #expect(try parser.feed("250-mail.example.test Hello") == nil)
        #expect(try parser.feed("250-STARTTLS") == nil)
        #expect(try parser.feed("250-AUTH PLAIN LOGIN") == nil)
        let reply = try #require(try parser.feed("250 8BITMIME"))
        #expect(reply.code == 250)
        #expect(reply.extensions["STARTTLS"] == [])
        #expect(reply.extensions["AUTH"] == ["PLAIN", "LOGIN"])
        #expect(try parser.feed("221") == SMTPReply(code: 221, lines: [""]))
    }

    @Test func garbageReplyIsAProtocolViolation() {
        var parser = SMTPReplyParser()
        #expect(throws: MailError.self) { try parser.feed("HTTP/1.1 400 Bad Request") }
        var mixed = SMTPReplyParser()
        _ = try? mixed.feed("250-first")
        #expect(throws: MailError.self) { try mixed.feed("251 second") }
    }
}
