import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

enum GitTestSupport {
    /// `git status --porcelain` lines, without our own paths.
    static func statusExcludingOurs(_ dir: String) throws -> [String] {
        try TestSupport.git(["status", "--porcelain", "--untracked-files=all"], in: dir)
            .split(separator: "\n").map(String.init)
            .filter { !$0.contains(".claude/") && !$0.hasSuffix(".gitattributes") }
    }

    static func commit(_ dir: String, bullets: [String], machine: String = "laptop", date: String = "2026-02-01",
                       forPush: Bool = false) throws -> LearningsCommitter.Result {
        try LearningsCommitter.writeAndCommit(repository: dir, bullets: bullets, machine: machine, date: date,
                                              forPush: forPush)
    }

    /// Runs `git` and returns its exit status without throwing.
    @discardableResult
    static func gitStatus(_ args: [String], in dir: String) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-C", dir] + args
        var env = ProcessInfo.processInfo.environment
        env["GIT_AUTHOR_NAME"] = "Test"; env["GIT_AUTHOR_EMAIL"] = "test@example.invalid"
        env["GIT_COMMITTER_NAME"] = "Test"; env["GIT_COMMITTER_EMAIL"] = "test@example.invalid"
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try? p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}

@Suite("Git: committing learnings")
struct GitCommitTests {
    @Test func firstCommitContainsOnlyOurFiles() throws {
        let dir = TestSupport.makeTempDir("commit1")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestSupport.makeRepo(at: dir)
        try TestSupport.git(["config", "user.name", "Lap Top"], in: dir)
        try TestSupport.git(["config", "user.email", "lap@example.invalid"], in: dir)
        let r = try GitTestSupport.commit(dir, bullets: ["Use `make test`.", "Deploy with make deploy."])
        #expect(r.addedBullets.count == 2)
        #expect(r.commit != nil)
        #expect(r.branch == "main")
        #expect(try TestSupport.git(["log", "-1", "--format=%s|%an|%ae"], in: dir)
                == "context-sync: learnings from laptop 2026-02-01|Lap Top|lap@example.invalid")
        #expect(try TestSupport.git(["show", "--name-only", "--format=", "HEAD"], in: dir)
                == ".claude/CLAUDE.md\n.claude/learnings.md\n.gitattributes")
        #expect(try TestSupport.git(["status", "--porcelain"], in: dir) == "")
        #expect(try TestSupport.git(["show", "HEAD:.gitattributes"], in: dir) == ".claude/learnings.md merge=union")
        #expect(try TestSupport.git(["rev-parse", "HEAD"], in: dir) == r.commit)
        // Nothing new: no commit.
        let again = try GitTestSupport.commit(dir, bullets: ["use make test"])
        #expect(again.commit == nil && again.addedBullets.isEmpty)
        #expect(try TestSupport.git(["rev-list", "--count", "HEAD"], in: dir) == "2")
    }

    @Test func unrelatedStagedAndUnstagedChangesStayExactly() throws {
        let dir = TestSupport.makeTempDir("commit2")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestSupport.makeRepo(at: dir)
        TestSupport.write("a1\n", to: dir + "/a.txt")
        TestSupport.write("b1\n", to: dir + "/b.txt")
        TestSupport.write("d1\n", to: dir + "/d.txt")
        try TestSupport.git(["add", "."], in: dir)
        try TestSupport.git(["commit", "-q", "-m", "files"], in: dir)
        TestSupport.write("a2 unstaged\n", to: dir + "/a.txt")
        TestSupport.write("b2 staged\n", to: dir + "/b.txt")
        try TestSupport.git(["add", "b.txt"], in: dir)
        TestSupport.write("b3 unstaged on top\n", to: dir + "/b.txt")
        try TestSupport.git(["rm", "-q", "--cached", "d.txt"], in: dir)
        TestSupport.write("new staged\n", to: dir + "/e.txt")
        try TestSupport.git(["add", "e.txt"], in: dir)
        TestSupport.write("untracked\n", to: dir + "/c.txt")
        let statusBefore = try GitTestSupport.statusExcludingOurs(dir)
        let cachedBefore = try TestSupport.git(["diff", "--cached"], in: dir)
        let unstagedBefore = try TestSupport.git(["diff"], in: dir)
        #expect(statusBefore.count == 6)

        let r = try GitTestSupport.commit(dir, bullets: ["one"])
        #expect(r.commit != nil)
        #expect(try GitTestSupport.statusExcludingOurs(dir) == statusBefore)
        #expect(try TestSupport.git(["diff", "--cached", "HEAD~1", "--", ".", ":!.claude", ":!.gitattributes"], in: dir) == cachedBefore)
        #expect(try TestSupport.git(["diff"], in: dir) == unstagedBefore)
        // Our files are committed and clean in both index and work tree.
        #expect(try TestSupport.git(["status", "--porcelain", "--", ".claude", ".gitattributes"], in: dir) == "")
        #expect(try TestSupport.git(["show", "--name-only", "--format=", "HEAD"], in: dir)
                == ".claude/CLAUDE.md\n.claude/learnings.md\n.gitattributes")
    }

    @Test func usersUncommittedLearningsEditsAreKeptAndIncluded() throws {
        let dir = TestSupport.makeTempDir("commit3")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestSupport.makeRepo(at: dir)
        _ = try GitTestSupport.commit(dir, bullets: ["first"])
        let path = dir + "/.claude/learnings.md"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "- first\n", with: "- first (edited by hand)\n\nA note of mine.\n")
        TestSupport.write(text, to: path)
        let r = try GitTestSupport.commit(dir, bullets: ["second"], date: "2026-02-02")
        #expect(r.addedBullets == ["second"])
        let committed = try TestSupport.git(["show", "HEAD:.claude/learnings.md"], in: dir)
        #expect(committed.contains("- first (edited by hand)\n\nA note of mine."))
        #expect(committed.contains("## 2026-02-02 (laptop)\n\n- second"))
        #expect(try TestSupport.git(["status", "--porcelain"], in: dir) == "")
    }

    @Test func rootClaudeMdKeepsUsersUncommittedEditsOutOfTheCommit() throws {
        let dir = TestSupport.makeTempDir("commit4")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestSupport.makeRepo(at: dir)
        TestSupport.write("# Rules\n", to: dir + "/CLAUDE.md")
        try TestSupport.git(["add", "CLAUDE.md"], in: dir)
        try TestSupport.git(["commit", "-q", "-m", "claude"], in: dir)
        TestSupport.write("# Rules\nuncommitted rule\n", to: dir + "/CLAUDE.md")
        _ = try GitTestSupport.commit(dir, bullets: ["x"])
        let committed = try TestSupport.git(["show", "HEAD:CLAUDE.md"], in: dir)
        #expect(committed.hasPrefix("# Rules\n\n## Accumulated Learnings"))
        #expect(!committed.contains("uncommitted rule"))
        let wt = try String(contentsOfFile: dir + "/CLAUDE.md", encoding: .utf8)
        #expect(wt.hasPrefix("# Rules\nuncommitted rule\n\n## Accumulated Learnings"))
        #expect(try TestSupport.git(["status", "--porcelain"], in: dir) == "M CLAUDE.md")
        #expect(!FileManager.default.fileExists(atPath: dir + "/.claude/CLAUDE.md"))
    }

    @Test func stagedClaudeMdStaysStagedWithTheDirective() throws {
        let dir = TestSupport.makeTempDir("commit5")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestSupport.makeRepo(at: dir)
        TestSupport.write("# Rules\n", to: dir + "/CLAUDE.md")
        try TestSupport.git(["add", "CLAUDE.md"], in: dir)
        try TestSupport.git(["commit", "-q", "-m", "claude"], in: dir)
        TestSupport.write("# Rules\nstaged rule\n", to: dir + "/CLAUDE.md")
        try TestSupport.git(["add", "CLAUDE.md"], in: dir)
        _ = try GitTestSupport.commit(dir, bullets: ["x"])
        #expect(!(try TestSupport.git(["show", "HEAD:CLAUDE.md"], in: dir)).contains("staged rule"))
        let staged = try TestSupport.git(["show", ":CLAUDE.md"], in: dir)
        #expect(staged.contains("staged rule") && staged.contains("@.claude/learnings.md"))
        #expect(try TestSupport.git(["status", "--porcelain"], in: dir) == "M  CLAUDE.md")
    }

    @Test func refusesUnsuitableRepositories() throws {
        let root = TestSupport.makeTempDir("refuse")
        defer { try? FileManager.default.removeItem(atPath: root) }
        func expectRefusal(_ dir: String, forPush: Bool = false, _ fragment: String) {
            do {
                _ = try GitTestSupport.commit(dir, bullets: ["x"], forPush: forPush)
                Issue.record("no refusal for \(fragment)")
            } catch let e as ContextSyncError {
                #expect(e.status == .usage)
                #expect(e.message.contains(fragment), "\(e.message)")
                #expect(!e.message.contains("\n"))
            } catch {
                Issue.record("unexpected error \(error)")
            }
            #expect(!FileManager.default.fileExists(atPath: dir + "/.claude/learnings.md"))
        }
        // Bare.
        try TestSupport.git(["init", "-q", "--bare", root + "/bare.git"], in: root)
        expectRefusal(root + "/bare.git", "bare repository")
        // Unborn.
        try TestSupport.git(["init", "-q", "-b", "main", root + "/unborn"], in: root)
        expectRefusal(root + "/unborn", "no commits yet")
        // Detached.
        try TestSupport.makeRepo(at: root + "/detached")
        try TestSupport.git(["checkout", "-q", "--detach"], in: root + "/detached")
        expectRefusal(root + "/detached", "detached")
        // Merge in progress (a conflict).
        let m = root + "/merge"
        try TestSupport.makeRepo(at: m)
        TestSupport.write("base\n", to: m + "/f")
        try TestSupport.git(["add", "f"], in: m); try TestSupport.git(["commit", "-q", "-m", "f"], in: m)
        try TestSupport.git(["checkout", "-q", "-b", "other"], in: m)
        TestSupport.write("other\n", to: m + "/f"); try TestSupport.git(["commit", "-qam", "o"], in: m)
        try TestSupport.git(["checkout", "-q", "main"], in: m)
        TestSupport.write("main\n", to: m + "/f"); try TestSupport.git(["commit", "-qam", "m"], in: m)
        #expect(GitTestSupport.gitStatus(["merge", "-q", "other"], in: m) != 0)
        expectRefusal(m, "a merge is in progress")
        // Cherry-pick in progress.
        try TestSupport.git(["merge", "--abort"], in: m)
        #expect(GitTestSupport.gitStatus(["cherry-pick", "other"], in: m) != 0)
        expectRefusal(m, "a cherry-pick is in progress")
        // Rebase in progress.
        try TestSupport.git(["cherry-pick", "--abort"], in: m)
        #expect(GitTestSupport.gitStatus(["rebase", "other"], in: m) != 0)
        expectRefusal(m, "a rebase is in progress")
        try TestSupport.git(["rebase", "--abort"], in: m)
        // A repository extension libgit2 1.5 cannot open.
        let ext = root + "/ext"
        try TestSupport.makeRepo(at: ext)
        try TestSupport.git(["config", "core.repositoryformatversion", "1"], in: ext)
        try TestSupport.git(["config", "extensions.objectformat", "sha1"], in: ext)
        expectRefusal(ext, "does not support this repository format")
        // Shallow, for pushing only.
        let src = root + "/src"
        try TestSupport.makeRepo(at: src)
        try TestSupport.git(["commit", "-q", "--allow-empty", "-m", "two"], in: src)
        try TestSupport.git(["clone", "-q", "--depth", "1", "file://" + src, root + "/shallow"], in: root)
        expectRefusal(root + "/shallow", forPush: true, "shallow clone")
        #expect(try GitTestSupport.commit(root + "/shallow", bullets: ["x"], forPush: false).commit != nil)
    }

    @Test func worksInALinkedWorktreeAndFromASubdirectory() throws {
        let dir = TestSupport.makeTempDir("commit6")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestSupport.makeRepo(at: dir + "/main")
        try TestSupport.git(["worktree", "add", "-q", "-b", "wt", dir + "/wt"], in: dir + "/main")
        try FileManager.default.createDirectory(atPath: dir + "/wt/sub", withIntermediateDirectories: true)
        let r = try GitTestSupport.commit(dir + "/wt/sub", bullets: ["from the worktree"])
        #expect(r.branch == "wt")
        #expect(FileManager.default.fileExists(atPath: dir + "/wt/.claude/learnings.md"))
        #expect(try TestSupport.git(["log", "-1", "--format=%s", "wt"], in: dir + "/main").hasPrefix("context-sync:"))
        #expect(try TestSupport.git(["status", "--porcelain"], in: dir + "/wt") == "")
    }
}

@Suite("Git: git's index lock, held by another command")
struct IndexLockWaitTests {
    @Test func aHeldIndexLockIsPolledUntilTheWaitIsOverThenReportedLocked() throws {
        let dir = TestSupport.makeTempDir("index-lock")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestSupport.makeRepo(at: dir)
        let repo = try Repository.discover(at: dir)
        // Another git command's lock (not ours: no marker), so it is never removed as stale.
        TestSupport.write("", to: try IndexLock.indexPath(repo) + ".lock")
        let clock = ManualClock()
        #expect {
            _ = try IndexLock.acquire(repo, wait: 0.5, clock: clock)
        } throws: { ($0 as? ContextSyncError)?.status == .locked }
        #expect(clock.sleeps.allSatisfy { $0 == 0.05 } && (10...11).contains(clock.sleeps.count), "\(clock.sleeps)")
        // Released: taken at once, without waiting.
        unlink(try IndexLock.indexPath(repo) + ".lock")
        let free = ManualClock()
        let lock = try IndexLock.acquire(repo, wait: 0.5, clock: free)
        lock.release()
        #expect(free.sleeps.isEmpty)
    }
}
