import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

@Suite("Run log")
struct RunLogTests {
    static func dir() -> String {
        TestSupport.makeTempDir("runlog")  // removed with the run's temporary root
    }

    static func entry(_ project: String, outcome: String = "pushed", code: Int = 0, error: String? = nil) -> RunLogEntry {
        RunLogEntry(time: "2026-12-02T01:00:00Z", mode: "all", project: project, identity: "example.test/app",
                    outcome: outcome, exitCode: code, sessions: 2, added: 3, error: error)
    }

    @Test func appendsOneLinePerEntryAndReadsTheLastOnesBack() throws {
        let d = Self.dir()
        let log = RunLog(stateDirectory: d + "/state")
        #expect(try log.recent(5) == RunLog.Recent(entries: [], unreadable: 0, exists: false))
        try log.append(Self.entry("/src/a"))
        try log.append(Self.entry("/src/b", outcome: "error", code: 2, error: "first line\nsecond line"))
        try log.append(Self.entry("/src/c"))
        let text = try String(contentsOfFile: log.path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 3)
        #expect(text.hasSuffix("\n"))
        let all = try log.recent(10)
        #expect(all.exists && all.unreadable == 0)
        #expect(all.entries.map(\.project) == ["/src/a", "/src/b", "/src/c"])
        #expect(all.entries[1].error == "first line", "the error is cut to one line")
        #expect(all.entries[1].failed && !all.entries[0].failed)
        #expect(all.entries[0] == Self.entry("/src/a"))
        #expect(try log.recent(2).entries.map(\.project) == ["/src/b", "/src/c"])
        // The file is the user's alone.
        let mode = (try FileManager.default.attributesOfItem(atPath: log.path)[.posixPermissions] as? Int) ?? 0
        #expect(mode & 0o077 == 0)
    }

    @Test func rotatesBySizeAndKeepsOneOldFile() throws {
        let d = Self.dir()
        let log = RunLog(path: d + "/runs.log", maxBytes: 400)
        for i in 0..<12 { try log.append(Self.entry("/src/p\(i)")) }
        let size = (try FileManager.default.attributesOfItem(atPath: log.path)[.size] as? Int) ?? 0
        #expect(size < 400 + 300, "the current file stays near the limit: \(size)")
        #expect(FileManager.default.fileExists(atPath: log.rotatedPath))
        #expect(!FileManager.default.fileExists(atPath: log.rotatedPath + ".1"))
        let recent = try log.recent(100)
        #expect(recent.entries.last?.project == "/src/p11")
        #expect(recent.entries.count < 12, "the oldest lines are gone with the second rotation")
        let projects = recent.entries.map(\.project)
        #expect(projects == projects.sorted { Int($0.dropFirst(6))! < Int($1.dropFirst(6))! }, "oldest first across both files")
    }

    @Test func neverWritesThroughASymlinkAndSkipsTornLines() throws {
        let d = Self.dir()
        let target = d + "/elsewhere.txt"
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: d + "/runs.log", withDestinationPath: target)
        let log = RunLog(path: d + "/runs.log")
        #expect(throws: ContextSyncError.self) { try log.append(Self.entry("/src/a")) }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "mine\n")

        let other = RunLog(path: d + "/other.log")
        try other.append(Self.entry("/src/a"))
        let handle = try #require(FileHandle(forWritingAtPath: other.path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"time\":\"2026-12-0".utf8))
        try handle.close()
        try other.append(Self.entry("/src/b"))
        let recent = try other.recent(10)
        #expect(recent.entries.map(\.project) == ["/src/a"], "the torn line swallowed the next one's start")
        #expect(recent.unreadable == 1)
    }
}
