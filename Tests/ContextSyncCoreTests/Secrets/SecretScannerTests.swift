import Foundation
import Testing
@testable import ContextSyncCore

@Suite("Secret scanner")
struct SecretScannerTests {
    let scanner = SecretScanner()
    static let token = "gh" + "p_" + Fake.alnum(36, 401)

    static var allPositives: [String] { (RuleCases.all + RuleCases.providers).flatMap(\.positives) + SecretLabeledSetTests.positives }

    // MARK: Findings never hold the secret

    @Test("an allowlist pattern that does not compile is named without the token written in it")
    func invalidAllowPatternIsRedactedInItsError() {
        do {
            _ = try SecretScanner(allowlist: ["(" + Self.token])
            Issue.record("the pattern compiled")
        } catch let e as ContextSyncError {
            #expect(e.message.hasPrefix("invalid secrets allowlist pattern #1"))
            #expect(!e.message.contains(Self.token))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("findings, their descriptions and their debug descriptions never contain the secret")
    func masked() {
        let f = scanner.scan("x = 1\n  token: " + Self.token, file: "a.txt")
        #expect(f.count == 1)
        let finding = f[0]
        #expect(finding.excerpt == "ghp_…")
        #expect(finding.line == 2)
        #expect(finding.column == 10)
        #expect(finding.file == "a.txt")
        for s in [finding.description, String(reflecting: finding), "\(f)", finding.excerpt] {
            #expect(!s.contains(Self.token.dropFirst(4).prefix(8)))
        }
        #expect(finding.description == "a.txt:2:10: github-token ghp_…")
    }

    @Test("no positive's secret body leaks into its finding")
    func noLeaks() {
        for text in Self.allPositives {
            for f in scanner.scan(text) {
                #expect(f.excerpt.count <= 5)
                #expect(f.excerpt.hasSuffix("…"))
            }
        }
    }

    @Test("short secrets show at most half of their characters")
    func shortMask() {
        #expect(SecretFinding.mask("abcdef") == "abc…")
        #expect(SecretFinding.mask("abcdefghij") == "abcd…")
    }

    // MARK: Positions

    @Test("line and column are 1-based, columns count characters")
    func positions() {
        let text = "first line\nsecond\n  héllo 👋🏽 token=" + Self.token + "\n"
        let f = scanner.scan(text)
        #expect(f.count == 1)
        #expect(f.first?.line == 3)
        // "  héllo 👋🏽 token=" is 16 characters (é and the emoji with its modifier count as one each).
        #expect(f.first?.column == 17)
    }

    @Test("several findings come in order of position")
    func order() {
        let text = "a=" + "AK" + "IA" + Fake.chars(Fake.upperAlnum, 16, seed: 9) + "\nb " + Self.token + " c " + Fake.jwt(seed: 3)
        #expect(scanner.scan(text).map(\.rule) == ["aws-access-key-id", "github-token", "jwt"])
    }

    // MARK: Redaction

    @Test("redaction replaces each secret with its rule marker and keeps the rest")
    func redaction() {
        let text = "before\nexport GITHUB_TOKEN=" + Self.token + " # ci\nafter é\n"
        #expect(scanner.redact(text) == "before\nexport GITHUB_TOKEN=<REDACTED:github-token> # ci\nafter é\n")
        let pem = "key:\n" + Fake.pem(seed: 5) + "\nend"
        #expect(scanner.redact(pem) == "key:\n<REDACTED:private-key>\nend")
        let url = "postgres://app:" + Fake.alnum(16, 6) + "@db/app"
        #expect(scanner.redact(url) == "postgres://app:<REDACTED:database-connection-string>@db/app")
    }

    @Test("redaction is idempotent and leaves nothing to find, for every positive")
    func redactionIdempotent() {
        for text in Self.allPositives {
            let once = scanner.redact(text)
            #expect(once != text)
            #expect(scanner.redact(once) == once)
            #expect(scanner.scan(once).isEmpty, "\(once.prefix(60))")
        }
    }

    @Test("clean text is returned unchanged")
    func redactClean() {
        let text = "nothing to see here\n" + String(repeating: "token: none\n", count: 3)
        #expect(scanner.redact(text) == text)
    }

    // MARK: Suppression

    @Test("the inline context-sync:allow marker suppresses findings on its line only")
    func inlineMarker() {
        let text = "token=" + Self.token + "  # context-sync:allow\ntoken=" + Self.token + "\n"
        let f = scanner.scan(text)
        #expect(f.map(\.line) == [2])
        #expect(scanner.redact(text).hasPrefix("token=" + Self.token + "  # context-sync:allow\n"))
    }

    @Test("allowlist patterns match the secret or its line")
    func allowlist() throws {
        let byValue = try SecretScanner(allowlist: ["^ghp_" + Self.token.dropFirst(4).prefix(6)])
        #expect(byValue.scan("t " + Self.token).isEmpty)
        let byLine = try SecretScanner(allowlist: ["fixtures/"])
        #expect(byLine.scan("load fixtures/ " + Self.token).isEmpty)
        #expect(byLine.scan("load other " + Self.token).count == 1)
    }

    @Test("an invalid allowlist pattern throws an error naming it")
    func invalidAllowlist() {
        #expect {
            _ = try SecretScanner(allowlist: ["ok", "(unclosed"])
        } throws: { error in
            guard let e = error as? ContextSyncError else { return false }
            return e.message.contains("(unclosed") && e.message.contains("#2") && e.status == .usage
        }
    }

    // MARK: Inputs

    @Test("invalid UTF-8 around a secret: found, positions still right")
    func invalidUTF8() {
        var bytes: [UInt8] = [0xFF, 0xFE, 0x41, 0x0A, 0xC3, 0x28, 0x20]  // bad bytes, newline, bad 2-byte sequence
        bytes += Array(("token=" + Self.token).utf8) + [0x80, 0x0A]
        let f = scanner.scan(bytes: bytes, file: nil)
        #expect(f.map(\.rule) == ["github-token"])
        #expect(f.first?.line == 2)
        #expect(f.first?.column == 10)  // U+FFFD ( space t o k e n = → 9 characters before
        let (out, redacted) = scanner.redact(bytes: bytes, file: nil)
        #expect(redacted.count == 1)
        #expect(Array(out.prefix(7)) == Array(bytes.prefix(7)))
        #expect(out.last == 0x0A && out[out.count - 2] == 0x80)
    }

    @Test("binary input with NUL bytes is scanned without trouble")
    func binary() {
        var bytes = [UInt8](repeating: 0, count: 1000)
        for i in 0..<bytes.count { bytes[i] = UInt8(truncatingIfNeeded: i &* 7919) }
        bytes += [0] + Array(Self.token.utf8) + [0, 0xFF]
        bytes += [UInt8](repeating: 0, count: 100)
        #expect(scanner.scan(bytes: bytes, file: "blob.bin").map(\.rule) == ["github-token"])
        #expect(scanner.scan(bytes: [], file: nil).isEmpty)
        #expect(scanner.scan(bytes: [0x41], file: nil).isEmpty)
    }

    @Test("a very long line (8 MB) with secrets at both ends")
    func longLine() {
        let filler = String(repeating: "lorem ipsum dolor sit amet, token key secret pass ", count: 160_000)
        let text = "token=" + Self.token + " " + filler + " tail " + Self.token
        let clock = ContinuousClock()
        let start = clock.now
        let f = scanner.scan(text)
        let elapsed = clock.now - start
        #expect(f.count == 2)
        #expect(f.last?.line == 1)
        #expect(f.last?.column == text.count - Self.token.count + 1)
        #expect(elapsed < .seconds(20))  // debug build; linear, not quadratic
    }

    @Test("adversarial inputs stay linear: repeated anchors, many findings on one line")
    func adversarial() {
        let clock = ContinuousClock()
        let inputs = [
            String(repeating: "://", count: 400_000), String(repeating: "key", count: 400_000),
            String(repeating: "password=", count: 150_000), String(repeating: "-----BEGIN PRIVATE KEY-----", count: 50_000),
            String(repeating: "eyJ", count: 400_000), String(repeating: "sk-", count: 400_000),
            String(repeating: "Bearer ", count: 200_000), String(repeating: "a:b@", count: 300_000),
        ]
        for input in inputs {
            let start = clock.now
            _ = scanner.scan(input)
            #expect(clock.now - start < .seconds(5), "\(input.prefix(12))")
        }
        let many = Array(repeating: "t=" + Self.token, count: 20_000).joined(separator: " é ")
        let start = clock.now
        let f = scanner.scan(many)
        #expect(f.count == 20_000)
        #expect(f.last?.column == many.count - Self.token.count + 1)
        #expect(clock.now - start < .seconds(10))
    }

    @Test("a PEM key with escaped newlines inside a JSON line is one finding")
    func pemInJSON() {
        let line = "{\"type\":\"assistant\",\"text\":\"here: " + Fake.pem(seed: 8, newline: "\\n") + "\\nthanks\"}"
        #expect(scanner.scan(line).map(\.rule) == ["private-key"])
        #expect(scanner.redact(line).hasSuffix("here: <REDACTED:private-key>\\nthanks\"}"))
    }

    @Test("a PEM body without its END line is still a key")
    func pemTruncated() {
        let text = "-----" + "BEGIN OPENSSH PRIVATE KEY-----\n" + Fake.b64(70, 1) + "\n" + Fake.b64(70, 2) + "\n"
        #expect(scanner.scan(text).map(\.rule) == ["private-key"])
        #expect(scanner.redact(text) == "<REDACTED:private-key>\n")
    }

    @Test("the rule catalogue has unique ids with summaries")
    func catalogue() {
        let ids = SecretScanner.rules.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(SecretScanner.rules.allSatisfy { !$0.summary.isEmpty })
        #expect(ids.contains("anthropic-api-key"))
    }

    @Test("the scanner is Sendable and gives the same answer on many threads")
    func concurrent() async {
        let scanner = self.scanner
        let text = "token=" + Self.token
        await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { scanner.scan(text).count } }
            for await c in group { #expect(c == 1) }
        }
    }
}
