import Foundation
import Testing
@testable import ContextSyncCore

/// The token index over learnings.md's bullets gives the same answers as comparing a candidate
/// with every bullet.
@Suite struct DedupeIndexTests {
    static let words = ["run", "tests", "with", "make", "test", "use", "uv", "pytest", "not", "the",
                        "build", "swift", "cargo", "before", "push", "lint", "quick", "runs", "`just check`", "src/main.go"]

    /// Deterministic pseudo-random bullets, many sharing words, some rewordings of others.
    static func bullets(_ n: Int, seed: UInt64) -> [String] {
        var x = seed
        func next() -> Int { x = x &* 6364136223846793005 &+ 1442695040888963407; return Int(x >> 33) }
        return (0..<n).map { _ in
            (0..<(2 + next() % 6)).map { _ in words[next() % words.count] }.joined(separator: " ")
        }
    }

    @Test func agreesWithComparingEveryBullet() {
        let existing = Self.bullets(400, seed: 7)
        let index = LearningDedupe.Index(existing)
        var hits = 0, misses = 0
        for c in Self.bullets(400, seed: 99) + ["Run tests with `make test`.", "Use `pytest -x` for quick runs."] {
            let brute = existing.contains { LearningDedupe.isDuplicate($0, c) }
            #expect(index.containsDuplicate(of: LearningDedupe.Key(c)) == brute, "\(c)")
            if brute { hits += 1 } else { misses += 1 }
        }
        // Both answers occur, so the comparison above means something.
        #expect(hits > 10 && misses > 10)
    }

    /// Key tokens from bytes are the words of the normalised text without stop words.
    @Test func keyTokensAreTheContentWords() {
        let texts = Self.bullets(300, seed: 3) + ["The a an to of and or in on", "  Run   the tests  ", "Use `uv` — it is fast.",
                                                  "café au lait with the tests", "it this that is are be for with", "", "a", "thé the"]
        for t in texts {
            let n = LearningDedupe.normalize(t)
            let reference = Set(n.split(separator: " ").filter { !LearningDedupe.stopWords.contains($0) })
            let hashes = Set(reference.map { LearningDedupe.hash(String($0).precomposedStringWithCanonicalMapping) })
            #expect(LearningDedupe.Key(t).tokens == hashes.sorted(), "\(t)")
        }
        // Composed and decomposed forms: keys answer as the string rule does.
        let composed = LearningDedupe.Key("caf\u{E9} build test lint deploy"), decomposed = LearningDedupe.Key("cafe\u{301} build test lint deploy")
        #expect(composed.isDuplicate(of: decomposed) == LearningDedupe.isDuplicate("caf\u{E9} build test lint deploy", "cafe\u{301} build test lint deploy"))
    }

    /// Every pair of a few hundred texts: keys answer as the string rule does.
    @Test func keysAnswerAsTheStringRule() {
        let texts = Self.bullets(160, seed: 21) + ["Run tests with `make test`.", "Run the tests with make test", "Überprüfe die Tests mit make test jetzt"]
        let keys = texts.map(LearningDedupe.Key.init)
        for i in texts.indices { for j in texts.indices where i < j {
            #expect(keys[i].isDuplicate(of: keys[j]) == LearningDedupe.isDuplicate(texts[i], texts[j]), "\(texts[i]) / \(texts[j])")
        } }
    }

    @Test func aLargeIndexBuiltInParallelAgreesWithComparingEveryBullet() {
        let existing = Self.bullets(3_000, seed: 11)
        let index = LearningDedupe.Index(existing)
        for c in Self.bullets(60, seed: 5) {
            #expect(index.containsDuplicate(of: LearningDedupe.Key(c)) == existing.contains { LearningDedupe.isDuplicate($0, c) }, "\(c)")
        }
    }

    /// The streamed answers for many candidates at once are the index's, chunk boundaries included.
    @Test func duplicatesAmongStreamedBulletsAreTheIndexAnswers() {
        for n in [0, 1, 511, 512, 513, 1_600] {
            let existing = Self.bullets(n, seed: 13) + ["", "Use `uv`."]
            let candidates = Self.bullets(200, seed: 17) + ["use uv", "", "Run tests with `make test`.", "a"]
            let keys = candidates.map(LearningDedupe.Key.init)
            let index = LearningDedupe.Index(existing)
            let streamed = LearningDedupe.duplicates(of: keys, among: existing)
            #expect(streamed == keys.map { index.containsDuplicate(of: $0) }, "\(n) bullets")
            if n > 500 { #expect(streamed.contains(true) && streamed.contains(false)) }
        }
        // A rewording (not the same form) found in a later chunk.
        let later = Self.bullets(700, seed: 29).map { "zz " + $0 } + ["Run the tests with make test before you push"]
        let rewording = LearningDedupe.Key("Run tests with `make test` before you push.")
        #expect(rewording.normalized != LearningDedupe.Key(later.last!).normalized)
        #expect(LearningDedupe.duplicates(of: [rewording, .init("Use `pytest -x` for quick runs.")], among: later) == [true, false])
        #expect(LearningDedupe.duplicates(of: [], among: ["x"]).isEmpty)
        #expect(LearningDedupe.duplicates(of: [.init("x y z w")], among: []) == [false])
    }

    @Test func findsRewordingAndExactForm() {
        let index = LearningDedupe.Index(["Run the tests with make test before you push", "Use `uv`."])
        #expect(index.containsDuplicate(of: .init("Run tests with `make test` before you push.")))
        #expect(index.containsDuplicate(of: .init("use uv")))
        #expect(!index.containsDuplicate(of: .init("Use `pytest -x` for quick runs before you push.")))
        #expect(!LearningDedupe.Index([String]()).containsDuplicate(of: .init("Run tests with make test")))
    }

    @Test func selectDropsBulletsAlreadyInTheFile() {
        let e = [Learning.Evidence(sessionId: "s1", eventIndex: 1)]
        let candidates = [Learning(text: "Run the tests with `make test` before pushing.", source: .command, score: 0.7, evidence: e),
                          Learning(text: "Build the docs with `make docs` first.", source: .command, score: 0.6, evidence: e)]
        let existing = Self.bullets(2_000, seed: 3) + ["Run tests with make test before pushing"]
        let r = HeuristicExtractor.select(candidates, existing: existing, max: 10)
        #expect(r.kept.map(\.text) == ["Build the docs with `make docs` first."])
        #expect(r.dropped.map(\.reason) == ["already in learnings.md"])
    }
}
