import Foundation
import Testing
@testable import ContextSyncCore

@Suite("Secret classes (issue 15)")
struct SecretClassTests {
    let scanner = SecretScanner()

    @Test("each class: true positives are found and redacted", arguments: ClassCases.all)
    func positives(_ c: ClassCase) {
        #expect(c.positives.count >= 3)
        for (i, (text, secret)) in c.positives.enumerated() {
            let findings = scanner.scan(text)
            #expect(!findings.isEmpty, "\(c.name) positive #\(i) not found")
            let redacted = scanner.redact(text)
            #expect(!redacted.contains(secret), "\(c.name) positive #\(i): secret left after redaction")
        }
    }

    @Test("each class: near misses report nothing", arguments: ClassCases.all)
    func nearMisses(_ c: ClassCase) {
        #expect(c.nearMisses.count >= 3)
        for (i, text) in c.nearMisses.enumerated() {
            let findings = scanner.scan(text)
            #expect(findings.isEmpty, "\(c.name) near miss #\(i) gave \(findings.map(\.rule))")
        }
    }

    @Test("tokens whose alphabet has '-' keep a trailing '-' (Google, Docker Hub, SendGrid, GitLab)")
    func trailingDash() {
        for seed in UInt64(1)...200 {
            let tokens = [
                "AI" + "za" + Fake.b64url(34, seed) + "-",
                "dckr" + "_pat_" + Fake.b64url(26, seed) + "-",
                "S" + "G." + Fake.b64url(22, seed) + "." + Fake.b64url(42, seed &+ 1) + "-",
                "gl" + "pat-" + Fake.alnum(19, seed) + "-",
            ]
            for t in tokens {
                for text in [t, "key: " + t + " ", "\"" + t + "\""] {
                    let redacted = scanner.redact(text)
                    #expect(!redacted.contains(String(t.dropLast().suffix(12))), "token ending in '-' not redacted whole (seed \(seed))")
                    #expect(!redacted.contains(t.suffix(2)) || !t.hasSuffix("-") || redacted.contains("<REDACTED"), "seed \(seed)")
                }
                let f = scanner.scan(t)
                #expect(f.count == 1, "seed \(seed): \(f.map(\.rule))")
                #expect(scanner.redact(t).hasPrefix("<REDACTED:") && scanner.redact(t).hasSuffix(">"), "trailing '-' left outside the redaction (seed \(seed))")
            }
        }
    }

    @Test("a sentence-ending dot after a token is not part of it")
    func trailingDot() {
        let t = "AI" + "za" + Fake.b64url(35, 77)
        #expect(scanner.redact("the key is " + t + ".") == "the key is <REDACTED:google-api-key>.")
    }

    @Test("Hugging Face tokens of random letters are never judged words (5,000 bodies)")
    func huggingFaceNotWords() {
        var missed = 0
        for seed in UInt64(1)...5000 {
            let t = "hf" + "_" + Fake.chars(Fake.upper + Fake.lower, 34, seed: seed &* 7919)
            if scanner.scan(t).map(\.rule) != ["huggingface-token"] { missed += 1 }
        }
        #expect(missed == 0, "\(missed) of 5000 random hf_ tokens missed")
    }
}
