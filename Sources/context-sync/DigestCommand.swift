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

            The sessions shown are recorded (unless --no-record): `context-sync apply` then marks \
            exactly those processed, so sessions that appear in between stay new. This is how the \
            /context-sync skill works: the running agent reads the digest, writes the learnings \
            and pipes them to `apply`.

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

    @Flag(help: "Do not record the sessions shown for `apply`.")
    var noRecord = false

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
            for w in report.warnings + batch.warnings { printWarning("skipped unreadable transcript: \(w)") }
            if !noRecord {
                try DigestRecorder.record(batch.readSessions, report: report, environment: ws.environment)
            }
            return .ok
        }
    }
}

/// Remembers which sessions a digest showed, for `apply`.
enum DigestRecorder {
    static func record(_ marks: [SessionMark], report: ProjectSessionsReport, environment: Environment) throws {
        let lockPath = ProjectRun.lockPath(for: report.project.identity, stateDirectory: environment.stateDirectory)
        guard let lock = try FileLock.acquire(at: lockPath, wait: 10) else {
            throw ContextSyncError("another context-sync run holds the lock \(lockPath); run digest again when it is done",
                                   status: .locked)
        }
        defer { lock.unlock() }
        var state = try ProjectState.load(from: report.statePath, identity: report.project.identity.key)
        state.lastDigest = .init(at: ISO8601DateFormatter().string(from: Date()), sessions: marks)
        try state.save(to: report.statePath)
    }
}
