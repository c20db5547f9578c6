@testable import ContextSyncCore
import ContextSyncTestSupport
import Foundation
import Testing

@Suite struct RunConfigTests {
    @Test func pushAndProjectsTablesParse() throws {
        let c = try Config.parse("""
            [push]
            attempts = 5
            timeout_seconds = 12.5
            [projects]
            include = ["~/src/*", "/work/**"]
            exclude = ["~/src/secret-*"]
            """, path: "/c", home: "/home/me")
        #expect(c.pushAttempts == 5)
        #expect(c.pushTimeoutSeconds == 12.5)
        #expect(c.projectInclude == ["/home/me/src/*", "/work/**"])
        #expect(c.projectExclude == ["/home/me/src/secret-*"])
        #expect(throws: ContextSyncError.self) { _ = try Config.parse("[push]\nattempts = 0\n", path: "/c", home: "/h") }
        #expect(throws: ContextSyncError.self) { _ = try Config.parse("[projects]\ninclude = \"~/src\"\n", path: "/c", home: "/h") }
    }

    @Test func globsStayInAComponentUnlessDoubleStar() {
        #expect(OptIn.matches(glob: "/home/me/src/*", path: "/home/me/src/app"))
        #expect(!OptIn.matches(glob: "/home/me/src/*", path: "/home/me/src/group/app"))
        #expect(OptIn.matches(glob: "/home/me/src/**", path: "/home/me/src/group/app"))
        #expect(OptIn.matches(glob: "/home/me/src/app/", path: "/home/me/src/app"))
        #expect(OptIn.matches(glob: "/home/me/src/client-?", path: "/home/me/src/client-a"))
        #expect(!OptIn.matches(glob: "/home/me/src/client-?", path: "/home/me/src/client-ab"))
    }

    @Test func optInNeedsAnIncludeALearningsFileOrAnEarlierRun() throws {
        let dir = TestSupport.makeTempDir("optin")
        let repo = dir + "/src/app"
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
        let identity = ProjectIdentity(key: "path:" + repo, source: .path)
        let state = dir + "/state"
        var config = Config()
        #expect(!OptIn.decide(topLevel: repo, identity: identity, config: config, stateDirectory: state).optedIn)

        config.projectInclude = [dir + "/src/*"]
        #expect(OptIn.decide(topLevel: repo, identity: identity, config: config, stateDirectory: state).reason.hasPrefix("included"))
        config.projectInclude = []

        try FileManager.default.createDirectory(atPath: repo + "/.claude", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: repo + "/.claude/learnings.md", contents: Data())
        #expect(OptIn.decide(topLevel: repo, identity: identity, config: config, stateDirectory: state).optedIn)
        try FileManager.default.removeItem(atPath: repo + "/.claude")

        try ProjectState(identity: identity.key).save(to: ProjectState.path(for: identity, stateDirectory: state))
        #expect(OptIn.decide(topLevel: repo, identity: identity, config: config, stateDirectory: state).reason == "context-sync ran here before")

        config.projectExclude = [dir + "/**"]
        let d = OptIn.decide(topLevel: repo, identity: identity, config: config, stateDirectory: state)
        #expect(!d.optedIn && d.reason.hasPrefix("excluded"))
    }

    @Test func theDigestRecordRoundTrips() throws {
        let path = TestSupport.makeTempDir("state") + "/state.json"
        var s = ProjectState(identity: "k")
        s.lastDigest = .init(at: "2026-11-21T10:00:00Z", sessions: [SessionMark(id: "a", size: 10, mtimeNanos: 1_795_234_780_015_644_628)])
        s.pendingPush = "main"
        try s.save(to: path)
        let back = try ProjectState.load(from: path, identity: "k")
        #expect(back == s)
        var marked = back
        marked.markProcessed(back.lastDigest!.sessions)
        #expect(marked.sessions["a"]?.mtimeNanos == 1_795_234_780_015_644_628)
    }
}
