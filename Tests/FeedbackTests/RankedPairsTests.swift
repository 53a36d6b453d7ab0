import Foundation
import Testing
@testable import Feedback

/// Golden cases from Open Assistant's `ranking.py` (reference notes §3.3), plus cycles, ties and partial ballots.
@Suite struct RankedPairsTests {
    func repeated(_ ballot: String, _ times: Int) -> [[String]] {
        Array(repeating: ballot.map(String.init), count: times)
    }

    @Test func uuidBallotsFromTheReferenceMain() {
        let c = "c5181083-d3e9-41e7-a935-83fb9fa01488"
        let dcf = "dcf3d179-0f34-4c15-ae21-b8feb15e422d"
        let d11 = "d11705af-5575-43e5-b22e-08d155fbaa62"
        let ballots = [[c, dcf, d11], [d11, c, dcf], [dcf, c, d11], [d11, c, dcf]]
        #expect(RankedPairs.rank(ballots) == [c, d11, dcf])
    }

    @Test func docstringElection() {
        let ballots = repeated("wxzy", 3) + repeated("wyxz", 2) + repeated("xyzw", 4) + repeated("xzwy", 5)
            + repeated("ywxz", 1)
        #expect(RankedPairs.rank(ballots) == ["x", "z", "w", "y"])
    }

    @Test func commentedVariant() {
        let ballots = repeated("wxzy", 1) + repeated("wyxz", 2) + repeated("xzwy", 5) + repeated("ywxz", 1)
        #expect(RankedPairs.rank(ballots) == ["x", "z", "w", "y"])
    }

    @Test func singleVoterIsReturnedUnchanged() {
        #expect(RankedPairs.rank([["b", "a", "c"]]) == ["b", "a", "c"])
        #expect(RankedPairs.rank([["b", "a"]]) == ["b", "a"])
    }

    @Test func twoItemTieGoesToTheSmallerId() {
        #expect(RankedPairs.rank([["b", "a"], ["a", "b"]]) == ["a", "b"])
    }

    @Test func condorcetCycleDropsTheWeakestLink() {
        // All margins are 1; (a,b) and (b,c) lock first, (c,a) would close the cycle.
        #expect(RankedPairs.rank([["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"]]) == ["a", "b", "c"])
    }

    @Test func strongMajorityOverridesCycle() {
        let ballots = repeated("abc", 3) + repeated("bca", 2) + repeated("cab", 1)
        #expect(RankedPairs.rank(ballots) == ["a", "b", "c"])
    }

    @Test func unanimousVoters() {
        #expect(RankedPairs.rank(repeated("cab", 3)) == ["c", "a", "b"])
    }

    @Test func cycleResolvedByMarginStrength() {
        // c>a by 5, b>c by 3, a>b by 1: the weakest link (a>b) is the one dropped, giving b, c, a.
        let ballots = repeated("abc", 2) + repeated("bca", 4) + repeated("cab", 3)
        #expect(RankedPairs.rank(ballots) == ["b", "c", "a"])
    }

    @Test func isDeterministicWhateverTheBallotOrder() {
        let ballots = [["d", "a", "c", "b"], ["a", "d", "b", "c"], ["c", "b", "a", "d"], ["b", "c", "d", "a"]]
        let expected = RankedPairs.rank(ballots)
        #expect(RankedPairs.rank(ballots.reversed()) == expected)
        #expect(RankedPairs.rank([ballots[2], ballots[0], ballots[3], ballots[1]]) == expected)
        #expect(Set(expected) == ["a", "b", "c", "d"])
    }

    @Test func partialBallotsCountForThePairsTheySaw() {
        // Nobody saw all three; a>b twice, b>c twice, a>c never compared: a, b, c by transitivity.
        let ballots = [["a", "b"], ["a", "b"], ["b", "c"], ["b", "c"]]
        #expect(RankedPairs.rank(ballots) == ["a", "b", "c"])
        // A voter who saw only c and a still moves c above a.
        #expect(RankedPairs.rank([["b", "a"], ["c", "a"], ["c", "a"]]) == ["b", "c", "a"])
    }

    @Test func deletedCandidatesAreDroppedFromEveryBallot() {
        let ballots = [["x", "a", "b"], ["b", "x", "a"], ["a", "b", "x"]]
        #expect(RankedPairs.rank(ballots, candidates: ["a", "b"]) == ["a", "b"])
        let consensus = RankingConsensus(ballots: [["x", "b", "a"], ["b", "a"], ["a", "x", "b"]], candidates: ["a", "b"])
        #expect(consensus.ranking == ["b", "a"])
    }

    @Test func candidatesNoBallotMentionsAreRankedLastByIdAmongTies() {
        #expect(RankedPairs.rank([["c", "b"]], candidates: ["a", "b", "c"]) == ["a", "c", "b"])
    }

    @Test func degenerateInputs() {
        #expect(RankedPairs.rank([[String]]()) == [])
        #expect(RankedPairs.rank([["a"]]) == ["a"])
        #expect(RankedPairs.rank([["a", "a", "b"]]) == ["a", "b"])
    }
}

@Suite struct KendallTauTests {
    @Test func identicalReversedAndMixed() {
        #expect(KendallTau.tau(["a", "b", "c"], ["a", "b", "c"]) == 1)
        #expect(KendallTau.tau(["c", "b", "a"], ["a", "b", "c"]) == -1)
        // One of three pairs discordant: (2 - 1) / 3.
        #expect(KendallTau.tau(["b", "a", "c"], ["a", "b", "c"]) == 1.0 / 3.0)
        #expect(KendallTau.normalized(1.0 / 3.0) == 2.0 / 3.0)
    }

    @Test func onlySharedItemsCount() {
        #expect(KendallTau.tau(["c", "a"], ["a", "b", "c"]) == -1)
        #expect(KendallTau.tau(["a", "z"], ["a", "b"]) == nil)
    }

    @Test func consensusReportsEachVoter() {
        let consensus = RankingConsensus(ballots: [["a", "b", "c"], ["a", "b", "c"], ["c", "b", "a"], ["b"]])
        #expect(consensus.ranking == ["a", "b", "c"])
        #expect(consensus.agreements.map(\.tau) == [1, 1, -1, nil])
        #expect(consensus.agreements.map(\.agrees) == [true, true, false, false])
        #expect(consensus.rank(of: "c") == 2)
    }
}

@Suite struct ConsensusJSONTests {
    @Test func answersWithTheRanking() throws {
        let input = #"{"rankings": [["b","a","c"], ["a","b","c"], ["a","c"]]}"#
        let output = try ConsensusJSON.respond(to: Data(input.utf8))
        #expect(String(decoding: output, as: UTF8.self) == "{\"ranking\":[\"a\",\"b\",\"c\"]}\n")
        let empty = try ConsensusJSON.respond(to: Data(#"{"rankings": []}"#.utf8))
        #expect(String(decoding: empty, as: UTF8.self) == "{\"ranking\":[]}\n")
    }

    @Test func badInputIsExplained() {
        for bad in ["", "not json", #"{"ranks": []}"#, #"{"rankings": [1, 2]}"#] {
            #expect(throws: ConsensusJSON.InputError.self) { try ConsensusJSON.respond(to: Data(bad.utf8)) }
        }
        do {
            _ = try ConsensusJSON.respond(to: Data(#"{"ranks": []}"#.utf8))
        } catch {
            #expect(error.description.contains("missing key \"rankings\""))
        }
    }
}
