import Foundation
import Testing

/// `context-sync scan` end to end, through the built binary.
@Suite("Secret scan command")
struct SecretScanCommandTests {
    /// A fake GitHub token built from the format (never a real key).
    static let token: String = {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        var body = ""
        for _ in 0..<36 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            body.append(alphabet[Int(state % UInt64(alphabet.count))])
        }
        return "gh" + "p_" + body
    }()
    static var secretBody: String { String(token.dropFirst(4)) }

    func tempDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cs-scan-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func write(_ text: String, _ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test("a clean file exits 0 and prints nothing")
    func clean() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write("nothing here\npassword: ${DB_PASSWORD}\n", dir + "/a.txt")
        let r = try CLI.run(["scan", dir + "/a.txt"])
        #expect(r.status == 0)
        #expect(r.stdout.isEmpty)
    }

    @Test("a finding exits 1 with file:line:column: rule excerpt, never the secret")
    func finding() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write("line one\n  export GITHUB_TOKEN=" + Self.token + "\n", dir + "/env.sh")
        let r = try CLI.run(["scan", dir + "/env.sh"])
        #expect(r.status == 1)
        #expect(r.stdout == dir + "/env.sh:2:23: github-token ghp_…\n")
        #expect(!r.stdout.contains(Self.secretBody.prefix(6)) && !r.stderr.contains(Self.secretBody.prefix(6)))
        #expect(r.stderr.contains("1 secret found"))
    }

    @Test("--json prints one object per finding with file, line, column, rule and excerpt")
    func json() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write("a=" + Self.token + "\nb=" + Self.token + "\n", dir + "/two.txt")
        let r = try CLI.run(["scan", "--json", dir + "/two.txt"])
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        for (i, line) in lines.enumerated() {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["file"] as? String == dir + "/two.txt")
            #expect(object?["line"] as? Int == i + 1)
            #expect(object?["column"] as? Int == 3)
            #expect(object?["rule"] as? String == "github-token")
            #expect(object?["excerpt"] as? String == "ghp_…")
        }
        #expect(!r.stdout.contains(Self.secretBody.prefix(6)))
    }

    @Test("directories are scanned recursively, skipping .git/ and binary files")
    func directories() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write("token=" + Self.token + "\n", dir + "/src/deep/config.env")
        try write("token=" + Self.token + "\n", dir + "/.git/config")
        try Data([0x00, 0x01] + Array(("token=" + Self.token).utf8)).write(to: URL(fileURLWithPath: dir + "/blob.bin"))
        try write("fine\n", dir + "/README.md")
        let r = try CLI.run(["scan", dir])
        #expect(r.status == 1)
        #expect(r.stdout == dir + "/src/deep/config.env:1:7: github-token ghp_…\n")
    }

    @Test("- reads standard input")
    func stdin() throws {
        let r = try CLI.run(["scan", "-"], stdin: "hello\ntoken: " + Self.token + "\n")
        #expect(r.status == 1)
        #expect(r.stdout == "-:2:8: github-token ghp_…\n")
        let clean = try CLI.run(["scan", "-"], stdin: "hello\n")
        #expect(clean.status == 0)
    }

    @Test("--redact writes the redacted text to stdout and reports to stderr")
    func redact() throws {
        let r = try CLI.run(["scan", "--redact", "-"], stdin: "keep this\nGITHUB_TOKEN=" + Self.token + " # ci\n")
        #expect(r.stdout == "keep this\nGITHUB_TOKEN=<REDACTED:github-token> # ci\n")
        #expect(r.status == 1)
        #expect(r.stderr.contains("-:2:14: github-token ghp_…"))
        #expect(!r.stderr.contains(Self.secretBody.prefix(6)))
        let clean = try CLI.run(["scan", "--redact", "-"], stdin: "nothing\n")
        #expect(clean.status == 0)
        #expect(clean.stdout == "nothing\n")
    }

    @Test("bad input exits 2: missing file, --redact with two inputs or a directory, invalid --allow")
    func badInput() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write("x\n", dir + "/a.txt")
        let missing = try CLI.run(["scan", dir + "/nope.txt"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.txt"))
        #expect(try CLI.run(["scan", "--redact", dir + "/a.txt", dir + "/a.txt"]).status == 2)
        #expect(try CLI.run(["scan", "--redact", dir]).status == 2)
        let allow = try CLI.run(["scan", "--allow", "(oops", dir + "/a.txt"])
        #expect(allow.status == 2)
        #expect(allow.stderr.contains("(oops"))
    }

    @Test("--allow and the inline marker suppress findings")
    func allow() throws {
        let input = "token=" + Self.token + "\n"
        #expect(try CLI.run(["scan", "--allow", "^token=", "-"], stdin: input).status == 0)
        #expect(try CLI.run(["scan", "-"], stdin: "token=" + Self.token + " # context-sync:allow\n").status == 0)
    }
}
