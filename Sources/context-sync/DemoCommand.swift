import ArgumentParser
import ContextSyncCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole pipeline on sample sessions in a throwaway repository.",
        discussion: """
            For a first look without any Claude Code history. Under a new temporary directory it \
            creates a repository, a bare repository as its `origin`, and two sample sessions in \
            Claude Code's on-disk format; runs `context-sync run` on them (extract, secret check, \
            write, commit, push); prints the resulting .claude/learnings.md and the remote's git \
            log; then deletes the directory (--keep keeps it). Your own sessions, repositories, \
            configuration and state are not read or touched.

            EXAMPLES
              context-sync demo
              context-sync demo --keep      # then look around in the printed directory
            """
    )

    @Flag(help: "Keep the temporary directory and print where it is.")
    var keep = false

    @Option(help: ArgumentHelp("Machine name in the section heading (default: this host's short name).", valueName: "NAME"))
    var machine: String?

    func run() throws {
        try runReportingErrors {
            let dir = try Self.makeTempDirectory()
            defer {
                if keep {
                    FileHandleOutput.stdout.write("\nKept \(dir) (delete it when done).\n")
                } else {
                    try? FileManager.default.removeItem(atPath: dir)
                }
            }
            return try demo(in: dir)
        }
    }

    func demo(in dir: String) throws -> ExitStatus {
        let out = FileHandleOutput.stdout
        let remote = dir + "/remote.git"
        let repoPath = dir + "/acme-shop"
        _ = try Repository.create(at: remote, bare: true)
        let repo = try Repository.create(at: repoPath, bare: false)
        try AtomicFile.makeDirectories(repoPath + "/src/cart")
        try AtomicFile.write("# acme-shop\n\nA small shop: web front end and API.\n", to: repoPath + "/README.md", mode: 0o644)
        try AtomicFile.write("export function total(items: Item[]): number {\n  return items.reduce((s, i) => s + i.priceCents * i.qty, 0)\n}\n",
                             to: repoPath + "/src/cart/total.ts", mode: 0o644)
        try repo.commitInitial(paths: ["README.md", "src/cart/total.ts"], message: "Initial commit")
        try repo.addRemote("origin", url: remote)
        out.write("1. Created a throwaway repository \(repoPath)\n   with a bare repository as its origin: \(remote)\n")

        let claude = dir + "/claude"
        let folder = claude + "/projects/" + ProjectFolderName.encode(repoPath)
        try AtomicFile.makeDirectories(folder)
        let sessions = DemoSessions.make(cwd: repoPath)
        for (i, s) in sessions.enumerated() {
            let path = folder + "/" + s.id + ".jsonl"
            try AtomicFile.write(s.text, to: path, mode: 0o600)
            // Finished sessions: last written hours ago (a session written to recently is still active).
            let when = Date().addingTimeInterval(Double(-(sessions.count - i)) * 3_600)
            try FileManager.default.setAttributes([.modificationDate: when], ofItemAtPath: path)
        }
        out.write("2. Wrote \(sessions.count) sample Claude Code sessions (\(sessions.map { $0.text.split(separator: "\n").count }.reduce(0, +)) records) under \(claude)/projects\n")

        // Everything context-sync keeps goes under the temporary directory too.
        var vars = ProcessInfo.processInfo.environment
        vars["CLAUDE_CONFIG_DIR"] = claude
        vars["XDG_STATE_HOME"] = dir + "/state"
        vars["XDG_CACHE_HOME"] = dir + "/cache"
        vars["XDG_CONFIG_HOME"] = dir + "/config"
        let env = Environment(vars)
        let ws = try Workspace(environment: env, claudeDir: nil, settleMinutes: nil)
        var request = RunRequest(projectPath: repoPath,
                                 machine: try MachineName.resolve(flag: machine, environment: Environment([:]), config: Config()),
                                 date: MachineName.today())
        request.sync.pushOptions = LearningsPush.Options(maxAttempts: 1, attemptDeadline: 30, environment: env)
        let extractor = try ExtractorOptions.parse([])
        let redact = try Redaction.function(ws)
        out.write("3. context-sync run --project \(repoPath)\n\n")
        let report = try ProjectRun.run(workspace: ws, request: request) { sessions in
            try extractor.harvest(report: sessions, workspace: ws, redact: redact)
        }
        RunPrinter(json: false, quiet: false, verbose: false).print(report)

        out.write("\n4. The result\n\n--- .claude/learnings.md ---\n")
        out.write((try? String(contentsOfFile: repoPath + "/.claude/learnings.md", encoding: .utf8)) ?? "(not written)\n")
        out.write("\n--- git log (the remote's main branch) ---\n")
        let remoteRepo = try Repository.open(exactly: remote)
        for c in (try? remoteRepo.log("refs/heads/main")) ?? [] {
            out.write("\(c.id) \(c.subject)\n")
        }
        out.write("""

            Next: in a repository of yours with Claude Code history, `context-sync run --dry-run` \
            shows what it would add; `context-sync run` adds, commits and pushes it.

            """)
        return report.exitStatus
    }

    static func makeTempDirectory() throws -> String {
        let base = (ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp")
        var template = Array((base + "/context-sync-demo-XXXXXX").utf8CString)
        guard let p = mkdtemp(&template) else {
            throw ContextSyncError.io("cannot create a temporary directory", path: base, errno: errno)
        }
        return URL(fileURLWithPath: String(cString: p)).resolvingSymlinksInPath().path
    }
}
