import ContextSyncCore
import Foundation
import Testing

/// Session text and an external extractor's output reach stdout, stderr, JSON and the cache only
/// redacted. The secret is generated at test time and never printed by the test itself.
@Suite struct OutputChannelsCLITests {
    typealias Sandbox = RunCLITests.Sandbox

    /// A GitHub token shape (`ghp_` + 36 letters and digits), random per call.
    static func generatedToken() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return "ghp_" + String((0..<36).map { _ in alphabet.randomElement()! })
    }

    /// True when any of `outputs` holds `token`. The checks below test such Bools, never the
    /// texts themselves, so that a failure does not print the secret; messages are masked.
    static func leaks(_ token: String, _ outputs: String...) -> Bool { outputs.contains { $0.contains(token) } }

    static func masked(_ text: String, _ token: String) -> String { text.replacingOccurrences(of: token, with: "<TOKEN>") }

    /// The files under `dir` (relative paths) that hold `needle`.
    static func filesContaining(_ needle: String, under dir: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
        var hits: [String] = []
        for case let rel as String in e {
            let p = dir + "/" + rel
            if let d = FileManager.default.contents(atPath: p), String(decoding: d, as: UTF8.self).contains(needle) { hits.append(rel) }
        }
        return hits
    }

    /// Adds a title record (as Claude Code writes for /rename) to the sandbox's session.
    static func titleSession(_ s: Sandbox, title: String) throws -> String {
        let id = "cccccccc-0000-0000-0000-000000000001"
        let path = s.dir + "/claude/projects/" + ProjectFolderName.encode(s.repo) + "/\(id).jsonl"
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        h.seekToEndOfFile()
        h.write(Data((#"{"type":"custom-title","customTitle":"\#(title)","sessionId":"\#(id)"}"# + "\n").utf8))
        try h.close()
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -7200)], ofItemAtPath: path)
        return path
    }

    @Test func sessionTitlesAreRedactedInTextJSONAndTheCache() throws {
        let s = try Sandbox()
        let token = Self.generatedToken()
        _ = try Self.titleSession(s, title: "deploy with \(token) today")

        let text = try CLI.run(["sessions", "--project", s.repo], env: s.env)
        #expect(text.status == 0)
        let shown = text.stdout.contains("deploy with <REDACTED:")
        #expect(shown, "the title is shown, redacted: \(Self.masked(text.stdout, token))")
        let json = try CLI.run(["sessions", "--project", s.repo, "--json"], env: s.env)
        #expect(json.status == 0)
        let title = try JSONParser.parse(json.stdout)["sessions"]?.array?.first?["title"]?.string
        let redacted = title?.hasPrefix("deploy with <REDACTED:") == true
        #expect(redacted, "\(Self.masked(title ?? "no title", token))")
        let leaked = Self.leaks(token, text.stdout, text.stderr, json.stdout, json.stderr)
        #expect(!leaked)
        let inCache = Self.filesContaining(token, under: s.dir + "/cache"), inState = Self.filesContaining(token, under: s.dir + "/state")
        #expect(inCache == [], "the cache holds no secret")
        #expect(inState == [])
        let run = try CLI.run(["run", "--project", s.repo, "--json"], env: s.env)
        let leakedByRun = Self.leaks(token, run.stdout, run.stderr)
        #expect(!leakedByRun)
        let inCacheAfterRun = Self.filesContaining(token, under: s.dir + "/cache")
        #expect(inCacheAfterRun == [])

        // A cache written by an earlier version (format 2) with the title in clear is replaced.
        let cacheFiles = try FileManager.default.contentsOfDirectory(atPath: s.dir + "/cache/context-sync")
        let cacheFile = s.dir + "/cache/context-sync/" + (try #require(cacheFiles.first { $0.hasPrefix("sessions-") }))
        var old = try String(contentsOfFile: cacheFile, encoding: .utf8)
        old = old.replacingOccurrences(of: "\"version\": 3", with: "\"version\": 2")
            .replacingOccurrences(of: "\"version\":3", with: "\"version\":2")
        old = old.replacingOccurrences(of: #"deploy with <REDACTED:[a-z0-9-]+> today"#, with: "deploy with \(token) today",
                                       options: .regularExpression)
        try old.write(toFile: cacheFile, atomically: true, encoding: .utf8)
        let planted = Self.filesContaining(token, under: s.dir + "/cache")
        #expect(planted != [], "the test planted the old cache")
        let again = try CLI.run(["projects"], env: s.env)
        #expect(again.status == 0)
        let leakedAgain = Self.leaks(token, again.stdout, again.stderr)
        #expect(!leakedAgain)
        let inRewrittenCache = Self.filesContaining(token, under: s.dir + "/cache")
        #expect(inRewrittenCache == [], "the old cache was rewritten")
    }

    @Test func anExternalExtractorsOutputIsRedactedInErrors() throws {
        let s = try Sandbox()
        let token = Self.generatedToken()
        let failing = s.dir + "/failing.sh"
        try Data("#!/bin/sh\ncat >/dev/null\necho \"auth failed for token \(token)\" >&2\nexit 3\n".utf8)
            .write(to: URL(fileURLWithPath: failing))
        let chatty = s.dir + "/chatty.sh"
        try Data("#!/bin/sh\ncat >/dev/null\necho \"I used \(token) to look\"\n".utf8).write(to: URL(fileURLWithPath: chatty))
        for p in [failing, chatty] { chmod(p, 0o755) }

        for (script, message) in [(failing, "extractor command failed with exit code 3: auth failed for token <REDACTED:"),
                                  (chatty, "extractor printed no bullets")] {
            for extra in [[], ["--json"]] {
                let r = try CLI.run(["run", "--project", s.repo, "--extractor", "command", "--extractor-command", script] + extra,
                                    env: s.env)
                #expect(r.status == 2, "\(Self.masked(r.stderr, token))")
                let said = r.stderr.contains(message), leaked = Self.leaks(token, r.stdout, r.stderr)
                #expect(said, "\(Self.masked(r.stderr, token))")
                #expect(!leaked, "\(Self.masked(r.stderr, token))")
            }
            let extract = try CLI.run(["extract", "--project", s.repo, "--extractor", "command", "--extractor-command", script],
                                      env: s.env)
            #expect(extract.status == 2)
            let leaked = Self.leaks(token, extract.stdout, extract.stderr)
            #expect(!leaked, "\(Self.masked(extract.stderr, token))")
        }
        // A secret in the command line itself is not echoed either.
        let slow = try CLI.run(["run", "--project", s.repo, "--extractor", "command", "--extractor-timeout", "1",
                                "--extractor-command", "sleep 5 # \(token)"], env: s.env)
        #expect(slow.status == 2)
        let timedOut = slow.stderr.contains("timed out"), leakedCommand = Self.leaks(token, slow.stdout, slow.stderr)
        #expect(timedOut, "\(Self.masked(slow.stderr, token))")
        #expect(!leakedCommand, "\(Self.masked(slow.stderr, token))")
        #expect(s.read(".claude/learnings.md") == nil)
    }
}
