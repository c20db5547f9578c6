import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// End-to-end discovery over a temporary Claude root and real git repositories.
@Suite struct DiscoveryTests {
    /// A sandbox: repository `repo` (with a subdirectory and a linked worktree), another repository,
    /// a Claude root, and XDG directories.
    struct Sandbox {
        let dir: String
        var repo: String { dir + "/src/repo" }
        var worktree: String { dir + "/src/repo-wt" }
        var other: String { dir + "/src/other" }
        var claude: String { dir + "/claude" }
        var env: Environment {
            Environment(["HOME": dir + "/home", "XDG_CONFIG_HOME": dir + "/config", "XDG_STATE_HOME": dir + "/state",
                         "XDG_CACHE_HOME": dir + "/cache"])
        }

        init() throws {
            dir = TestSupport.makeTempDir("disc")
            try TestSupport.makeRepo(at: dir + "/src/repo", origin: "git@github.com:me/repo.git")
            try FileManager.default.createDirectory(atPath: dir + "/src/repo/packages/app", withIntermediateDirectories: true)
            try TestSupport.git(["worktree", "add", "-q", "-b", "feature", dir + "/src/repo-wt"], in: dir + "/src/repo")
            try TestSupport.makeRepo(at: dir + "/src/other", origin: "git@github.com:me/other.git")
        }

        /// Writes a session under a folder (named by Claude Code's encoding unless given).
        @discardableResult
        func session(_ id: String, cwd: String, folder: String? = nil, ageSeconds: Double = 3600) -> String {
            let name = folder ?? ProjectFolderName.encode(cwd)
            let path = claude + "/projects/" + name + "/" + id + ".jsonl"
            TestSupport.write(TestSupport.transcript(cwd: cwd, sessionId: id), to: path)
            TestSupport.age(path, secondsAgo: ageSeconds)
            return path
        }

        func workspace(settle: Double? = nil) throws -> Workspace {
            try Workspace(environment: env, claudeDir: claude, settleMinutes: settle)
        }

        func report(_ ws: Workspace? = nil, project: String? = nil) throws -> ProjectSessionsReport {
            try (ws ?? workspace()).projectSessions(projectPath: project ?? repo)
        }
    }

    @Test func findsTopLevelSubdirectoryAndWorktreeSessionsButNotOthers() throws {
        let s = try Sandbox()
        s.session("top", cwd: s.repo)
        s.session("sub", cwd: s.repo + "/packages/app")
        s.session("wt", cwd: s.worktree)
        s.session("other", cwd: s.other)
        s.session("gone", cwd: s.dir + "/src/repo-old")  // a sibling whose name shares the prefix
        let r = try s.report()
        #expect(Set(r.sessions.map(\.file.id)) == ["top", "sub", "wt"])
        let byId = Dictionary(uniqueKeysWithValues: r.sessions.map { ($0.file.id, $0) })
        #expect(byId["top"]?.placement.label == ".")
        #expect(byId["sub"]?.placement.subdirectory == "packages/app")
        #expect(byId["wt"]?.placement.isLinkedWorktree == true)
        #expect(r.project.identity.key == "github.com/me/repo")
    }

    @Test func theSameSessionsAreFoundFromASubdirectoryAndFromTheWorktree() throws {
        let s = try Sandbox()
        s.session("top", cwd: s.repo)
        s.session("wt", cwd: s.worktree)
        let fromSub = try s.report(project: s.repo + "/packages/app")
        let fromWorktree = try s.report(project: s.worktree)
        #expect(Set(fromSub.sessions.map(\.file.id)) == ["top", "wt"])
        #expect(Set(fromWorktree.sessions.map(\.file.id)) == ["top", "wt"])
        #expect(fromWorktree.project.identity == fromSub.project.identity)
    }

