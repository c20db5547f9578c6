import ArgumentParser
import ContextSyncCore
import Foundation

struct TidyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tidy",
        abstract: "Consolidate .claude/learnings.md: merge near-duplicates, move stale and over-budget bullets to the archive.",
        discussion: """
            CLAUDE.md imports learnings.md in full into every session, so tidy keeps it small and \
            current: near-duplicate bullets (across sections and machines) become one, in the \
            earliest section, with the best wording; sections with the same date and machine \
            become one; bullets `context-sync stale` finds (a path or project command that no \
            longer exists) and, past the budget ([learnings] max_bullets, default 150, and \
            max_chars, default 20000), the oldest bullets move to .claude/learnings-archive.md, \
            which is not imported and only ever grows. Text you wrote outside bullets is kept byte \
            for byte. Without --dry-run it commits and pushes through the same path as `run` \
            (lock, secret check, retries, queue); a tidy here and an append on another machine at \
            the same time both survive (the push replays with a three-way merge). `run --all` \
            (the timer) runs tidy on a repository whose file is over the budget.

            EXAMPLES
              context-sync tidy --dry-run      # the unified diff of what would change
              context-sync tidy                # tidy, commit and push
              context-sync tidy --json

            EXIT CODES
              0  done, or already tidy
              1  a secret was found (nothing written)
              2  usage error, bad input, or a push that cannot succeed as is
              3  committed, push queued for the next run
              4  another run holds the repository's lock
            """
    )

    @OptionGroup var projectOption: ProjectOption
    var project: String? { projectOption.path }

    @OptionGroup var pipeline: PipelineOptions

    @Option(help: ArgumentHelp("At most this many bullets stay (default: [learnings] max_bullets, else 150).", valueName: "N"))
    var maxBullets: Int?

    @Option(help: ArgumentHelp("At most this many characters stay (default: [learnings] max_chars, else 20000).", valueName: "N"))
    var maxChars: Int?

    @OptionGroup var sessionOptions: SessionOptions

    func run() throws {
        Cancellation.install()
        try runReportingErrors {
            let ws = try Workspace(claudeDir: sessionOptions.claudeDir, settleMinutes: sessionOptions.settle)
            let request = try pipeline.request(ws, projectPath: project, defaultPolicy: .abort)
            let report = try ProjectTidy.run(workspace: ws, request: request, options: TidyCommand.options(ws.config, maxBullets, maxChars))
            TidyCommand.show(report, json: pipeline.json, quiet: pipeline.quiet, redact: try Redaction.function(ws))
            return report.exitStatus
        }
    }

    static func options(_ config: Config, _ maxBullets: Int?, _ maxChars: Int?) -> LearningsTidy.Options {
        LearningsTidy.Options(maxBullets: maxBullets ?? config.learningsMaxBullets ?? 150,
                              maxChars: maxChars ?? config.learningsMaxChars ?? 20_000)
    }

    /// Bullets already committed are shown again (merged, archived, the diff): a secret a file
    /// held before never reaches the terminal or JSON either.
    static func show(_ r: TidyReport, json: Bool, quiet: Bool, redact: (String) -> String = SecretScanner().redact) {
        let printer = RunPrinter(json: json, quiet: quiet, verbose: false)
        let name = Format.tilde(r.topLevel, home: Environment.current.home)
        for w in r.warnings { printNote("warning: \(w)") }
        switch r.outcome {
        case .secret, .locked, .queued, .pushStopped:
            var run = RunReport(identity: r.identity, topLevel: r.topLevel, branch: r.branch, outcome: r.outcome)
            run.secrets = r.secrets
            printer.printDiagnostics(run)
        default: break
        }
        if json {
            var b = JSONObjectBuilder()
            b.set("schemaVersion", JSONOutput.schemaVersion)
            b.set("topLevel", r.topLevel)
            b.set("projectKey", r.identity)
            switch r.outcome {
            case .nothingNew, .noNewLearnings: b.set("result", "already-tidy")
            default: b.set("result", r.outcome.result)
            }
            b.set("exitCode", Int(r.exitStatus.rawValue))
            b.set("commit", r.outcome.commit)
            b.set("pushed", r.outcome.pushed)
            if let t = r.result {
                b.set("bulletsBefore", t.bulletsBefore)
                b.set("bulletsAfter", t.bulletsAfter)
                b.set("mergedSections", t.mergedSections)
                b.set("merged", JSONValue.array(t.merged.map { m in
                    var o = JSONObjectBuilder(); o.set("removed", m.removed); o.set("kept", m.kept); return o.value
                }))
                b.set("archived", JSONValue.array(t.archived.map { m in
                    var o = JSONObjectBuilder(); o.set("text", m.text); o.set("date", m.date); o.set("machine", m.machine)
                    o.set("reason", m.reason); return o.value
                }))
            }
            b.set("diff", r.diff)
            FileHandleOutput.stdout.write(redact(b.value.serialized(pretty: true)) + "\n")
            return
        }
        guard !quiet else { return }
        guard let t = r.result, t.changed else {
            FileHandleOutput.stdout.write("\(name): \(LearningsDocument.relativePath) is already tidy.\n")
            return
        }
        var out = "\(name): \(t.bulletsBefore) -> \(t.bulletsAfter) bullets (\(t.merged.count) near-duplicate\(t.merged.count == 1 ? "" : "s") merged, \(t.mergedSections) section\(t.mergedSections == 1 ? "" : "s") merged, \(t.archived.count) moved to \(LearningsTidy.archivePath))"
        switch r.outcome {
        case .dryRun(let diff): out += " — dry run, nothing written:\n\n" + diff
        case .committed(let oid, let p): out += ".\nCommitted \(oid.prefix(10))" + (p ? " and pushed.\n" : " (not pushed).\n")
        case .queued(let oid, _): out += ".\nCommitted \(oid.prefix(10)); push queued.\n"
        case .pushStopped(let oid, _): out += ".\nCommitted \(oid.prefix(10)); push stopped.\n"
        default: out += ".\n"
        }
        FileHandleOutput.stdout.write(redact(out))
    }
}

