import ArgumentParser
import ContextSyncCore
import Foundation

struct PatternsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patterns",
        abstract: "List learnings shared by two or more repositories on this machine; --apply writes them to your patterns repository.",
        discussion: """
            Compares the .claude/learnings.md of every repository with sessions on this machine, \
            with repository paths set aside: a bullet that recurs in two or more repositories is a \
            candidate for user-level memory. --apply appends them to patterns/learnings.md in the \
            repository named by [patterns] repo in the config (a dotfiles or agent-context \
            repository), committed and pushed like any learnings file (secret check, lock, \
            retries). `context-sync install patterns` makes ~/.claude/CLAUDE.md import that file.

            EXAMPLES
              context-sync patterns
              context-sync patterns --json
              context-sync patterns --apply --dry-run
              context-sync patterns --apply && context-sync install patterns

            EXIT CODES
              0  listed, or applied
              1  a secret was found (nothing written)
              2  usage error ([patterns] repo missing with --apply), bad input
              3  committed, push queued
              4  another run holds the patterns repository's lock
            """
    )

    @Flag(help: "Append the patterns to [patterns] repo's patterns/learnings.md, commit and push.")
    var apply = false

    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var sessionOptions: SessionOptions

    func run() throws {
        Cancellation.install()
        try runReportingErrors {
            let ws = try Workspace(claudeDir: sessionOptions.claudeDir, settleMinutes: sessionOptions.settle)
            let (learnings, warnings) = try SharedPatterns.collect(workspace: ws)
            for w in warnings { printNote("warning: \(w)") }
            let patterns = SharedPatterns.find(learnings)
            // Bullets of other repositories' files are shown: redacted like every output.
            let redact = try Redaction.function(ws)
            let home = ws.environment.home
            if !apply {
                if pipeline.json {
                    let items = patterns.map { p -> JSONValue in
                        var o = JSONObjectBuilder()
                        o.set("text", p.text)
                        o.set("repositories", JSONValue.array(p.repositories.map { .string($0) }))
                        o.set("variants", JSONValue.array(p.variants.map { .string($0) }))
                        return o.value
                    }
                    var b = JSONObjectBuilder()
                    b.set("schemaVersion", JSONOutput.schemaVersion)
                    b.set("repositories", learnings.count)
                    b.set("patterns", JSONValue.array(items))
                    FileHandleOutput.stdout.write(redact(b.value.serialized(pretty: true)) + "\n")
                } else if patterns.isEmpty {
                    FileHandleOutput.stdout.write("No learning is shared by two repositories (\(learnings.count) with learnings on this machine).\n")
                } else {
                    var out = "\(patterns.count) learning\(patterns.count == 1 ? "" : "s") shared across repositories:\n"
                    for p in patterns {
                        out += "- \(p.text)\n    in \(p.repositories.map { Format.tilde($0, home: home) }.joined(separator: ", "))\n"
                    }
                    FileHandleOutput.stdout.write(redact(out))
                }
                return .ok
            }
            guard let repo = ws.config.patternsRepo else {
                throw ContextSyncError("patterns --apply needs a repository to write to: set [patterns] repo = \"~/path/to/repo\" in \(ws.environment.configFile)")
            }
            var request = try pipeline.request(ws, projectPath: repo, defaultPolicy: .abort)
            request.learningsPath = SharedPatterns.relativePath
            request.localWithoutRemote = true
            let bullets = patterns.map(\.text)
            let report = try ProjectRun.run(workspace: ws, request: request) { _ in
                RunHarvest(bullets: bullets, sessions: [])
            }
            pipeline.show(report, verbose: false)
            return report.exitStatus
        }
    }
}

/// `context-sync install patterns`: import the shared patterns file from ~/.claude/CLAUDE.md.
struct InstallPatternsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patterns",
        abstract: "Import [patterns] repo's patterns/learnings.md from your user-level CLAUDE.md (or remove it with --uninstall).",
        discussion: """
            Adds two lines to <claude root>/CLAUDE.md (claude root: --claude-dir, else \
            $CLAUDE_CONFIG_DIR, else ~/.claude): a marker comment and `@~/…/patterns/learnings.md`, \
            so every Claude Code session on this machine reads the patterns. Your file is backed up \
            to CLAUDE.md.context-sync.bak before the first change. --uninstall removes exactly \
            those lines. Running it twice changes nothing.

            EXAMPLES
              context-sync install patterns
              context-sync install patterns --uninstall
            """
    )

    @Flag(help: "Remove the import instead.")
    var uninstall = false

    @OptionGroup var claudeDirOption: ClaudeDirOption
    var claudeDir: String? { claudeDirOption.path }

    func run() throws {
        try runInstaller(uninstall: uninstall) {
            let ws = try Workspace(claudeDir: claudeDir, settleMinutes: nil)
            guard let repo = ws.config.patternsRepo else {
                throw ContextSyncError("no patterns repository: set [patterns] repo = \"~/path/to/repo\" in \(ws.environment.configFile)")
            }
            return PatternsInstaller(claudeRoot: ws.root.path, patternsFile: repo + "/" + SharedPatterns.relativePath,
                                     home: ws.environment.home)
        }
    }
}