    @Test func folderNamesAreNeverTrustedOnlyTheCwdInside() throws {
        let s = try Sandbox()
        // A folder named like the repository whose session ran elsewhere, and a folder with an
        // arbitrary name (CLAUDE_CODE_PROJECT_DIR_NAME) whose session ran in the repository.
        s.session("decoy", cwd: s.other, folder: ProjectFolderName.encode(s.repo))
        s.session("renamed", cwd: s.repo, folder: "custom-name")
        let r = try s.report()
        #expect(r.sessions.map(\.file.id) == ["renamed"])
    }

    @Test func pathMapRewritesSessionsCopiedFromAnotherMachine() throws {
        let s = try Sandbox()
        s.session("laptop", cwd: "/Users/me/code/repo", folder: "-Users-me-code-repo")
        #expect(try s.report().sessions.isEmpty)
        TestSupport.write("[path_map]\n\"/Users/me/code\" = \"\(s.dir)/src\"\n", to: s.dir + "/config/context-sync/config.toml")
        let r = try s.report()
        #expect(r.sessions.map(\.file.id) == ["laptop"])
        #expect(r.sessions.first?.head.rawCwd == "/Users/me/code/repo")
    }

    @Test func statusIsNewProcessedActiveAndGrownIsNewAgain() throws {
        let s = try Sandbox()
        let oldPath = s.session("old", cwd: s.repo, ageSeconds: 3600)
        s.session("live", cwd: s.repo, ageSeconds: 60)
        var r = try s.report()
        var status = Dictionary(uniqueKeysWithValues: r.sessions.map { ($0.file.id, $0.status) })
        #expect(status == ["old": .new, "live": .active])

        // With no settle window the live one is new too.
        let r0 = try s.report(try s.workspace(settle: 0))
        #expect(r0.sessions.allSatisfy { $0.status == .new })

        var state = try ProjectState.load(from: r.statePath, identity: r.project.identity.key)
        state.markProcessed(r.sessions.filter { $0.file.id == "old" }.map(\.file))
        try state.save(to: r.statePath)
        r = try s.report()
        status = Dictionary(uniqueKeysWithValues: r.sessions.map { ($0.file.id, $0.status) })
        #expect(status["old"] == .processed)

        // The session grows (resumed) and settles: new again.
        let h = FileHandle(forWritingAtPath: oldPath)!
        h.seekToEndOfFile()
        h.write(Data(#"{"type":"user","message":{"content":"more"},"uuid":"x9","cwd":"/r"}"#.utf8 + [0x0A]))
        h.closeFile()
        TestSupport.age(oldPath, secondsAgo: 3600)
        r = try s.report()
        #expect(r.sessions.first { $0.file.id == "old" }?.status == .new)
    }

    @Test func subagentsAreFoundInBothLayoutsAndSidechainFilesAreNotSessions() throws {
        let s = try Sandbox()
        let main = s.session("11111111-1111-1111-1111-111111111111", cwd: s.repo)
        let base = String(main.dropLast(6))
        TestSupport.write(#"{"type":"user","isSidechain":true,"sessionId":"11111111-1111-1111-1111-111111111111","cwd":"\#(s.repo)","message":{"content":"task"}}"# + "\n",
                          to: base + "/subagents/agent-a1.jsonl")
        TestSupport.write("{}\n", to: base + "/subagents/workflows/run1/agent-a2.jsonl")
        let folder = (main as NSString).deletingLastPathComponent
        TestSupport.write(#"{"type":"user","isSidechain":true,"sessionId":"11111111-1111-1111-1111-111111111111","cwd":"\#(s.repo)","message":{"content":"old layout"}}"# + "\n",
                          to: folder + "/agent-old.jsonl")
        // A sidechain transcript saved under a session-like name is not a session.
        TestSupport.write(#"{"type":"user","isSidechain":true,"sessionId":"x","cwd":"\#(s.repo)","message":{"content":"t"}}"# + "\n",
                          to: folder + "/22222222-2222-2222-2222-222222222222.jsonl")
        let r = try s.report()
        #expect(r.sessions.count == 1)
        let subs = r.sessions[0].subagents.map { ($0 as NSString).lastPathComponent }
        #expect(Set(subs) == ["agent-a1.jsonl", "agent-a2.jsonl", "agent-old.jsonl"])
    }

    @Test func realFixtureSessionsAreMatchedThroughThePathMap() throws {
        let s = try Sandbox()
        let folder = s.claude + "/projects/-home-USER-projects-spotter"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for f in ["short.jsonl", "tool_heavy.jsonl", "4d5611e5-241a-462a-8d15-5122611a9569.jsonl"] {
            try FileManager.default.copyItem(atPath: TestSupport.fixture("marot__spotter/" + f), toPath: folder + "/" + f)
        }
        try FileManager.default.copyItem(atPath: TestSupport.fixture("marot__spotter/4d5611e5-241a-462a-8d15-5122611a9569"),
                                         toPath: folder + "/4d5611e5-241a-462a-8d15-5122611a9569")
        TestSupport.write("""
            [path_map]
            "/home/marco/projects/spotter" = "\(s.repo)"
            "/home/USER/projects/spotter-worktrees/spotter-dov" = "\(s.worktree)"

            """, to: s.dir + "/config/context-sync/config.toml")
        let r = try s.report(try s.workspace(settle: 0))
        #expect(Set(r.sessions.map(\.file.id)) == ["short", "tool_heavy", "4d5611e5-241a-462a-8d15-5122611a9569"])
        let big = try #require(r.sessions.first { $0.file.id.hasPrefix("4d56") })
        #expect(big.placement.isLinkedWorktree)
        #expect(big.subagents.count == 2)
        #expect(big.summary?.compactions == 1)
    }

    @Test func warmRunsUseTheCacheAndSeeChanges() throws {
        let s = try Sandbox()
        let p = s.session("a", cwd: s.repo)
        _ = try s.report()
        let ws = try s.workspace()
        let cachePath = ws.environment.cacheDirectory + "/sessions-" + StableHash.fnv1a64Hex(s.claude) + ".json"
        #expect(FileManager.default.fileExists(atPath: cachePath))
        let cache = SessionCache(path: cachePath)
        var st = stat()
        stat(p, &st)
        let file = SessionFile(path: p, folder: "", id: "a", size: Int64(st.st_size), mtimeNanos: ClaudeRoot.mtimeNanos(st))
        #expect(cache.lookup(file)?.summary?.toolCalls == 1)
        // Rewrite the session so it now ran in another repository: the cache must not hide it.
        TestSupport.write(TestSupport.transcript(cwd: s.other, sessionId: "a", prompt: "a longer prompt"), to: p)
        TestSupport.age(p, secondsAgo: 3600)
        #expect(try s.report().sessions.isEmpty)
    }

    /// Why a grown session is summarised whole rather than from the cached summary plus the new
    /// bytes: a resumed session appends a copy of its history, and only the uuids and tool ids
    /// of the part already read tell those records apart from new ones.
    @Test func aGrownSessionIsSummarisedWholeSoItsRepeatedHistoryCountsOnce() throws {
        let s = try Sandbox()
        let p = s.session("a", cwd: s.repo)
        #expect(try s.report().sessions.first?.summary?.humanPrompts == 1)
        let h = try #require(FileHandle(forWritingAtPath: p))
        h.seekToEndOfFile()
        let more = #"{"type":"user","message":{"content":"and the lint"},"uuid":"a-u9","cwd":"\#(s.repo)","sessionId":"a"}"#
        h.write(Data((TestSupport.transcript(cwd: s.repo, sessionId: "a") + more + "\n").utf8))
        h.closeFile()
        TestSupport.age(p, secondsAgo: 3600)
        let sum = try #require(try s.report().sessions.first?.summary)
        #expect(sum.humanPrompts == 2)
        #expect(sum.toolCalls == 1)
        #expect(sum.records == 9)
    }

    @Test func warmRunsSkipUnrelatedFoldersButSeeNewSessionsInThem() throws {
        let s = try Sandbox()
        s.session("mine", cwd: s.repo)
        s.session("theirs", cwd: s.other)
        #expect(try s.report().sessions.map(\.file.id) == ["mine"])
        // Warm: the other project's folder is not even listed.
        let project = try ProjectContext.open(at: s.repo)
        let warm = try s.workspace().loadCatalog(mayContain: { project.placement(of: $0) != nil })
        #expect(warm.folders.map(\.name) == [ProjectFolderName.encode(s.repo)])
        // A new session of this repository appears in that folder: the folder changed, so it is read.
        s.session("new-here", cwd: s.repo, folder: ProjectFolderName.encode(s.other))
        #expect(Set(try s.report().sessions.map(\.file.id)) == ["mine", "new-here"])
        // And `projects` (no filter) still sees every folder from the same cache.
        #expect(try s.workspace().loadCatalog().folders.count == 2)
    }

    @Test func notARepositoryIsAClearUsageError() throws {
        let s = try Sandbox()
        let plain = s.dir + "/plain"
        try FileManager.default.createDirectory(atPath: plain, withIntermediateDirectories: true)
        do {
            _ = try s.report(project: plain)
            Issue.record("expected an error")
        } catch let e as ContextSyncError {
            #expect(e.status == .usage)
            #expect(e.message.hasPrefix("not a git repository: \(plain)"))
        }
        #expect(throws: ContextSyncError.self) { _ = try s.report(project: s.dir + "/nope") }
    }

    @Test func projectsGroupsFoldersByRepositoryAndMarksTheRest() throws {
        let s = try Sandbox()
        s.session("top", cwd: s.repo)
        s.session("sub", cwd: s.repo + "/packages/app")
        s.session("wt", cwd: s.worktree)
        s.session("other", cwd: s.other)
        try FileManager.default.createDirectory(atPath: s.dir + "/scratch", withIntermediateDirectories: true)
        s.session("scratch", cwd: s.dir + "/scratch")
        s.session("gone", cwd: s.dir + "/deleted-project")
        TestSupport.write(#"{"type":"summary","summary":"t"}"# + "\n", to: s.claude + "/projects/-nocwd/33333333-3333-3333-3333-333333333333.jsonl")
        TestSupport.write(#"{"version":1,"entries":[],"originalPath":"\#(s.other)"}"#, to: s.claude + "/projects/-idx/sessions-index.json")
        TestSupport.write(#"{"type":"summary","summary":"t"}"# + "\n", to: s.claude + "/projects/-idx/44444444-4444-4444-4444-444444444444.jsonl")
        let ws = try s.workspace()
        let report = ProjectsReport.build(catalog: try ws.loadCatalog())
        let keys = report.groups.map(\.identity.key)
        #expect(keys == ["github.com/me/other", "github.com/me/repo"])
        let repo = try #require(report.groups.first { $0.identity.key == "github.com/me/repo" })
        #expect(repo.sessions == 3)
        #expect(Set(repo.folders.compactMap(\.placement)) == [".", "packages/app", "worktree repo-wt:."])
        #expect(report.notGit.map(\.cwd) == [s.dir + "/scratch"])
        #expect(report.missing.map(\.cwd) == [s.dir + "/deleted-project"])
        #expect(report.unknown.map(\.folder) == ["-nocwd"])
        // The index's originalPath is used when no transcript records a cwd.
        #expect(report.groups.first { $0.identity.key == "github.com/me/other" }?.folders.contains { $0.folder == "-idx" } == true)
    }

    @Test func forksSharingARootCommitAreReported() throws {
        let s = try Sandbox()
        let fork = s.dir + "/src/fork"
        try TestSupport.git(["clone", "-q", s.repo, fork], in: s.dir)
        try TestSupport.git(["remote", "set-url", "origin", "git@github.com:someone/fork.git"], in: fork)
        s.session("a", cwd: s.repo)
        s.session("b", cwd: fork)
        let report = ProjectsReport.build(catalog: try s.workspace().loadCatalog())
        #expect(report.groups.count == 2)
        #expect(report.forks.values.first == ["github.com/me/repo", "github.com/someone/fork"])
    }
}
