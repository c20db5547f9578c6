import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

@Suite struct ConfigTests {
    @Test func parsesEveryKey() throws {
        let c = try Config.parse("""
            machine = "laptop"
            settle_minutes = 5
            claude_dir = "~/alt-claude"
            [path_map]
            "/Users/me" = "/home/me"
            "/Users/me/code" = "/home/me/src"
            [secrets]
            allow = ["^fake-"]
            [extractor]
            kind = "command"
            command = "llm -m x"
            timeout_seconds = 60
            max_learnings = 5
            """, path: "/c.toml", home: "/home/me")
        #expect(c.extractorKind == "command" && c.extractorCommand == "llm -m x")
        #expect(c.extractorTimeoutSeconds == 60 && c.maxLearnings == 5)
        #expect(c.machine == "laptop")
        #expect(c.settleMinutes == 5)
        #expect(c.claudeDir == "/home/me/alt-claude")
        #expect(c.secretAllowlist == ["^fake-"])
        // Longest prefix wins; only whole path components match.
        #expect(c.mapPath("/Users/me/code/app") == "/home/me/src/app")
        #expect(c.mapPath("/Users/me/notes") == "/home/me/notes")
        #expect(c.mapPath("/Users/me") == "/home/me")
        #expect(c.mapPath("/Users/meg/x") == "/Users/meg/x")
    }

    @Test func brokenTOMLNamesFileAndLine() {
        do {
            _ = try Config.parse("machine = \"a\"\nsettle_minutes = = 3\n", path: "/x/config.toml", home: "/h")
            Issue.record("expected an error")
        } catch let e as ContextSyncError {
            #expect(e.message.hasPrefix("/x/config.toml:2:"))
            #expect(e.status == .usage)
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func wrongTypesAreRejectedWithTheKeyName() {
        #expect(throws: ContextSyncError("/c: `settle_minutes` must be a number of minutes (fix the value or remove the key)")) {
            _ = try Config.parse("settle_minutes = \"soon\"", path: "/c", home: "/h")
        }
        #expect(throws: ContextSyncError.self) { _ = try Config.parse("[secrets]\nallow = \"x\"", path: "/c", home: "/h") }
        #expect(throws: ContextSyncError.self) { _ = try Config.parse("[extractor]\nkind = \"gpt\"", path: "/c", home: "/h") }
        #expect(throws: ContextSyncError.self) { _ = try Config.parse("[extractor]\nmax_learnings = 0", path: "/c", home: "/h") }
    }

    @Test func missingFileIsAnEmptyConfig() throws {
        let dir = TestSupport.makeTempDir()
        let c = try Config.load(environment: Environment(["HOME": dir, "XDG_CONFIG_HOME": dir + "/none"]))
        #expect(c == Config())
    }
}

@Suite struct StateAndFilesTests {
    @Test func stateRoundTripsAndCorruptStateIsAnError() throws {
        let dir = TestSupport.makeTempDir()
        let path = dir + "/state/projects/p.json"
        var s = ProjectState(identity: "github.com/o/r")
        s.markProcessed([SessionFile(path: "/x/a.jsonl", folder: "f", id: "a", size: 10, mtimeNanos: 1_700_000_000_123_456_789)])
        s.pendingPush = "main"
        try s.save(to: path)
        let loaded = try ProjectState.load(from: path, identity: "ignored")
        #expect(loaded == s)
        #expect(try ProjectState.load(from: dir + "/missing.json", identity: "k").sessions.isEmpty)
        TestSupport.write("{not json", to: path)
        #expect(throws: ContextSyncError.self) { _ = try ProjectState.load(from: path, identity: "k") }
    }

    @Test func atomicWriteReplacesWholeFilesAndLeavesNoTemporaries() throws {
        let dir = TestSupport.makeTempDir()
        let path = dir + "/a/b/file.txt"
        try AtomicFile.write("one", to: path)
        try AtomicFile.write("two", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/a/b") == ["file.txt"])
    }

    @Test func aSecondLockWaitsThenGivesUp() throws {
        let dir = TestSupport.makeTempDir()
        let first = try #require(try FileLock.acquire(at: dir + "/l.lock", wait: 0))
        // flock locks are per open file description, so a second open in the same process conflicts.
        // It polls every 50 ms until the wait is over (on a clock that does not really wait).
        let clock = ManualClock()
        #expect(try FileLock.acquire(at: dir + "/l.lock", wait: 0.2, clock: clock) == nil)
        #expect(clock.sleeps.allSatisfy { $0 == 0.05 } && (4...5).contains(clock.sleeps.count), "\(clock.sleeps)")
        first.unlock()
        #expect(try FileLock.acquire(at: dir + "/l.lock", wait: 0) != nil)
    }
}
