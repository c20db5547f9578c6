import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

@Suite("tidy on one machine, append on another, at the same time")
struct TidyPushTests {
    @Test(arguments: [false, true])
    func bothSurviveOverGitDaemon(tidyFirst: Bool) throws {
        let s = try LoopbackServers("tidy")
        defer { s.stop() }
        guard s.start("daemon"), let runner = GitTestSupport.runner() else { return }
        let laptop = s.dir + "/laptop", vm = s.dir + "/vm"
        try GitTestSupport.clone(s.daemonURL, to: laptop)
        // The shared file holds a near-duplicate pair and a same-day section twice.
        let seed = try LearningsSync.writeAndSync(repository: laptop, newBullets: ["Run the tests with `make test` before pushing."],
                                                  options: GitTestSupport.options(runner, machine: "laptop", date: "2026-03-01"))
        guard case .committed(_, true) = seed.outcome else { Issue.record("\(seed.outcome)"); return }
        // append skips a rewording of a bullet already there, so the near-duplicate is written by
        // hand (as a person editing the file would) and pushed with git.
        let file = laptop + "/.claude/learnings.md"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try (text + "\n## 2026-03-02 (vm)\n\n- Run tests with make test before pushing\n").write(toFile: file, atomically: true, encoding: .utf8)
        try TestSupport.git(["commit", "-qam", "near-duplicate"], in: laptop)
        try TestSupport.git(["push", "-q", "origin", "HEAD"], in: laptop)
        try GitTestSupport.clone(s.daemonURL, to: vm)

        // A workspace for the laptop's tidy: its own state directory, no Claude sessions.
        var env = ProcessInfo.processInfo.environment
        env["XDG_STATE_HOME"] = s.dir + "/state"
        env["XDG_CONFIG_HOME"] = s.dir + "/config"
        env["XDG_CACHE_HOME"] = s.dir + "/cache"
        env["CLAUDE_CONFIG_DIR"] = s.dir + "/claude"
        let ws = try Workspace(environment: Environment(env), claudeDir: nil, settleMinutes: nil)
        var request = RunRequest(projectPath: laptop, machine: "laptop", date: "2026-12-01")
        request.sync = GitTestSupport.options(runner, machine: "laptop", date: "2026-12-01", attempts: 5, backoff: 0.1)
        let options = LearningsTidy.Options(maxBullets: 150, maxChars: 20_000)

        let box = ResultBox()
        let group = DispatchGroup()
        let work: [(String, () throws -> Bool)] = [
            ("tidy", {
                let r = try ProjectTidy.run(workspace: ws, request: request, options: options)
                if case .committed(_, true) = r.outcome { return true }
                box.add("tidy-outcome", "\(r.outcome) \(r.log)", ok: false)
                return false
            }),
            ("append", {
                let r = try LearningsSync.writeAndSync(repository: vm, newBullets: ["Deploys go through `make release`."],
                                                       options: GitTestSupport.options(runner, machine: "vm", date: "2026-12-01",
                                                                                       attempts: 5, backoff: 0.1))
                if case .committed(_, true) = r.outcome { return true }
                box.add("append-outcome", "\(r.outcome) \(r.log)", ok: false)
                return false
            }),
        ]
        final class Job: @unchecked Sendable {
            let body: () throws -> Bool
            init(_ body: @escaping () throws -> Bool) { self.body = body }
        }
        for (i, (name, body)) in (tidyFirst ? work : work.reversed()).enumerated() {
            let job = Job(body)
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                if i == 1 { usleep(20_000) }
                do { box.add(name, "done", ok: try job.body()) } catch { box.add(name, "\(error)", ok: false) }
            }
        }
        group.wait()
        #expect(box.allOK, "\(box.lines)")
        let remote = try GitTestSupport.remoteLearnings(s.bareRepo)
        // The near-duplicate tidy removed stays removed; the other machine's bullet stays added.
        #expect(remote.components(separatedBy: "make test").count == 2, "\(remote)")
        #expect(remote.contains("- Deploys go through `make release`."), "\(remote)")
        #expect(!remote.contains("<<<<<<<"))
        #expect(try TestSupport.git(["rev-list", "--merges", "--count", "main"], in: s.bareRepo) == "0")
    }
}
