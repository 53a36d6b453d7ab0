/// A deliberately simple address check, not full RFC 5321/5322.
///
/// Accepted: `local@domain` where
/// - local is 1–64 characters of letters, digits and ``!#$%&'*+-/=?^_`{|}~``, with dots allowed
///   between them (no leading, trailing or double dots); quoted local parts are refused;
/// - domain is dot-separated labels of ASCII letters, digits and hyphens (no leading or trailing
///   hyphen, 1–63 characters each), 253 characters at most; IP literals and non-ASCII (IDN) domains
///   are refused, because the client does not speak SMTPUTF8;
/// - the whole address is 254 characters at most.
///
/// Everything refused here either cannot be put safely into `MAIL FROM:<…>` / a header, or is
/// so rare for sign-in mails that refusing it is the better trade.
public enum MailAddress {
    private static let localSpecials = Set("!#$%&'*+-/=?^_`{|}~.".utf8)

    /// Throws `MailError.headerInjection` for CR/LF and `MailError.invalidAddress` for anything else
    /// the check above refuses. `field` names the header in the error.
    public static func validate(_ address: String, field: String = "address") throws(MailError) {
        let bytes = Array(address.utf8)
        if bytes.contains(where: { $0 == 0x0D || $0 == 0x0A }) {
            throw .headerInjection(field: field)
        }
        guard bytes.count <= 254 else { throw .invalidAddress("\(field) is longer than 254 characters") }
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")), bytes.firstIndex(of: UInt8(ascii: "@")) == at else {
            throw .invalidAddress("\(field) must contain exactly one @")
        }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard (1...64).contains(local.count) else { throw .invalidAddress("\(field) local part must be 1–64 characters") }
        guard local.allSatisfy({ isAlnum($0) || localSpecials.contains($0) }) else {
            throw .invalidAddress("\(field) local part contains a character that is not allowed")
        }
        guard local.first != UInt8(ascii: "."), local.last != UInt8(ascii: "."),
              !String(decoding: local, as: UTF8.self).contains("..") else {
            throw .invalidAddress("\(field) local part has a misplaced dot")
        }
        guard (1...253).contains(domain.count) else { throw .invalidAddress("\(field) domain must be 1–253 characters") }
        for label in domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard (1...63).contains(label.count),
                  label.allSatisfy({ isAlnum($0) || $0 == UInt8(ascii: "-") }),
                  label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else {
                throw .invalidAddress("\(field) domain is not a valid host name")
            }
        }
    }

    /// True when `validate` would accept the address.
    public static func isValid(_ address: String) -> Bool {
        (try? validate(address)) != nil
    }

    /// The part after the @, used for the Message-ID.
    static func domain(of address: String) -> Substring {
        address.split(separator: "@").last ?? "localhost"
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
    }
}
