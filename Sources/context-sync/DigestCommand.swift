import ArgumentParser
import ContextSyncCore
import Foundation

struct DigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Print a compact, ordered digest of the project's new sessions.",
        discussion: """
            One line per event: USER prompts (also those typed while Claude worked), INTERRUPTED, \
            ASSISTANT text, each TOOL call with -> OK, -> ERROR(category) or -> FAILED (exit 0 but the \
            output states a failure) and its error line, REJECTED calls with the user's reason, HOOK \
            feedback, subagent prompts and results, compaction summaries. Successive successful file \
            reads/edits/searches are one FILES OK line. Machine-made text is never shown as user input. \
            Paths under the repository become relative, the home directory ~, and secrets are redacted. \
            [n] is the event's position in its session ([a-b] for a collapsed run).

            PAGES: sessions come newest first, whole, packed into pages of at most --page-chars \
            characters (default 25000, everything printed counted); a session larger than a page is \
            alone on its page, its least valuable lines shortened then dropped. The footer says \
            "page i" ("page i of n" once the last page is known: sessions on later pages are not \
            read until a page needs them), how many older sessions remain, and the exact command \
            for the next page.

            The sessions on the pages printed are recorded (unless --no-record): `context-sync apply` \
            then marks exactly those processed; sessions on pages not printed, and sessions that appear \
            in between, stay new. This is how the \
            /context-sync skill works: the running agent reads the digest, writes the learnings \
            and pipes them to `apply`.

            EXAMPLES
              context-sync digest
              context-sync digest --page 2
              context-sync digest --page-chars 20000 | claude -p "what should we remember?"
              context-sync digest --json --project ~/src/app
            """
    )

    @OptionGroup var projectOption: ProjectOption
    var project: String? { projectOption.path }

    @OptionGroup var sessionOptions: SessionOptions

    @Option(help: ArgumentHelp("Print pages of at most N characters (default 25000; at least 1000).", valueName: "N"))
    var pageChars: Int?

    @Option(help: ArgumentHelp("Which page to print (default 1); the footer gives the command for the next one.", valueName: "N"))
    var page: Int = 1

    @Option(help: ArgumentHelp("Same as --page-chars (kept for older scripts).", valueName: "N"))
    var maxChars: Int?

    @Flag(help: "Include sessions already processed (not only new ones).")
    var all = false

    @Flag(help: "Print the page's events as JSON.")
    var json = false

    @Flag(help: "Do not record the sessions shown for `apply` (writes no state).")
    var noRecord = false

    var effectivePageChars: Int { pageChars ?? maxChars ?? DigestPages.defaultPageChars }

    func validate() throws {
        if pageChars != nil && maxChars != nil { throw ValidationError("--page-chars and --max-chars cannot be used together") }
        if effectivePageChars < DigestPages.minimumPageChars {
            throw ValidationError("--page-chars must be at least \(DigestPages.minimumPageChars)")
        }
        if page < 1 { throw ValidationError("--page must be 1 or more") }
    }

    /// The exact command that prints page `n` with the same options.
    func command(forPage n: Int) -> String {
        var parts = ["context-sync", "digest", "--page", "\(n)"]
        if let project { parts += ["--project", Quoting.shell(project)] }
        if effectivePageChars != DigestPages.defaultPageChars { parts += ["--page-chars", "\(effectivePageChars)"] }
        if let d = sessionOptions.claudeDir { parts += ["--claude-dir", Quoting.shell(d)] }
        if let m = sessionOptions.settle { parts += ["--settle", m == m.rounded() ? "\(Int(m))" : "\(m)"] }
        if all { parts.append("--all") }
        if json { parts.append("--json") }
        if noRecord { parts.append("--no-record") }
        return parts.joined(separator: " ")
    }

    func run() throws {
        try runReportingErrors {
            let ws = try Workspace(claudeDir: sessionOptions.claudeDir, settleMinutes: sessionOptions.settle)
            // Summaries and subagent listings are for `sessions`: the batch reads what it shows.
            let report = try ws.projectSessions(projectPath: project, details: false)
            var digest = ProjectDigestPages(report: report, home: ws.environment.home, includeProcessed: all,
                                            pageChars: effectivePageChars, redact: try Redaction.function(ws))
            // Sessions are read only as far as packing this page reaches (and the rest of the
            // batch that session was built in).
            guard digest.pages.resolve(page: page) else {
                let total = digest.pages.totalPages ?? 1
                throw ContextSyncError("there is no page \(page): the digest has \(total) page\(total == 1 ? "" : "s") (run `\(command(forPage: 1))`)")
            }
            let shown = digest.pages.page(page, nextCommand: command(forPage:))
            if json {
                var b = JSONObjectBuilder()
                b.set("schemaVersion", JSONOutput.schemaVersion)
                b.set("projectKey", report.project.identity.key)
                b.set("topLevel", report.project.topLevel)
                b.set("page", page)
                // Known once the last session has been packed (on the last page, or when the
                // pages asked for reached it); absent before: follow `next`.
                if let total = digest.pages.totalPages { b.set("pages", total) }
                b.set("sessionsTotal", digest.pages.sessionCount)
                if digest.pages.hasSessions(after: page) { b.set("next", command(forPage: page + 1)) }
                b.set("sessions", shown.json())
                b.set("droppedLines", shown.droppedLines)
                FileHandleOutput.stdout.write(b.value.serialized(pretty: true) + "\n")
            } else if digest.pages.sessionCount == 0 {
                FileHandleOutput.stdout.write("No new sessions for \(report.project.identity.key).\n")
            } else {
                FileHandleOutput.stdout.write(shown.renderedText())
            }
            for w in report.warnings + digest.warnings { printWarning("skipped unreadable transcript: \(w)") }
            if !noRecord {
                let marks = digest.marks(for: Set(DigestPages.shownSessionIds(shown)))
                try DigestRecorder.record(marks, addingToEarlierPages: page > 1, report: report, environment: ws.environment)
            }
            return .ok
        }
    }
}
