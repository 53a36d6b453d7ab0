import Foundation
import Testing
@testable import Inference

@Suite("Sampling")
struct SamplingTests {
    /// Logits whose softmax is exactly `probs` (up to a constant).
    func logits(_ probs: [Double]) -> [Float] { probs.map { Float(Foundation.log($0)) } }

    @Test func greedyPicksTheLargestLogitAndTheLowestIdOnTies() {
        var s = Sampler(parameters: .greedy())
        #expect(s.sample([0.1, 3, -2, 3, 1]) == 1)
        #expect(s.sample([-5, -4, -4.5]) == 1)
    }

    @Test func greedyOverAVocabularyFindsTheFirstLargestLogit() {
        var generator = SeededGenerator(seed: 3)
        var v = (0..<1_000).map { _ in Float.random(in: -10...10, using: &generator) }
        v[997] = 11; v[300] = 11; v[301] = 11
        #expect(Sampler.argmax(v) == 300)
        v[999] = 12  // in the tail after the last whole group of 16
        #expect(Sampler.argmax(v) == 999)
        v[0] = .nan  // no logit ranks above a NaN in the first place
        #expect(Sampler.argmax(v) == 0)
        v[0] = 0; v[500] = .nan
        #expect(Sampler.argmax(v) == 999)
    }

    @Test func greedyOverGemmasVocabularyAgreesWithAPlainScan() {
        var generator = SeededGenerator(seed: 11)
        var v = (0..<262_144).map { _ in Float.random(in: -30...30, using: &generator) }
        func plainScan() -> Int32 {
            var best = 0
            for i in v.indices.dropFirst() where v[i] > v[best] { best = i }
            return Int32(best)
        }
        #expect(Sampler.argmax(v) == plainScan())
        // The same largest value in a later block, in the first block's last lane and in a later lane of it.
        v[200_000] = 40; v[511] = 40; v[260] = 40
        #expect(Sampler.argmax(v) == 260)
        v[5] = 41; v[255] = 41  // the very first block
        #expect(Sampler.argmax(v) == 5)
        v[100] = -.infinity  // infinities are ranked as a scan ranks them
        #expect(Sampler.argmax(v) == 5)
        v[70_000] = .infinity
        #expect(Sampler.argmax(v) == 70_000)
        #expect(Sampler.argmax(v) == plainScan())
    }

    @Test func topKKeepsTheKMostLikelySorted() {
        var c = TokenCandidates(logits: [1, 5, 3, 4, 2, 5])
        c.keepTop(3)
        #expect(c.ids == [1, 5, 3])
        #expect(c.isSorted)
    }

    @Test func topKSelectionMatchesAFullSortOnALargeVocabulary() {
        var rng = SeededGenerator(seed: 7)
        let values = (0..<50_000).map { _ in Float(rng.nextUnit() * 20 - 10) }
        var c = TokenCandidates(logits: values)
        c.keepTop(40)
        let expected = values.indices.sorted { values[$0] > values[$1] }.prefix(40).map { Int32($0) }
        #expect(c.ids == expected)
    }

    @Test func topPKeepsTheTokenThatCrossesTheThreshold() {
        var c = TokenCandidates(logits: logits([0.1, 0.5, 0.25, 0.15]))
        c.keepTopP(0.7)  // 0.5 + 0.25 = 0.75 ≥ 0.7
        #expect(c.ids == [1, 2])
        var all = TokenCandidates(logits: logits([0.1, 0.5, 0.25, 0.15]))
        all.keepTopP(0.999)
        #expect(Set(all.ids) == [0, 1, 2, 3])
    }

    @Test func topPWidensItsSearchWhenTheHeadIsNotEnough() {
        // A flat distribution over 10,000 tokens: half the mass needs 5,000 of them.
        var c = TokenCandidates(logits: [Float](repeating: 0, count: 10_000))
        c.keepTopP(0.5)
        #expect(abs(c.count - 5_000) <= 1)  // the exact crossing depends on rounding
    }

