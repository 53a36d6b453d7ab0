import Foundation

/// One mail to one recipient: a text body and, optionally, an HTML alternative.
public struct MailMessage: Sendable, Equatable {
    /// Sender address; when nil, `SMTPClient` uses `SMTPConfiguration.from`.
    public var from: String?
    /// Optional display name shown with the sender ("Open Assistant <noreply@…>").
    public var fromName: String?
    public var to: String
    public var subject: String
    public var text: String
    public var html: String?

    public init(from: String? = nil, fromName: String? = nil, to: String, subject: String, text: String, html: String? = nil) {
        self.from = from
        self.fromName = fromName
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
    }

    /// Checks every value that ends up in a header or an SMTP command. CR/LF anywhere there is refused
    /// outright (`headerInjection`) rather than stripped, so a crafted address can never add headers.
    public func validate() throws(MailError) {
        guard let from else { throw .invalidConfiguration("no sender: set MailMessage.from or the from= parameter of the SMTP URL") }
        try MailAddress.validate(from, field: "From")
        try MailAddress.validate(to, field: "To")
        try Self.rejectLineBreaks(subject, field: "Subject")
        if let fromName { try Self.rejectLineBreaks(fromName, field: "From name") }
    }

    /// The message in RFC 5322 form with CRLF line endings, before SMTP dot-stuffing.
    /// `date` and `messageID` are parameters so tests can produce stable output.
    public func rendered(date: Date = Date(), messageID: String? = nil) throws(MailError) -> String {
        try validate()
        let from = self.from!
        var headers: [(String, String)] = []
        headers.append(("Date", Self.rfc5322Date(date)))
        headers.append(("From", fromHeader(from)))
        headers.append(("To", "<\(to)>"))
        headers.append(("Subject", MIMEEncoding.headerValue(subject, headerNameLength: "Subject".utf8.count)))
        headers.append(("Message-ID", "<\(messageID ?? "\(UUID().uuidString.lowercased())@\(MailAddress.domain(of: from))")>"))
        headers.append(("MIME-Version", "1.0"))

        var body: String
        if let html {
            // "=_" can never occur in quoted-printable output, so the boundary cannot collide with content.
            let boundary = "=_oasst_\(UUID().uuidString.lowercased())"
            headers.append(("Content-Type", "multipart/alternative;\r\n boundary=\"\(boundary)\""))
            body = "This is a multipart message in MIME format.\r\n"
            body += "\r\n--\(boundary)\r\n" + Self.part(text, type: "text/plain")
            body += "\r\n--\(boundary)\r\n" + Self.part(html, type: "text/html")
            body += "\r\n--\(boundary)--\r\n"
        } else {
            headers.append(("Content-Type", "text/plain; charset=utf-8"))
            headers.append(("Content-Transfer-Encoding", "quoted-printable"))
            body = MIMEEncoding.quotedPrintable(text) + "\r\n"
        }
        return headers.map { "\($0.0): \($0.1)\r\n" }.joined() + "\r\n" + body
    }

    private func fromHeader(_ address: String) -> String {
        guard let fromName, !fromName.isEmpty else { return "<\(address)>" }
        let safePhrase = fromName.utf8.allSatisfy { (0x20...0x7E).contains($0) && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        let phrase = safePhrase && !fromName.contains("=?")
            ? "\"\(fromName)\""
            : MIMEEncoding.headerValue(fromName, headerNameLength: 998)  // always encode
        return "\(phrase) <\(address)>"
    }

    private static func part(_ content: String, type: String) -> String {
        "Content-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + MIMEEncoding.quotedPrintable(content) + "\r\n"
    }

    private static func rejectLineBreaks(_ value: String, field: String) throws(MailError) {
        if value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }) { throw .headerInjection(field: field) }
    }

    /// "Tue, 21 Nov 2023 23:50:00 +0000", written out by hand to avoid locale-dependent formatters.
    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int?) -> String { let n = n ?? 0; return n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[(c.weekday ?? 1) - 1]), \(c.day ?? 1) \(months[(c.month ?? 1) - 1]) \(c.year ?? 1970) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) +0000"
    }
}
