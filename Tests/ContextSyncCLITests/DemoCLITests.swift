import ContextSyncCore
import Foundation
import Testing

@Suite struct DemoCLITests {
    @Test func demoRunsThePipelineInAThrowawayDirectoryAndCleansUp() throws {
        let tmp = CLI.tempDir()
        // HOME and the XDG directories point at a place the demo must not touch.
        let home = tmp + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let env = ["TMPDIR": tmp, "HOME": home, "XDG_STATE_HOME": home + "/state", "XDG_CACHE_HOME": home + "/cache",
                   "XDG_CONFIG_HOME": home + "/config", "CLAUDE_CONFIG_DIR": home + "/claude"]
        let r = try CLI.run(["demo", "--machine", "laptop"], env: env)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("--- .claude/learnings.md ---\n# Learnings"))
        #expect(r.stdout.contains("## \(MachineName.today()) (laptop)"))
        #expect(r.stdout.contains("- Run `docker compose up -d db` before `pnpm db:migrate`"))
        #expect(r.stdout.contains("- Prices are stored as integer cents everywhere; never use floats for money."))
        #expect(r.stdout.contains(" context-sync: learnings from laptop \(MachineName.today())\n"))
        #expect(r.stdout.contains(" Initial commit\n"))
        let left = try FileManager.default.contentsOfDirectory(atPath: tmp).filter { $0.hasPrefix("context-sync-demo-") }
        #expect(left.isEmpty, "the demo directory is removed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home).isEmpty, "nothing of the user's is touched")

        let kept = try CLI.run(["demo", "--keep"], env: env)
        #expect(kept.status == 0)
        let dir = try #require(demoDir(in: kept.stdout))
        #expect(kept.stdout.contains("Kept \(dir)"))
        let learnings = try String(contentsOfFile: dir + "/acme-shop/.claude/learnings.md", encoding: .utf8)
        #expect(learnings.contains("pnpm"))
        // The remote really received the commit (checked with the git CLI).
        let log = try CLI.gitOutput(["log", "--format=%s", "main"], in: dir + "/remote.git")
        #expect(log.hasPrefix("context-sync: learnings from "))
        #expect(try CLI.gitOutput(["status", "--porcelain"], in: dir + "/acme-shop").isEmpty)
    }

    func demoDir(in output: String) -> String? {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("1. Created a throwaway repository ") }) else { return nil }
        let path = line.dropFirst("1. Created a throwaway repository ".count)
        return (String(path) as NSString).deletingLastPathComponent
    }
}