    @Test func minPDropsTokensFarBelowTheBest() {
        var c = TokenCandidates(logits: logits([0.5, 0.3, 0.04, 0.16]))
        c.keepMinP(0.1)  // threshold 0.05
        #expect(c.ids == [0, 1, 3])
    }

    @Test func typicalKeepsTokensNearTheEntropy() {
        // Entropy of [0.4, 0.3, 0.2, 0.1] is 1.28 nats; surprises are 0.92, 1.20, 1.61, 2.30, so the
        // distances to the entropy are 0.36, 0.08, 0.33, 1.02: token 1 first, then 2, then 0.
        var c = TokenCandidates(logits: logits([0.4, 0.3, 0.2, 0.1]))
        c.keepTypical(0.45)  // 0.3 + 0.2 = 0.5 > 0.45
        #expect(c.ids == [1, 2])
    }

    @Test func temperatureSharpensAndFlattens() {
        var c = TokenCandidates(logits: [2, 1])
        c.scale(byTemperature: 0.5)
        #expect(c.logits == [4, 2])
        let p = c.probabilities()
        #expect(p[0] > 0.88)
    }

    @Test func theSameSeedGivesTheSameTokensAndAnotherSeedOthers() {
        let flat = [Float](repeating: 0, count: 1000)
        func run(_ seed: UInt64) -> [Int32] {
            var s = Sampler(parameters: .init(temperature: 1, seed: seed))
            return (0..<20).map { _ in s.sample(flat) }
        }
        #expect(run(42) == run(42))
        #expect(run(42) != run(43))
        // Pinned values: a change in the generator or the draw would silently change stored chats.
        var g = SeededGenerator(seed: 0)
        #expect(g.next() == 0x99EC_5F36_CB75_F2B4)
    }

    @Test func sampledFrequenciesFollowTheDistribution() {
        var s = Sampler(parameters: .init(temperature: 1, seed: 1))
        let l = logits([0.7, 0.2, 0.1])
        var counts = [0, 0, 0]
        for _ in 0..<5000 { counts[Int(s.sample(l))] += 1 }
        #expect(abs(Double(counts[0]) / 5000 - 0.7) < 0.03)
        #expect(abs(Double(counts[2]) / 5000 - 0.1) < 0.03)
    }

    @Test func repetitionPenaltyLowersSeenTokensWhateverTheirSign() {
        var w = PenaltyWindow(size: 64)
        w.append(0); w.append(1)
        var l: [Float] = [2, -2, 2]
        w.apply(to: &l, repetition: 2, frequency: 0, presence: 0)
        #expect(l == [1, -4, 2])
    }

    @Test func frequencyAndPresencePenaltiesCountOccurrences() {
        var w = PenaltyWindow(size: 64)
        for t: Int32 in [0, 0, 0, 1] { w.append(t) }
        var l: [Float] = [5, 5, 5]
        w.apply(to: &l, repetition: 1, frequency: 1, presence: 0.5)
        let expected: [Float] = [1.5, 3.5, 5]  // 5 − 3·1 − 0.5, 5 − 1·1 − 0.5, untouched
        #expect(l == expected)
    }

    @Test func thePenaltyWindowForgetsOldTokens() {
        var w = PenaltyWindow(size: 2)
        for t: Int32 in [7, 8, 9] { w.append(t) }
        #expect(w.counts == [8: 1, 9: 1])
        var whole = PenaltyWindow(size: -1)
        for t: Int32 in [7, 8, 9, 7] { whole.append(t) }
        #expect(whole.counts == [7: 2, 8: 1, 9: 1])
        var off = PenaltyWindow(size: 0)
        off.append(1)
        #expect(off.counts.isEmpty)
    }

    @Test func greedyHonoursPenalties() {
        var s = Sampler(parameters: .init(temperature: 0, repetitionPenalty: 3))
        s.accept(0)
        #expect(s.sample([3, 2, 0]) == 1)  // 3 / 3 = 1 < 2
    }

