import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// Tidy on one machine and an append on another, each landing between the other's commit and
/// push (both orders): the one that pushes second is refused, fetches, and replays its commit
/// with the three-way merge of learnings.md, so a bullet tidy removed stays removed and the
/// other machine's bullet stays added. The other machine's push happens for real (in process,
/// on a local bare repository) just before the first push of the one that lands second.
@Suite("tidy on one machine, append on another, at the same time")
struct TidyPushTests {
    @Test(arguments: [false, true])
    func bothSurvive(tidyFirst: Bool) throws {
        let s = try LocalRemote("tidy")
        defer { s.remove() }
        let direct = InProcessNetworkRunner()
        let laptop = try s.clone("laptop"), vm = s.dir + "/vm"
        // The shared file holds a near-duplicate pair and a same-day section twice.
        let seed = try LearningsSync.writeAndSync(repository: laptop, newBullets: ["Run the tests with `make test` before pushing."],
                                                  options: GitTestSupport.options(direct, machine: "laptop", date: "2026-03-01"))
        guard case .committed(_, true) = seed.outcome else { Issue.record("\(seed.outcome)"); return }
        // append skips a rewording of a bullet already there, so the near-duplicate is written by
        // hand (as a person editing the file would) and pushed with git.
        let file = laptop + "/.claude/learnings.md"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try (text + "\n## 2026-03-02 (vm)\n\n- Run tests with make test before pushing\n").write(toFile: file, atomically: true, encoding: .utf8)
        try TestSupport.git(["commit", "-qam", "near-duplicate"], in: laptop)
        try TestSupport.git(["push", "-q", "origin", "HEAD"], in: laptop)
        try GitTestSupport.clone(s.bareRepo, to: vm)

        // A workspace for the laptop's tidy: its own state directory, no Claude sessions.
        var env = ProcessInfo.processInfo.environment
        env["XDG_STATE_HOME"] = s.dir + "/state"
        env["XDG_CONFIG_HOME"] = s.dir + "/config"
        env["XDG_CACHE_HOME"] = s.dir + "/cache"
        env["CLAUDE_CONFIG_DIR"] = s.dir + "/claude"
        let ws = try Workspace(environment: Environment(env), claudeDir: nil, settleMinutes: nil)
        var request = RunRequest(projectPath: laptop, machine: "laptop", date: "2026-12-01")
        let options = LearningsTidy.Options(maxBullets: 150, maxChars: 20_000)
        let box = ResultBox()
        let tidy = { (runner: any GitNetworkRunner) in
            request.sync = GitTestSupport.options(runner, machine: "laptop", date: "2026-12-01", attempts: 5, backoff: 0.1)
            do {
                let r = try ProjectTidy.run(workspace: ws, request: request, options: options)
                if case .committed(_, true) = r.outcome { box.add("tidy", "done", ok: true); return }
                box.add("tidy-outcome", "\(r.outcome) \(r.log)", ok: false)
            } catch { box.add("tidy", "\(error)", ok: false) }
        }
        let append = { (runner: any GitNetworkRunner) in
            do {
                let r = try LearningsSync.writeAndSync(repository: vm, newBullets: ["Deploys go through `make release`."],
                                                       options: GitTestSupport.options(runner, machine: "vm", date: "2026-12-01",
                                                                                       attempts: 5, backoff: 0.1))
                if case .committed(_, true) = r.outcome { box.add("append", "done", ok: true); return }
                box.add("append-outcome", "\(r.outcome) \(r.log)", ok: false)
            } catch { box.add("append", "\(error)", ok: false) }
        }
        // The second one's first push comes after the first one has landed.
        let second = ScriptedNetworkRunner([.realAfter { tidyFirst ? tidy(direct) : append(direct) }], whenDone: .real)
        if tidyFirst { append(second) } else { tidy(second) }
        #expect(second.operations.first == .push && second.operations.contains(.fetch), "the second push was refused and fetched: \(second.operations)")
        #expect(box.lines.count == 2 && box.allOK, "\(box.lines)")
        let remote = try GitTestSupport.remoteLearnings(s.bareRepo)
        // The near-duplicate tidy removed stays removed; the other machine's bullet stays added.
        #expect(remote.components(separatedBy: "make test").count == 2, "\(remote)")
        #expect(remote.contains("- Deploys go through `make release`."), "\(remote)")
        #expect(!remote.contains("<<<<<<<"))
        #expect(try TestSupport.git(["rev-list", "--merges", "--count", "main"], in: s.bareRepo) == "0")
    }
}
