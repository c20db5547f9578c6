import ArgumentParser
import ContextSyncCore
import Foundation

/// `context-sync log`: the recent lines of the unattended run log.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show what the unattended runs (timer, cron, launchd, hooks) did, one line per repository.",
        discussion: """
            `run --all` and `run --if-opted-in` (what the timer, cron, launchd, the SessionEnd \
            hook and the pre-push harvest start) append one line per repository to \
            $XDG_STATE_HOME/context-sync/runs.log (default ~/.local/state/context-sync): time \
            (UTC), outcome, exit code, repository, sessions read, learnings added, and the error \
            if any, redacted. The file is rotated to runs.log.1 at 1 MiB. A --dry-run is not \
            logged. What the installed cron line and SessionEnd hook print on stderr is appended \
            to unattended.err in the same folder; the timer's output is in \
            `journalctl --user -u context-sync`.

            EXAMPLES
              context-sync log              # the last 20 lines
              context-sync log -n 100
              context-sync log --json

            EXIT CODES
              0  shown (also when there is no log yet)
              2  the log cannot be read
            """
    )

    @Option(name: .short, help: ArgumentHelp("How many lines, newest last.", valueName: "N"))
    var n: Int = 20

    @Flag(help: "Print JSON: {\"schemaVersion\": 1, \"log\", \"entries\": [{\"time\", \"mode\", \"project\", \"identity\", \"outcome\", \"exitCode\", \"sessions\", \"added\", \"error\"}]}.")
    var json = false

    func validate() throws {
        if n < 1 { throw ValidationError("-n must be 1 or more") }
    }

    func run() throws {
        try runReportingErrors {
            let env = Environment.current
            let log = RunLog(stateDirectory: env.stateDirectory)
            let recent = try log.recent(n)
            if json {
                var b = JSONObjectBuilder()
                b.set("schemaVersion", 1)
                b.set("log", log.path)
                b.set("entries", JSONValue.array(recent.entries.map(\.json)))
                FileHandleOutput.stdout.write(b.value.serialized(pretty: true) + "\n")
            } else if !recent.exists {
                FileHandleOutput.stdout.write("No unattended run logged yet (\(Format.tilde(log.path, home: env.home)) does not exist): the timer, cron, launchd and the hooks write it when they run.\n")
            } else {
                FileHandleOutput.stdout.write(recent.entries.map { Self.text($0, home: env.home) + "\n" }.joined())
            }
            if recent.unreadable > 0 {
                printWarning("\(log.path): skipped \(recent.unreadable) unreadable line\(recent.unreadable == 1 ? "" : "s")")
            }
            return .ok
        }
    }

    /// `2026-12-02T01:40:00Z  pushed (exit 0)  ~/src/app  2 sessions, 3 added[: error]`
    static func text(_ e: RunLogEntry, home: String) -> String {
        var s = "\(e.time)  \(e.outcome) (exit \(e.exitCode))  \(e.project == "-" ? "(no repository)" : Format.tilde(e.project, home: home))"
        if e.outcome != "skipped" && e.project != "-" {
            s += "  \(e.sessions) session\(e.sessions == 1 ? "" : "s"), \(e.added) added"
        }
        if let err = e.error { s += ": \(err)" }
        return s
    }
}