    @Test func presetsAreOpenAssistants() {
        #expect(SamplingPreset.openAssistant.map(\.name) == ["k50", "k50-Creative", "k50-Precise", "k50-Original", "k50-Plugins", "nucleus9", "typical2", "typical3"])
        let k50 = SamplingPreset.named("k50")!.parameters
        #expect(k50.topK == 50 && k50.topP == 0.95 && k50.temperature == 0.75 && k50.repetitionPenalty == 1.2 && k50.maxNewTokens == 1024)
        #expect(abs(SamplingPreset.k50Plugins.parameters.repetitionPenalty - 1.1111) < 0.001)
        #expect(SamplingPreset.typical2.parameters.typicalP == 0.2)
    }

    @Test func parametersRoundTripThroughJSONAndNullsMeanDefaults() throws {
        let p = SamplingParameters(maxNewTokens: 20, temperature: 0.5, topK: 40, seed: 99, stop: ["\n\n"])
        let data = try JSONEncoder().encode(p)
        #expect(try JSONDecoder().decode(SamplingParameters.self, from: data) == p)
        let oa = #"{"top_k": null, "top_p": 0.9, "typical_p": null, "temperature": 0.8, "repetition_penalty": 1.2, "max_new_tokens": 1024}"#
        let q = try JSONDecoder().decode(SamplingParameters.self, from: Data(oa.utf8))
        #expect(q.topK == 0 && q.topP == 0.9 && q.typicalP == 1 && q.temperature == 0.8 && q.seed == nil)
    }

    @Test func invalidParametersAreNamed() {
        #expect(SamplingParameters(topP: 0).problem?.contains("top_p") == true)
        #expect(SamplingParameters(maxNewTokens: 0).problem?.contains("max_new_tokens") == true)
        #expect(SamplingParameters.greedy().problem == nil)
    }
}

@Suite("Sampling stop sequences")
struct SamplingStopSequenceTests {
    /// Feeds `pieces` one by one and returns everything released, plus whether it stopped.
    func stream(_ pieces: [String], stops: [String]) -> (String, Bool) {
        var f = StopSequenceFilter(stops)
        var out = ""
        for p in pieces {
            out += f.push(p)
            if f.isStopped { return (out, true) }
        }
        return (out + f.finish(), false)
    }

    @Test func aStopSplitAcrossTokensIsNeverEmitted() {
        var f = StopSequenceFilter(["\nUser:"])
        #expect(f.push("Hello") == "Hello")
        #expect(f.push(" there\nU") == " there")  // "\nU" might be the start of the stop
        #expect(f.push("se") == "")
        #expect(f.push("r: more") == "")
        #expect(f.isStopped)
        #expect(f.matched == "\nUser:")
    }

    @Test func heldTextIsReleasedWhenItTurnsOutHarmless() {
        #expect(stream(["a\nU", "nder"], stops: ["\nUser:"]) == ("a\nUnder", false))
        #expect(stream(["end <", "end"], stops: ["<end_of_turn>"]) == ("end <end", false))
    }

    @Test func aStopInsideOneTokenCutsTheTokenText() {
        #expect(stream(["Yes.<end_of_turn>junk"], stops: ["<end_of_turn>"]) == ("Yes.", true))
    }

    @Test func theEarliestOfSeveralStopsWins() {
        #expect(stream(["x", "BA", "B"], stops: ["AB", "BAB"]) == ("x", true))
        #expect(stream(["one two three"], stops: ["three", "two"]) == ("one ", true))
    }

    @Test func characterByCharacterNeverLeaksAnyPrefix() {
        let text = "The answer is 42.### Instruction: ignore"
        var f = StopSequenceFilter(["### Instruction"])
        var out = ""
        for ch in text {
            out += f.push(String(ch))
            #expect(!out.contains("#"))
        }
        #expect(out == "The answer is 42.")
    }

    @Test func noStopsPassesEverythingThrough() {
        var f = StopSequenceFilter([])
        #expect(f.push("abc") == "abc")
        #expect(f.finish() == "")
    }

    @Test func multiByteCharactersAreNeverSplit() {
        #expect(stream(["héllo wö", "rld 🎉"], stops: ["🎉"]) == ("héllo wörld ", true))
    }
}
