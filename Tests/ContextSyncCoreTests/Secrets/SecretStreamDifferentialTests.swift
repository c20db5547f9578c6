import ContextSyncTestSupport
import Foundation
import Testing
@testable import ContextSyncCore

/// Streamed scans and redaction against the whole-buffer ones, on every fixture file and on
/// synthetic inputs with secrets placed across every chunk boundary (64-byte chunks).
@Suite("Secret scanner: streamed == whole buffer")
struct SecretStreamDifferentialTests {
    /// 64-byte chunks; lookbehind and lookahead as small as the rules allow for these inputs.
    static let tiny = SecretStreamLimits(chunk: 64, lookbehind: 8192, lookahead: 20 << 10)

    static func temporaryFile(_ bytes: [UInt8]) -> String {
        let path = NSTemporaryDirectory() + "cs-stream-diff-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// Streams `path` (or, with `pipe`, the same bytes through a pipe) through `scan(reading:)`
    /// and `redact(reading:)` and compares both with the whole-buffer results.
    static func check(_ bytes: [UInt8], scanner: SecretScanner = SecretScanner(), limits: SecretStreamLimits = tiny, pipe: Bool = false,
                      _ label: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let whole = scanner.scan(bytes: bytes, file: "f")
        let (wholeRedacted, wholeRedactedFindings) = scanner.redact(bytes: bytes, file: "f")
        for mode in ["scan", "redact"] {
            let fd: Int32
            var cleanup: () -> Void
            var writer: Thread? = nil
            if pipe {
                var fds: [Int32] = [0, 0]
                #expect(Glibc.pipe(&fds) == 0)
                fd = fds[0]
                let w = fds[1]
                let t = Thread {
                    bytes.withUnsafeBytes { raw in
                        var at = 0
                        while at < raw.count {
                            let n = write(w, raw.baseAddress! + at, raw.count - at)
                            if n <= 0 { break }
                            at += n
                        }
                    }
                    close(w)
                }
                t.start()
                writer = t
                cleanup = { close(fd) }
            } else {
                let path = temporaryFile(bytes)
                fd = open(path, O_RDONLY)
                cleanup = {
                    close(fd)
                    try? FileManager.default.removeItem(atPath: path)
                }
            }
            defer { cleanup() }
            _ = writer
            if mode == "scan" {
                let s = try scanner.scan(reading: fd, file: "f", skipBinary: false, limits: limits)
                #expect(s.bytes == bytes.count, "\(label): bytes", sourceLocation: sourceLocation)
                #expect(s.findings == whole, "\(label): streamed \(s.findings.count) findings, whole \(whole.count)", sourceLocation: sourceLocation)
            } else {
                var out: [UInt8] = []
                let r = try scanner.redact(reading: fd, file: "f", limits: limits) { out += $0 }
                #expect(r.findings == wholeRedactedFindings, "\(label): redacted findings", sourceLocation: sourceLocation)
                #expect(out == wholeRedacted, "\(label): redacted output differs (\(out.count) vs \(wholeRedacted.count) bytes)", sourceLocation: sourceLocation)
            }
        }
    }

    // MARK: - Fixtures

    static func files(under root: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: root) else { return [] }
        var out: [String] = []
        while let rel = e.nextObject() as? String {
            var isDir: ObjCBool = false
            let path = root + "/" + rel
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue { out.append(path) }
        }
        return out.sorted()
    }

    static let sharedFixtures = TestSupport.packageRoot + "/../shared/fixtures"

    @Test("every file under Tests/Fixtures, in 64-byte chunks and in standard ones")
    func packageFixtures() throws {
        let files = Self.files(under: TestSupport.packageRoot + "/Tests/Fixtures")
        #expect(files.count > 10)
        // These transcripts are sanitized (no findings): the comparison checks that streaming adds
        // none on real content with long JSON lines; the synthetic tests below carry the secrets.
        for f in files {
            let bytes = Array(FileManager.default.contents(atPath: f) ?? Data())
            try Self.check(bytes, f)
            try Self.check(bytes, limits: .standard, f + " (standard)")
        }
    }

    @Test("every file under ../shared/fixtures, in 64-byte chunks",
          .enabled(if: FileManager.default.fileExists(atPath: Self.sharedFixtures), "../shared/fixtures is not there"))
    func sharedFixtureFiles() throws {
        let files = Self.files(under: Self.sharedFixtures)
        #expect(!files.isEmpty)
        for f in files {
            let bytes = Array(FileManager.default.contents(atPath: f) ?? Data())
            try Self.check(bytes, f)
        }
    }

    // MARK: - Synthetic: every secret at every offset of a 64-byte chunk

