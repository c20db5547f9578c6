import ArgumentParser
import ContextSyncCore
import Foundation

struct DigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Print a compact, ordered digest of the project's new sessions.",
        discussion: """
            One line per event: USER prompts, INTERRUPTED, trimmed ASSISTANT text, each TOOL call \
            with -> OK or -> ERROR(category): first line, subagent results and compaction summaries. \
            Machine-made text (command wrappers, reminders, hook feedback, subagent records) is never \
            shown as user input. Paths under the repository become relative, the home directory ~, \
            and secrets are redacted. [n] is the event's position in its session.

            EXAMPLES
              context-sync digest
              context-sync digest --max-chars 20000 | claude -p "what should we remember?"
              context-sync digest --json --project ~/src/app
            """
    )

    @Option(help: ArgumentHelp("The repository (default: the current directory).", valueName: "PATH"))
    var project: String?

    @OptionGroup var sessionOptions: SessionOptions

    @Option(help: ArgumentHelp("Keep the digest under N characters, dropping the least valuable lines first.", valueName: "N"))
    var maxChars: Int?

    @Flag(help: "Include sessions already processed (not only new ones).")
    var all = false

    @Flag(help: "Print the events as JSON.")
    var json = false

    func validate() throws {
        if let m = maxChars, m < 200 { throw ValidationError("--max-chars must be at least 200") }
    }

    func run() throws {
        try runReportingErrors {
            let ws = try Workspace(claudeDir: sessionOptions.claudeDir, settleMinutes: sessionOptions.settle)
            let report = try ws.projectSessions(projectPath: project)
            let batch = ProjectBatch.load(report: report, home: ws.environment.home, includeProcessed: all)
            var digest = Digest(sessions: batch.events, normalize: batch.normalizer.normalize, redact: try Redaction.function(ws))
            if let m = maxChars { digest.fit(maxChars: m) }
            if json {
                var b = JSONObjectBuilder()
                b.set("project", report.project.identity.key)
                b.set("sessions", digest.json())
                b.set("droppedLines", digest.droppedLines)
                FileHandleOutput.stdout.write(b.value.serialized(pretty: true) + "\n")
            } else if batch.events.isEmpty {
                FileHandleOutput.stdout.write("No new sessions for \(report.project.identity.key).\n")
            } else {
                FileHandleOutput.stdout.write(digest.renderedText())
            }
            for w in report.warnings + batch.warnings { printError("skipped unreadable transcript: \(w)") }
            return .ok
        }
    }
}
