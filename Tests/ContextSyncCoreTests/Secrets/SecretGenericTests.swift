import Foundation
import Testing
@testable import ContextSyncCore

@Suite("Secret generic rule")
struct SecretGenericTests {
    let scanner = SecretScanner()
    static let value = Fake.alnum(32, 301)
    static let pw = Fake.alnum(14, 302)

    @Test(
        "assignment forms",
        arguments: [
            "api_key = " + value, "api_key=\"" + value + "\"", "api_key: " + value, "api_key := \"" + value + "\"",
            "'api_key' => '" + value + "'", "export API_KEY=" + value, "{\"api_key\": \"" + value + "\"}",
            "  api_key: '" + value + "'", "api_key = \"" + value + "\"  # TOML", "API_KEY=" + value,
            "tool --api-key " + value, "tool --api-key=" + value, "<apiKey>" + value + "</apiKey>",
            "apiKey: \"" + value + "\",", "if (apiKey === \"" + value + "\")", "var apiKey = @\"" + value + "\";",
            "{\\\"api_key\\\": \\\"" + value + "\\\"}",  // JSON inside a JSON string (transcripts)
            "AUTH_TOKEN=" + value, "clientSecret: " + value, "x-secret-token: " + value,
        ])
    func assignmentForms(_ line: String) {
        let findings = scanner.scan(line)
        #expect(findings.map(\.rule) == ["generic-secret"], "\(line.prefix(24))… → \(findings.map(\.rule))")
    }

    @Test(
        "password forms",
        arguments: [
            "password = " + pw, "DB_PASSWORD=\"" + pw + "\"", "passwd: " + pw, "--password " + pw, "dbPass = '" + pw + "'",
            "\"pwd\": \"" + pw + "\"", "<password>" + pw + "</password>", "spring.datasource.password=" + pw,
        ])
    func passwordForms(_ line: String) {
        #expect(scanner.scan(line).map(\.rule) == ["generic-password"], "\(line.prefix(16))…")
    }

    @Test(
        "placeholders and references are not secrets",
        arguments: [
            "EXAMPLE_KEY_VALUE_1234", "xxxxxxxxxxxxxxxxxxxxxxxx", "************************", "changeme-please-123",
            "your-api-key-goes-here", "<token>", "<YOUR_TOKEN>", "${API_KEY}", "${API_KEY:-default}", "$API_KEY",
            "{{ api_key }}", "{{.Values.apiKey}}", "%API_KEY%", "os.environ['API_KEY']", "process.env.API_KEY",
            "getApiKey()", "config.get('api_key')", "ENV['API_KEY']", "${{ secrets.API_KEY }}", "<%= ENV['K'] %>",
            "#{api_key}", "\\(apiKey)", "{api_key}", "[REDACTED]", "<REDACTED:generic-secret>", "...",
            "sk-...", "null", "None", "undefined", "true",
        ])
    func placeholders(_ value: String) {
        for line in ["api_key = \"" + value + "\"", "api_key: " + value, "password=" + value] {
            #expect(scanner.scan(line).isEmpty, "\(line)")
        }
    }

    @Test(
        "identifiers, words, paths, hashes and ids are not secrets",
        arguments: [
            "myDatabasePassword", "getPasswordFromEnvironment", "HTTPServerConfiguration", "k8s-cluster-production",
            "kubernetes.io/service-account-token", "/var/run/secrets/token", "./secrets/api.key", "~/.aws/credentials",
            "C:\\Users\\me\\token.txt", "https://example.com/oauth/token", "alice@example.com", "2024-01-01T00:00:00Z",
            "1.2.3-beta.4", "1234567890123456", "String", "self.api_key", "settings.SECRET_KEY",
        ])
    func nonSecrets(_ value: String) {
        #expect(scanner.scan("api_key = " + value).isEmpty, "\(value)")
        #expect(scanner.scan("secret: \"" + value + "\"").isEmpty, "\(value)")
    }

    @Test("git SHAs, UUIDs and content hashes without a secret keyword are ignored")
    func hashesWithoutKeyword() {
        let uuid = Fake.hex(8, 1) + "-" + Fake.hex(4, 2) + "-" + Fake.hex(4, 3) + "-" + Fake.hex(4, 4) + "-" + Fake.hex(12, 5)
        for line in [
            "commit " + Fake.hex(40, 311), "Merge: " + Fake.hex(7, 312) + " " + Fake.hex(7, 313), "id: " + uuid,
            "\"uuid\": \"" + uuid + "\"", "sha256:" + Fake.hex(64, 314), "\"integrity\": \"sha512-" + Fake.b64(86, 315) + "==\"",
            "etag: \"" + Fake.hex(32, 316) + "\"", "\"cacheKey\": \"" + Fake.hex(32, 317) + "\"",
            "\"tool_use_id\": \"toolu_01" + Fake.alnum(22, 318) + "\"", "\"signature\": \"" + Fake.b64(200, 319) + "\"",
        ] {
            #expect(scanner.scan(line).isEmpty, "\(line.prefix(30))")
        }
        // The same values next to a secret keyword are reported.
        #expect(scanner.scan("api_key = \"" + uuid + "\"").map(\.rule) == ["generic-secret"])
        #expect(scanner.scan("secret: " + Fake.hex(40, 311)).map(\.rule) == ["generic-secret"])
    }

