import Testing
@testable import Inference

@Suite struct TokenizerStreamingTests {
    @Test func heldBackBytesWaitForTheRestOfTheCharacter() {
        // "é" is C3 A9, "😀" is F0 9F 98 80
        #expect(StreamingDecoder.completePrefixLength([0x61, 0xC3]) == 1)
        #expect(StreamingDecoder.completePrefixLength([0x61, 0xC3, 0xA9]) == 3)
        #expect(StreamingDecoder.completePrefixLength([0xF0, 0x9F, 0x98]) == 0)
        #expect(StreamingDecoder.completePrefixLength([0xF0, 0x9F, 0x98, 0x80]) == 4)
        #expect(StreamingDecoder.completePrefixLength([0x80, 0x80, 0x80, 0x80]) == 4)  // junk never stalls
    }

    @Test func defaultModelStreamsByteTokensIntoWholeCharacters() throws {
        let model = try ModelFixtures.defaultModel()
        let tok = model.tokenizer
        let text = "naïve 😀 東京"
        let ids = tok.encode(text, addBOS: false, parseSpecial: false)
        var decoder = StreamingDecoder(tokenizer: tok)
        var pieces: [String] = []
        for t in ids { pieces.append(decoder.push(t)) }
        pieces.append(decoder.flush())
        #expect(pieces.joined() == text)
        #expect(!pieces.contains { $0.unicodeScalars.contains("\u{FFFD}") })
        // byte fallback: a character Gemma has no token for is spelled in byte tokens, one byte each
        let rare = tok.encode("\u{10FFFD}", addBOS: false, parseSpecial: false)
        #expect(rare.allSatisfy { tok.piece($0).count == 1 })
        var d2 = StreamingDecoder(tokenizer: tok)
        let out = rare.map { d2.push($0) }
        #expect(out.dropLast().allSatisfy { $0.isEmpty } && out.last == "\u{10FFFD}")
    }

    @Test func specialTokensAndEndOfGeneration() throws {
        let tok = try ModelFixtures.defaultModel().tokenizer
        #expect(tok.bos == 2 && tok.eos == 1 && tok.addsBOS)
        #expect(tok.endOfGeneration == [1, 106, 212])
        #expect(tok.token(named: "<start_of_turn>") == 105)
        #expect(tok.encode("<start_of_turn>", addBOS: false, parseSpecial: true) == [105])
        #expect(tok.encode("<start_of_turn>", addBOS: false, parseSpecial: false) != [105])
        #expect(tok.encode("Hello world, this is a test.", addBOS: true, parseSpecial: false)
                == [2, 9259, 1902, 236764, 672, 563, 496, 1594, 236761])
    }
}