    /// Snippets of every shape the rules have (single-line tokens, context rules, multi-line
    /// blocks, JSON keys), each with the text around it that the rule needs.
    static let snippets: [(name: String, text: String)] = {
        var s: [(String, String)] = []
        s.append(("github token", "export GITHUB_TOKEN=" + "gh" + "p_" + Fake.alnum(36, 11)))
        s.append(("password assignment", "naïve café – password = \"" + Fake.chars(Fake.alnum + "!#%", 14, seed: 12) + "\""))
        s.append(("aws key pair", "AK" + "IA" + Fake.chars(Fake.upperAlnum, 16, seed: 13) + " / " + Fake.chars(Fake.alnum + "+/", 40, seed: 14)))
        s.append(("mysql -p", "mysql -uroot -p" + Fake.alnum(12, 15) + " db"))
        s.append(("curl -u", "curl -u admin:" + Fake.chars(Fake.alnum + "#!", 16, seed: 16) + " https://example.com/api"))
        s.append(("pem block", Fake.pem(seed: 17)))
        s.append(("pem in json", "{\"key\": \"" + Fake.pem(seed: 18, newline: "\\n") + "\"}"))
        s.append(("base64 pem", "client-key-data: " + Fake.base64Encode(Fake.pem(seed: 19))))
        s.append(("jwk", "{\n  \"kty\": \"RSA\",\n  \"n\": \"" + Fake.b64url(86, 20) + "\",\n  \"e\": \"AQAB\",\n  \"d\": \"" + Fake.b64url(86, 21) + "\"\n}"))
        s.append(("jwt bearer", "Authorization: Bearer " + Fake.jwt(seed: 22)))
        s.append(("url credentials", "DATABASE_URL=postgres://app:" + Fake.alnum(20, 23) + "@db.internal:5432/app"))
        s.append(("allowed line", "token = \"" + Fake.alnum(32, 24) + "\" # context-sync:allow"))
        s.append(("sql identified", "CREATE USER app IDENTIFIED BY '" + Fake.chars(Fake.alnum + "#!", 14, seed: 25) + "';"))
        s.append(("connection string", "Server=db;Database=app;User Id=sa;Password=" + Fake.chars(Fake.alnum + "#!", 14, seed: 26) + ";"))
        return s
    }()

    @Test("each snippet at each of 64 offsets (and twice, so the second is an echo or a repeat)", arguments: 0..<Self.snippets.count)
    func everyOffset(index: Int) throws {
        let (name, text) = Self.snippets[index]
        let once = SecretScanner().scan(text + "\n", file: nil)
        #expect(!once.isEmpty || name == "allowed line", "\(name): the snippet itself is found")
        for shift in 0..<64 {
            let pad = String(repeating: "x", count: shift)
            let input = "line one of filler text\n" + pad + " " + text + "\nmiddle " + pad + "\n" + pad + text + " tail\n"
            try Self.check(Array(input.utf8), "\(name) at +\(shift)")
        }
    }

    @Test("an echo before the first sighting is found by the second pass, from a file and from a pipe")
    func echoBeforeSighting() throws {
        let value = Fake.chars(Fake.alnum + "#!%", 18, seed: 30)
        var text = "the tool printed " + value + " first\n"
        text += String(repeating: "filler line without anything in it at all\n", count: 200)
        text += "PGPASSWORD=" + value + " psql -h db\n"
        text += String(repeating: "more filler\n", count: 50) + "echo: " + value + "\n"
        let bytes = Array(text.utf8)
        let whole = SecretScanner().scan(bytes: bytes, file: "f")
        #expect(whole.count == 3 && whole.first?.line == 1, "the whole-buffer scan reports the echo on line 1")
        try Self.check(bytes, "file")
        try Self.check(bytes, pipe: true, "pipe")
        try Self.check(bytes, limits: .standard, pipe: true, "pipe, standard limits")
    }

    @Test("secrets on a line far longer than a chunk and than the lookahead")
    func longLine() throws {
        var line = ""
        for k in 0..<40 { line += String(repeating: "lorem ipsum ", count: 90 + k) + "key=" + "gh" + "p_" + Fake.alnum(36, UInt64(k) + 40) + " " }
        let bytes = Array(("before\n" + line + "\nafter " + "sk-" + "ant-api03-" + Fake.b64url(93, 41) + "AA\n").utf8)
        #expect(bytes.count > 40_000)
        try Self.check(bytes, "long line")
        try Self.check(bytes, pipe: true, "long line, pipe")
    }

    @Test("an allowlist pattern drops the same findings when streamed")
    func allowlist() throws {
        let scanner = try SecretScanner(allowlist: ["^skip-me"])
        var text = ""
        for k in 0..<60 { text += (k % 3 == 0 ? "skip-me " : "keep ") + "token=" + "gh" + "p_" + Fake.alnum(36, UInt64(k) + 60) + "\n" }
        let bytes = Array(text.utf8)
        #expect(scanner.scan(bytes: bytes, file: nil).count == 40)
        try Self.check(bytes, scanner: scanner, "allowlist")
    }

    @Test("no line break at the end, a lone byte, only line breaks")
    func edges() throws {
        try Self.check(Array(("x " + "gh" + "p_" + Fake.alnum(36, 70)).utf8), "no final newline")
        try Self.check([0x41], "one byte")
        try Self.check([UInt8](repeating: 0x0A, count: 300), "line breaks")
        try Self.check([], "empty")
    }
}
