import Foundation
/// A candidate lesson with where it came from.
public struct Learning: Sendable, Equatable {
    public enum Source: String, Sendable {
        case failureFix = "failure-fix"
        case userCorrection = "user-correction"
        case explicit = "explicit"
        case compaction = "compaction-summary"
        case command = "working-command"
        case prerequisite = "prerequisite"
        case location = "location"
        case recurringFailure = "recurring-failure"
        case assistant = "assistant"
        case hook = "hook"
        case generated = "generated-file"
        case external = "extractor"
    }

    public struct Evidence: Sendable, Equatable, CustomStringConvertible {
        public var sessionId: String
        public var eventIndex: Int
        public var description: String { "\(sessionId)#\(eventIndex)" }
    }

    /// One or two sentences.
    public var text: String
    public var source: Source
    /// Higher is better; see `HeuristicExtractor` for how it is computed.
    public var score: Double
    public var evidence: [Evidence]
    /// Why the extractor believes it (which evidence bar it met), for `--verbose`.
    public var why: String

    public init(text: String, source: Source, score: Double, evidence: [Evidence], why: String = "") {
        self.text = text
        self.source = source
        self.score = score
        self.evidence = evidence
        self.why = why
    }
}

/// A candidate that was not kept, and why.
public struct DroppedLearning: Sendable, Equatable {
    public var learning: Learning
    public var reason: String
}

/// Normalisation and similarity used to decide that two bullets say the same thing.
public enum LearningDedupe {
    /// The same folding the learnings file uses (case, whitespace, punctuation, quotes,
    /// backticks and path separators).
    public static func normalize(_ text: String) -> String {
        LearningsDocument.normalizeForDedupe(text)
    }

    /// Whether ASCII `word` is one of `stopWords`.
    static func isStopWord(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        guard word.count <= 4 else { return false }
        return stopWordBytes.contains { $0.count == word.count && $0.elementsEqual(word) }
    }

    static let stopWordBytes: [[UInt8]] = stopWords.map { Array($0.utf8) }

    static let stopWords: Set<Substring> = ["the", "a", "an", "to", "of", "and", "or", "in", "on", "for", "with", "is", "are", "be", "it", "this", "that"]

    /// Conservative: the same normalised text; or token-set Jaccard similarity ≥ 0.8 (content
    /// words), which merges rewordings such as "Run tests with `make test`." / "Run the tests with
    /// make test" but keeps "Use `uv run pytest`, not `pytest`." apart from "Use `pytest -x` for
    /// quick runs." (0.25). Short texts (< 4 content words) must match exactly.
    public static func isDuplicate(_ a: String, _ b: String) -> Bool {
        let na = normalize(a), nb = normalize(b)
        if na == nb { return true }
        return similarWords(na, nb)
    }
}

extension LearningDedupe {
    /// A text prepared once for many comparisons (`tidy` compares every bullet with every kept
    /// one): the same normalisation and rule as `isDuplicate`, computed once per text.
    ///
    /// Content words are kept as 64-bit hashes of their NFC bytes (canonically equivalent words
    /// hash alike, as `Substring` equality has them equal), sorted: counting shared words is a
    /// merge, with no set built per text. A similarity the hashes put at 0.8 or more is checked
    /// again on the words themselves, so a hash collision never makes two texts duplicates; one
    /// could only hide a duplicate (two words of a text with one hash: odds about 2^-64 a pair).
    public struct Key: Sendable {
        let normalized: String
        let tokens: [UInt64]

        public init(_ text: String) {
            let normalized = LearningDedupe.normalize(text)
            self.normalized = normalized
            // An ASCII text splits at its space bytes (the same words as splitting characters),
            // and its stop words are found by their bytes.
            let ascii: [UInt64]?? = normalized.utf8.withContiguousStorageIfAvailable { b -> [UInt64]? in
                for c in b where c >= 0x80 { return nil }
                var out: [UInt64] = []
                out.reserveCapacity(b.count / 4 + 1)
                var start = 0
                for i in 0...b.count where i == b.count || b[i] == 0x20 {
                    let word = UnsafeBufferPointer(rebasing: b[start..<i])
                    if i > start && !LearningDedupe.isStopWord(word) { out.append(LearningDedupe.hash(word)) }
                    start = i + 1
                }
                return out
            }
            var hashes: [UInt64]
            if let ascii, let ascii {
                hashes = ascii
            } else {
                hashes = LearningDedupe.words(normalized).map { LearningDedupe.hash(String($0).precomposedStringWithCanonicalMapping) }
            }
            hashes.sort()
            var unique: [UInt64] = []
            unique.reserveCapacity(hashes.count)
            for h in hashes where unique.last != h { unique.append(h) }
            tokens = unique
        }