    @Test("names that describe a secret without holding one")
    func descriptiveNames() {
        for line in [
            "token_type = \"" + Self.value + "\"", "secret_name: " + Self.value, "password_hash = \"" + Self.value + "\"",
            "max_tokens: 4096", "public_key = \"" + Fake.b64(44, 321) + "\"", "token_url: \"" + Self.value + "\"",
            "password_min_length = 12", "tokenizer = \"" + Self.value + "\"", "cache_key = \"" + Self.value + "\"",
            "primary_key = \"" + Self.value + "\"", "author: \"" + Self.value + "\"", "bypass = \"" + Self.value + "\"",
        ] {
            #expect(scanner.scan(line).isEmpty, "\(line.prefix(20))")
        }
    }

    @Test("a name with several keywords is examined once and reported once")
    func oneFindingPerAssignment() {
        let line = "aws_secret_access_key_token = \"" + Fake.b64(40, 331) + "\""
        #expect(scanner.scan(line).count == 1)
    }

    @Test("provider formats win over the generic rule for the same value")
    func providerBeatsGeneric() {
        let line = "token = \"" + "gh" + "p_" + Fake.alnum(36, 341) + "\""
        #expect(scanner.scan(line).map(\.rule) == ["github-token"])
    }

    @Test("prose after a YAML-style colon is not a value")
    func prose() {
        #expect(scanner.scan("Token: the one shown once in the dashboard").isEmpty)
        #expect(scanner.scan("password: use a strong one, e.g. " + Fake.alnum(4, 1)).isEmpty)
        #expect(scanner.scan("The password must be at least 12 characters.").isEmpty)
    }
}

@Suite("Secret entropy")
struct SecretEntropyTests {
    let scanner = SecretScanner()

    @Test("expected random entropy grows with length and never exceeds the alphabet or log2(n)")
    func expectedEntropyTable() {
        for size in [16, 64, 94] {
            var previous = 0.0
            for n in 1...256 {
                let e = ValueHeuristics.expectedRandomEntropy(length: n, alphabetSize: size)
                #expect(e >= previous - 1e-9)
                #expect(e <= min(log2(Double(size)), log2(Double(n))) + 1e-9)
                previous = e
            }
        }
        // Spot values (simulation medians: hex 16 → 3.20, base64 32 → 4.56).
        #expect(abs(ValueHeuristics.expectedRandomEntropy(length: 16, alphabetSize: 16) - 3.2) < 0.1)
        #expect(abs(ValueHeuristics.expectedRandomEntropy(length: 32, alphabetSize: 64) - 4.55) < 0.1)
    }

    @Test("Shannon entropy of known strings")
    func entropyValues() {
        func h(_ s: String) -> Double {
            Array(s.utf8).withUnsafeBufferPointer { ValueHeuristics.entropy(ByteSpan(base: $0.baseAddress!, start: 0, end: $0.count)) }
        }
        #expect(h("aaaaaaaa") == 0)
        #expect(abs(h("abababab") - 1) < 1e-9)
        #expect(abs(h("0123456789abcdef") - 4) < 1e-9)
    }

    @Test("minimum lengths: one character short is not reported, the minimum is")
    func minimumLengths() {
        let hex16 = "9f3a0c7e4b1d8265", hex15 = String(hex16.dropLast())
        #expect(scanner.scan("secret = " + hex16).count == 1)
        #expect(scanner.scan("secret = " + hex15).isEmpty)
        let b16 = "Zq7Xk2Lm9Rt4Wv8N", b15 = String(b16.dropLast())
        #expect(scanner.scan("api_key = \"" + b16 + "\"").count == 1)
        #expect(scanner.scan("api_key = \"" + b15 + "\"").isEmpty)
        #expect(scanner.scan("password = \"Xk9#mQ2$\"").count == 1)
        #expect(scanner.scan("password = \"Xk9#mQ2\"").isEmpty)
    }

    @Test("low-entropy values of the right length are not reported")
    func lowEntropy() {
        for value in [
            "abcabcabcabcabcabcabc1", "a1a1a1a1a1a1a1a1a1a1", "0000000000000000000000000000000000000000",
            "AAAABBBBCCCCDDDD1111", "deadbeefdeadbeefdeadbeef", "aaaaaaa1",
        ] {
            #expect(scanner.scan("api_key = \"" + value + "\"").isEmpty, "\(value)")
            #expect(scanner.scan("password = \"" + value + "\"").isEmpty, "\(value)")
        }
    }

    @Test("random values of every alphabet are reported")
    func randomValues() {
        for seed in UInt64(1)...50 {
            #expect(scanner.scan("secret = " + Fake.hex(24, seed)).count == 1, "hex seed \(seed)")
            #expect(scanner.scan("secret = " + Fake.alnum(24, seed)).count == 1, "alnum seed \(seed)")
            let mixed = Fake.chars(Fake.alnum + "!#%&*+-=?@^_~", 16, seed: seed)
            #expect(scanner.scan("secret = \"" + mixed + "\"").count == 1, "mixed seed \(seed)")
        }
    }
}
