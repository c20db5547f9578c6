import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// Unknown config keys: one warning each with the nearest valid key; known keys, `[path_map]`
/// entries and every key of templates/config.toml give none.
@Suite struct ConfigKeysTests {
    @Test func everyUnknownKeyNamesTheNearestValidOne() throws {
        let c = try Config.parse("""
            machin = "laptop"
            Settle_Minutes = 3
            [push]
            atempts = 2
            timeout = 5
            [extractor]
            max_learning = 4
            [secrets]
            allowlist = []
            [projects]
            exclude = []
            includes = []
            """, path: "/c.toml", home: "/h")
        // One per key, in the parser's table order (not the file's): compared as a set.
        #expect(c.warnings.count == 7)
        #expect(Set(c.warnings) == [
            "/c.toml: unknown key `machin` is ignored (did you mean `machine`?)",
            "/c.toml: unknown key `Settle_Minutes` is ignored (did you mean `settle_minutes`?)",
            "/c.toml: unknown key `push.atempts` is ignored (did you mean `push.attempts`?)",
            "/c.toml: unknown key `push.timeout` is ignored (did you mean `push.timeout_seconds`?)",
            "/c.toml: unknown key `extractor.max_learning` is ignored (did you mean `extractor.max_learnings`?)",
            "/c.toml: unknown key `secrets.allowlist` is ignored (did you mean `secrets.allow`?)",
            "/c.toml: unknown key `projects.includes` is ignored (did you mean `projects.include`?)",
        ])
        // The keys it knows still apply; the unknown ones change nothing.
        #expect(c.machine == nil && c.pushAttempts == nil && c.settleMinutes == nil)
    }

    @Test func knownKeysAndPathMapEntriesGiveNoWarning() throws {
        let c = try Config.parse("""
            machine = "laptop"
            settle_minutes = 5
            claude_dir = "~/c"
            [path_map]
            "/Users/anything" = "/home/me"
            [secrets]
            allow = ["x"]
            [extractor]
            kind = "command"
            command = "llm"
            timeout_seconds = 10
            max_learnings = 3
            [push]
            attempts = 2
            timeout_seconds = 30
            [projects]
            include = ["~/src/*"]
            exclude = []
            """, path: "/c.toml", home: "/h")
        #expect(c.warnings == [])
    }

    @Test func theAnnotatedTemplateUsesOnlyKnownKeys() throws {
        var root = URL(fileURLWithPath: #filePath)
        while root.path != "/" && !FileManager.default.fileExists(atPath: root.path + "/Package.swift") { root.deleteLastPathComponent() }
        let template = try String(contentsOfFile: root.path + "/templates/config.toml", encoding: .utf8)
        // Uncomment every `# key = value` line (the template documents the keys commented out).
        let active = template.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("# ") && (t.dropFirst(2).first == "[" || t.contains(" = ")) && !t.dropFirst(2).hasPrefix("#") {
                return String(t.dropFirst(2))
            }
            return String(line)
        }.joined(separator: "\n")
        #expect(active != template, "the template documents its keys commented out")
        #expect(try Config.parse(active, path: "t", home: "/h").warnings == [])
        #expect(try Config.parse(template, path: "t", home: "/h").warnings == [])
    }

    @Test func editDistance() {
        #expect(Config.editDistance("machin", "machine") == 1)
        #expect(Config.editDistance("atempts", "attempts") == 1)
        #expect(Config.editDistance("", "push") == 4)
        #expect(Config.editDistance("push", "push") == 0)
        #expect(Config.editDistance("kitten", "sitting") == 3)
    }

    @Test func loadRefusesNULAndInvalidUTF8AndReadsAMissingFileAsDefaults() throws {
        let dir = TestSupport.makeTempDir("cfg")
        let env = Environment(["HOME": dir, "XDG_CONFIG_HOME": dir])
        #expect(try Config.load(environment: env) == Config())
        let path = dir + "/context-sync/config.toml"
        TestSupport.write(bytes: Array("machine = \"a\"\n\n[push]\u{0}attempts = 2\n".utf8), to: path)
        #expect(throws: ContextSyncError("\(path):3: config file holds a NUL byte (fix or remove the file; it must be UTF-8 text)")) {
            try Config.load(environment: env)
        }
        TestSupport.write(bytes: Array("machine = \"a".utf8) + [0xff, 0xfe] + Array("\"\n".utf8), to: path)
        #expect(throws: ContextSyncError("\(path): config file is not valid UTF-8 (fix or remove the file)")) {
            try Config.load(environment: env)
        }
        // A dangling symlink is no file: the defaults.
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: dir + "/gone.toml")
        #expect(try Config.load(environment: env) == Config())
    }
}
