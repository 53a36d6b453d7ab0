import Feedback
import Testing

@Suite("Display names")
struct DisplayNameRuleTests {
    @Test func acceptsAndTidies() throws {
        #expect(try DisplayNameRule.normalised("  Ada   Lovelace ").get() == "Ada Lovelace")
        #expect(try DisplayNameRule.normalised("Zoë 🦊").get() == "Zoë 🦊")
    }

    @Test func refusesBadNames() {
        #expect(DisplayNameRule.normalised("a") == .failure(.tooShort))
        #expect(DisplayNameRule.normalised("   ") == .failure(.tooShort))
        #expect(DisplayNameRule.normalised(String(repeating: "x", count: 41)) == .failure(.tooLong))
        #expect(DisplayNameRule.normalised("bad\nname") == .failure(.controlCharacters))
        #expect(DisplayNameRule.normalised("tab\tname") == .failure(.controlCharacters))
        #expect(DisplayNameRule.normalised("zero\u{200B}width") == .failure(.controlCharacters))
        #expect(DisplayNameRule.normalised("Deleted User") == .failure(.reserved))
    }
}
