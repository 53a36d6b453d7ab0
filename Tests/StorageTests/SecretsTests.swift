import Foundation
@testable import Storage
import Testing

@Suite("Tokens and their hashes")
struct SecretsTests {
    @Test("URL-safe base64 without padding, as Foundation's with the alphabet swapped")
    func base64() {
        for length in 0...40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 250) }
            let expected = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(Secrets.base64URL(bytes) == expected, "\(length) bytes")
        }
    }

    @Test("tokens are 43 URL-safe characters and differ")
    func tokens() {
        let tokens = (0..<100).map { _ in Secrets.token() }
        #expect(Set(tokens).count == 100)
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        #expect(tokens.allSatisfy { $0.count == 43 && $0.allSatisfy(allowed.contains) })
    }

    @Test("the hash is the lowercase hex SHA-256")
    func hash() {
        #expect(Secrets.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Secrets.hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
