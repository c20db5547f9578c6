import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// The byte-level sentence split and phrase words give the character-level answers.
@Suite struct RuleTextTests {
    static let crafted: [String] = [
        "One. Two", "One.Two", "e.g. this. And that", "Use `a.b`. Then `c. D`.", "x.  Y", "x. y", "x! 2", "x? \"q\"", "x. `y`",
        "end.", "end. ", "a\nb\n\nc", "`code\nstill`. Next", "etc. Next", "(e.g. Next", "'vs. Next", "no. Next", "No. Next",
        "INCL. Next", "[i.e. X", "Done!\nNext", "Done!  \n", "...", ". . .", " . A", "a.\n", "a.\nB", "``. A", "`", "x ` y. Z",
        "v1.2.3 is out. 4 left", "ends with a dot.", "\t\tTabs. Here", "a . B", "approx. 3", "cf. X", "\"e.g. X",
    ]

    static func corpus() throws -> [String] {
        var texts = try TextBytesTests.texts(under: TestSupport.fixtures)
        let shared = TestSupport.packageRoot + "/../shared/fixtures/claude-transcripts"
        if FileManager.default.fileExists(atPath: shared) { texts += try TextBytesTests.texts(under: shared) }
        // The first 4,000 bytes of each: the rule is local, and the tests stay quick in debug builds.
        return texts.map { $0.utf8.count > 4_000 ? String(decoding: $0.utf8.prefix(4_000), as: UTF8.self) : $0 }
    }

    @Test func sentencesAsTheCharacterLoopSplitsThem() throws {
        var ascii = 0
        for t in try Self.corpus() + Self.crafted + TextBytesTests.tricky {
            if TextBytes.isPlainASCII(t) { ascii += 1 }
            #expect(RuleText.sentences(t) == RuleText.sentencesByCharacters(t), "\(t.prefix(80).debugDescription)")
        }
        // The byte path was taken, so the comparison is not vacuous.
        #expect(ascii > 1000, "\(ascii) plain-ASCII texts")
    }

    @Test func preparedPhrasesAnswerAsThePhraseLists() throws {
        let lists = [UserRules.rememberMarkers, UserRules.alwaysNever, UserRules.correctionMarkers, UserRules.generalisers,
                     UserRules.taskBound, UserRules.complaints, LaterEvents.corrections, LaterEvents.retractions, DocRules.modals,
                     CompactionRules.ruleWords, ["fixed by", "user", "i", "we", "my"], ["Don't", "é", "café au lait", "", "x  y"]]
        let prepared = lists.map(RuleText.Phrases.init)
        var found = 0
        for t in try Self.corpus().prefix(3_000) + Self.crafted + ["don\u{2019}t do that", "CAFÉ au lait", "cafe\u{301} au lait", "x y"] {
            let w = RuleText.words(t)
            for (list, phrases) in zip(lists, prepared) {
                // The original rule: the phrase's words (by characters), compared with `==`.
                let reference = list.contains { phrase in
                    let p = RuleText.wordsByCharacters(phrase)
                    guard !p.isEmpty, w.count >= p.count else { return false }
                    return (0...(w.count - p.count)).contains { i in p.indices.allSatisfy { w[i + $0] == p[$0] } }
                }
                #expect((list.contains { RuleText.index(of: $0, in: w) != nil }) == reference, "\(t.prefix(80).debugDescription)")
                if reference { found += 1 }
                #expect(RuleText.containsAny(words: w, phrases) == reference, "\(t.prefix(80).debugDescription)")
            }
        }
        #expect(found > 100, "\(found) matches")
    }

    @Test func phraseWordsAreTheWordsOfEveryMarker() {
        let lists = [UserRules.rememberMarkers, UserRules.alwaysNever, UserRules.correctionMarkers, UserRules.generalisers,
                     UserRules.taskBound, UserRules.complaints, UserRules.questionStarts, LaterEvents.corrections, LaterEvents.retractions,
                     DocRules.modals, CompactionRules.ruleWords,
                     ["fixed by", "user", "i", "we", "my"], ["Don't", "x  y", "a-b", "é", "can't", "don\u{2019}t", "", " ", "a_b 1"]]
        for phrase in lists.flatMap({ $0 }) {
            #expect(RuleText.phraseWords(phrase) == RuleText.wordsByCharacters(phrase), "\(phrase.debugDescription)")
        }
    }
}

@Suite struct ShellWordTests {
    @Test func wordyAsTheCharacterTestSaysOnEveryCommandWord() throws {
        var words = ["", "a", "1a", "a..b", "a.b", "a...", "a:b-c_d.e", "-x", "a b", "é", "aé", "a\u{301}", "A", "Z9", "a/b", ".a", "a.", "a..",
                     "test:unit", "phx.server", "a\r\n", "run", "--", "a-", "_a", "a_"]
        for t in try ToolOutputReadingTests.toolOutputs(under: TestSupport.fixtures).prefix(300) {
            words += t.split(whereSeparator: { $0 == " " || $0 == "\n" }).prefix(200).map(String.init)
        }
        var wordy = 0
        for w in words {
            if ShellCommand.isWordyByCharacters(w) { wordy += 1 }
            #expect(ShellCommand.isWordy(w) == ShellCommand.isWordyByCharacters(w), "\(w.debugDescription)")
        }
        #expect(wordy > 50 && wordy < words.count, "\(wordy) of \(words.count)")
    }
}