struct StaleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stale",
        abstract: "List learnings that name a path or project command the code no longer has.",
        discussion: """
            A bullet is stale when it names a repository path (in backticks, or with a /) that no \
            longer exists at HEAD — git's rename detection says where it went — or a project \
            command whose definition is gone (`make X`, `just X`, `npm|pnpm|yarn|bun run X`). Each \
            comes with the commit that removed it; a name that was never in the history (a build \
            output, an untracked file) is not called stale. One pass over HEAD's tree, no \
            checkout. `context-sync tidy` moves stale bullets to the archive.

            EXAMPLES
              context-sync stale
              context-sync stale --json

            EXIT CODES
              0  listed (stale bullets are not an error)
              2  usage error or bad input
            """
    )

    @OptionGroup var projectOption: ProjectOption
    var project: String? { projectOption.path }

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try runReportingErrors {
            let stale = try StaleBullets.find(projectPath: project ?? FileManager.default.currentDirectoryPath)
            let redact = try Redaction.function(try Workspace(claudeDir: nil, settleMinutes: nil))
            if json {
                let items = stale.map { s -> JSONValue in
                    var o = JSONObjectBuilder()
                    o.set("text", s.text); o.set("name", s.name); o.set("reason", s.reason)
                    o.set("removedIn", s.removedIn); o.set("renamedTo", s.renamedTo)
                    return o.value
                }
                var b = JSONObjectBuilder()
                b.set("schemaVersion", JSONOutput.schemaVersion)
                b.set("stale", JSONValue.array(items))
                FileHandleOutput.stdout.write(redact(b.value.serialized(pretty: true)) + "\n")
            } else if stale.isEmpty {
                FileHandleOutput.stdout.write("No stale learnings.\n")
            } else {
                var out = "\(stale.count) stale learning\(stale.count == 1 ? "" : "s"):\n"
                for s in stale { out += "- \(s.text)\n    \(s.reason)\n" }
                FileHandleOutput.stdout.write(redact(out))
            }
            return .ok
        }
    }
}
