import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// The pipeline without the binary: `ProjectRun.run` with Core's `Harvest` and the built-in
/// `Extractor`, on a real repository and a Claude root holding one session.
@Suite struct ProjectRunTests {
    static func sandbox() throws -> (repo: String, ws: Workspace) {
        let dir = TestSupport.makeTempDir("pipeline")
        let repo = dir + "/repo"
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
        try TestSupport.git(["init", "-q", "-b", "main"], in: repo)
        try TestSupport.git(["commit", "-q", "--allow-empty", "-m", "init"], in: repo)
        let folder = dir + "/claude/projects/" + ProjectFolderName.encode(repo)
        var s = HeuristicExtractorTests.Script()
        s.user("migrate")
        s.bash("pnpm db:migrate", ok: false, output: "Error: P1001: Can't reach database server at `localhost:5432`")
        s.bash("docker compose up -d db", ok: true)
        s.bash("pnpm db:migrate", ok: true)
        let lines = s.lines.map { line -> String in
            // Every record of the session names the repository as its working directory.
            line.replacingOccurrences(of: #","cwd":"/work/app""#, with: "")
                .replacingOccurrences(of: #"{"type":"#, with: #"{"cwd":"\#(repo)","sessionId":"s1","type":"#)
        }
        let session = folder + "/11111111-2222-3333-4444-555555555555.jsonl"
        TestSupport.write(lines.joined(separator: "\n") + "\n", to: session)
        // Ended two hours ago: not a live session.
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: session)
        var env = ProcessInfo.processInfo.environment
        env["XDG_STATE_HOME"] = dir + "/state"
        env["XDG_CONFIG_HOME"] = dir + "/config"
        env["XDG_CACHE_HOME"] = dir + "/cache"
        env["CLAUDE_CONFIG_DIR"] = dir + "/claude"
        env["HOME"] = dir + "/home"
        let ws = try Workspace(environment: Environment(env), claudeDir: nil, settleMinutes: 0)
        return (repo, ws)
    }

    @Test func aRunCommitsWhatTheBuiltInExtractorFindsAndASecondRunFindsNothingNew() throws {
        let (repo, ws) = try Self.sandbox()
        var request = RunRequest(projectPath: repo, machine: "vm", date: "2026-12-02")
        request.localWithoutRemote = true
        let extractor = try ExtractorSettings.resolve(kind: nil, command: nil, timeoutSeconds: nil, maxLearnings: nil, config: ws.config)
            .extractor()
        #expect(extractor is BuiltInExtractor)
        let harvest = { (r: ProjectSessionsReport) in try Harvest.run(report: r, workspace: ws, extractor: extractor, redact: { $0 }) }
        let first = try ProjectRun.run(workspace: ws, request: request, harvest: harvest)
        guard case .committed(_, false) = first.outcome else { Issue.record("\(first.outcome)"); return }
        #expect(first.added == ["Run `docker compose up -d db` before `pnpm db:migrate` (without it: Error: P1001: Can't reach database server at `localhost:5432`)."])
        let file = try String(contentsOfFile: repo + "/.claude/learnings.md", encoding: .utf8)
        #expect(file.contains("## 2026-12-02 (vm)") && file.contains("docker compose up -d db"))
        #expect(try TestSupport.git(["log", "--format=%s", "-1"], in: repo).contains("context-sync"))
        let second = try ProjectRun.run(workspace: ws, request: request, harvest: harvest)
        #expect(second.sessions.isEmpty)
        #expect(second.added.isEmpty)
    }

    @Test func extractorSettingsComeFromFlagsThenConfigThenDefaults() throws {
        let config = try Config.parse("[extractor]\nkind = \"command\"\ncommand = \"cat\"\nmax_learnings = 3\n", path: "config.toml", home: "/home/me")
        let fromConfig = try ExtractorSettings.resolve(kind: nil, command: nil, timeoutSeconds: nil, maxLearnings: nil, config: config)
        #expect(fromConfig == ExtractorSettings(kind: .command, command: "cat", timeoutSeconds: 300, maxLearnings: 3))
        let flags = try ExtractorSettings.resolve(kind: .heuristic, command: nil, timeoutSeconds: 5, maxLearnings: 7, config: config)
        #expect(flags == ExtractorSettings(kind: .heuristic, command: "cat", timeoutSeconds: 5, maxLearnings: 7))
        #expect(throws: ContextSyncError.self) {
            try ExtractorSettings.resolve(kind: .command, command: nil, timeoutSeconds: nil, maxLearnings: nil, config: Config())
        }
    }

    @Test func runAllSkipsARepositoryUntilItIsOptedInThenRunsIt() throws {
        let (repo, ws) = try Self.sandbox()
        var request = RunRequest(projectPath: nil, machine: "vm", date: "2026-12-02")
        request.sync.push = false
        let harvest = { (r: ProjectSessionsReport) in try Harvest.run(report: r, workspace: ws, extractor: BuiltInExtractor(), redact: { $0 }) }
        var items: [String] = []
        func describe(_ item: AllProjectsRun.Item) -> String {
            switch item {
            case .skipped(let top, _): return "skipped \(top == repo)"
            case .ran(let r): return "ran \(r.added.count)"
            case .tidied: return "tidied"
            case .tidyFailed(_, let m): return "tidy failed \(m)"
            case .failed(_, let m, _): return "failed \(m)"
            }
        }
        #expect(try AllProjectsRun.run(workspace: ws, request: request, tidy: nil, harvest: harvest) { items.append(describe($0)) } == .ok)
        #expect(items == ["skipped true"])
        // A learnings.md in the repository opts it in.
        try FileManager.default.createDirectory(atPath: repo + "/.claude", withIntermediateDirectories: true)
        try "# Learnings\n".write(toFile: repo + "/.claude/learnings.md", atomically: true, encoding: .utf8)
        try TestSupport.git(["add", "-A"], in: repo)
        try TestSupport.git(["commit", "-q", "-m", "learnings"], in: repo)
        items = []
        #expect(try AllProjectsRun.run(workspace: ws, request: request, tidy: nil, harvest: harvest) { items.append(describe($0)) } == .ok)
        #expect(items == ["ran 1"])
    }
}