        public func isDuplicate(of other: Key) -> Bool {
            if normalized == other.normalized { return true }
            guard tokens.count >= 4, other.tokens.count >= 4 else { return false }
            var i = 0, j = 0, inter = 0
            while i < tokens.count && j < other.tokens.count {
                if tokens[i] == other.tokens[j] { inter += 1; i += 1; j += 1 }
                else if tokens[i] < other.tokens[j] { i += 1 } else { j += 1 }
            }
            guard Double(inter) / Double(tokens.count + other.tokens.count - inter) >= 0.8 else { return false }
            return LearningDedupe.similarWords(normalized, other.normalized)
        }
    }

    /// The content words of a normalised text (its words without `stopWords`).
    static func words(_ normalized: String) -> [Substring] {
        normalized.split(separator: " ").filter { !stopWords.contains($0) }
    }

    /// The word-set rule of `isDuplicate` on two normalised texts.
    static func similarWords(_ na: String, _ nb: String) -> Bool {
        let ta = Set(words(na)), tb = Set(words(nb))
        guard ta.count >= 4, tb.count >= 4 else { return false }
        let inter = ta.intersection(tb).count
        return Double(inter) / Double(ta.union(tb).count) >= 0.8
    }

    /// 64-bit FNV-1a of a word's bytes.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in bytes { h = (h ^ UInt64(c)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    static func hash(_ word: String) -> UInt64 {
        var w = word
        return w.withUTF8 { hash($0) }
    }
}

extension LearningDedupe {
    /// For each of `keys`, whether a text of `existing` is a duplicate of it: the answers of
    /// `Index(existing).containsDuplicate(of:)`, with nothing of `existing` kept. The few keys
    /// are indexed instead (by normalised form and content token); each existing text's key is
    /// made once (in parallel, in chunks) and compared only with the keys sharing its form or one
    /// of its tokens (a similarity of 0.8 needs a shared token).
    public static func duplicates(of keys: [Key], among existing: [String]) -> [Bool] {
        var out = [Bool](repeating: false, count: keys.count)
        guard !keys.isEmpty, !existing.isEmpty else { return out }
        var byNormalized: [String: [Int]] = [:]
        var byToken: [UInt64: [Int]] = [:]
        for (k, key) in keys.enumerated() {
            byNormalized[key.normalized, default: []].append(k)
            if key.tokens.count >= 4 { for t in key.tokens { byToken[t, default: []].append(k) } }
        }
        let chunk = 512
        let chunks = (existing.count + chunk - 1) / chunk
        let forms = byNormalized, tokens = byToken
        let found = ConcurrentWork.map(chunks) { c -> [Int] in
            var hit = Set<Int>()
            for text in existing[(c * chunk)..<min((c + 1) * chunk, existing.count)] {
                let e = Key(text)
                if let same = forms[e.normalized] { hit.formUnion(same) }
                guard e.tokens.count >= 4 else { continue }
                for t in e.tokens {
                    for k in tokens[t] ?? [] where !hit.contains(k) && e.isDuplicate(of: keys[k]) { hit.insert(k) }
                }
            }
            return Array(hit)
        }
        for hits in found { for k in hits { out[k] = true } }
        return out
    }

    /// Existing bullets prepared once for many lookups, in time linear in their number: each
    /// bullet is normalised once, exact forms go in a set, and an index from content token to
    /// bullets means a candidate is compared only with bullets sharing a token (a Jaccard
    /// similarity of 0.8 needs at least one shared token). Same answers as checking `isDuplicate`
    /// against every bullet.
    public struct Index: Sendable {
        private var keys: [Key] = []
        private var exact: Set<String> = []
        private var byToken: [UInt64: [Int]] = [:]

        /// The keys are computed in parallel (a pure function of each text) and inserted in order.
        public init<S: Sequence>(_ texts: S) where S.Element == String {
            let all = Array(texts)
            let chunk = 512
            let chunks = (all.count + chunk - 1) / chunk
            let made = ConcurrentWork.map(chunks) { k in all[(k * chunk)..<min((k + 1) * chunk, all.count)].map(Key.init) }
            for keys in made { for key in keys { insert(key) } }
        }

        public mutating func insert(_ key: Key) {
            exact.insert(key.normalized)
            guard key.tokens.count >= 4 else { return }
            let i = keys.count
            keys.append(key)
            for t in key.tokens { byToken[t, default: []].append(i) }
        }

        /// Whether some indexed bullet is a duplicate of `key`.
        public func containsDuplicate(of key: Key) -> Bool {
            if exact.contains(key.normalized) { return true }
            guard key.tokens.count >= 4 else { return false }
            var checked = Set<Int>()
            for t in key.tokens {
                for i in byToken[t] ?? [] where checked.insert(i).inserted {
                    if keys[i].isDuplicate(of: key) { return true }
                }
            }
            return false
        }
    }
}
