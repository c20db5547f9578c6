import ArgumentParser
import ContextSyncCore
import Foundation

/// The run log of unattended runs: `run --all` and `run --if-opted-in` (what the timer, cron,
/// launchd, the SessionEnd hook and the pre-push harvest start) append one line per repository
/// to `$XDG_STATE_HOME/context-sync/runs.log`, `--dry-run` excepted. Every text is redacted with
/// the secret scanner first. A log that cannot be written is a warning, never a failed run.
struct UnattendedLog {
    let mode: String
    /// The repository named in an entry for an error thrown before any repository report.
    let defaultProject: String
    let log: RunLog
    let redact: (String) -> String?

    /// Nil when this run is not unattended (or is a dry run).
    init?(all: Bool, ifOptedIn: Bool, dryRun: Bool, project: String?, environment: Environment = .current) {
        guard (all || ifOptedIn) && !dryRun else { return nil }
        mode = all ? "all" : "if-opted-in"
        defaultProject = all ? "-" : Paths.absolute(project ?? FileManager.default.currentDirectoryPath)
        log = RunLog(stateDirectory: environment.stateDirectory)
        // The installed cron line and SessionEnd hook append the run's stderr here.
        RunLog.rotate(environment.stateDirectory + "/" + RunLog.stderrFileName, maxBytes: log.maxBytes)
        // The user's allowlist when the config loads, else none (stricter): an error must not
        // reach the log unredacted because the config that caused it is broken.
        let allow = (try? Config.load(environment: environment))?.secretAllowlist ?? []
        let scanner = (try? SecretScanner(allowlist: allow)) ?? (try? SecretScanner(allowlist: []))
        redact = { text in scanner.map { $0.redact(text) } }
    }

    func record(_ r: RunReport) {
        var outcome = "", error: String?
        switch r.outcome {
        case .nothingNew: outcome = "nothing-new"
        case .noNewLearnings: outcome = "no-new-learnings"
        case .dryRun: outcome = "dry-run"
        case .secret:
            outcome = "secret"
            let where_ = r.secrets.first.map { " (\($0.file):\($0.line), \($0.rule))" } ?? ""
            error = "nothing written: a secret in the learnings\(where_)"
        case .locked(let file): outcome = "locked"; error = "another run held the lock \(file)"
        case .committed(_, let pushed): outcome = pushed ? "pushed" : "committed"
        case .queued(_, let why): outcome = "queued"; error = "push queued: \(why)"
        case .pushStopped(_, let why): outcome = "push-stopped"; error = "push stopped: \(why)"
        }
        append(RunLogEntry(mode: mode, project: r.topLevel, identity: r.identity, outcome: outcome,
                           exitCode: Int(r.exitStatus.rawValue), sessions: r.sessions.count, added: r.added.count,
                           error: error))
    }

    /// `--if-opted-in` in a repository that is not opted in: the trace that the hook ran.
    func skipped(_ project: String) {
        append(RunLogEntry(mode: mode, project: project, outcome: "skipped", exitCode: 0))
    }

    func failed(_ project: String?, message: String, status: ExitStatus) {
        append(RunLogEntry(mode: mode, project: project ?? defaultProject, outcome: "error",
                           exitCode: Int(status.rawValue), error: message))
    }

    /// `error` thrown out of the run: the entry for the repository of `--if-opted-in`, or "-".
    func failed(_ error: Error) {
        if let e = error as? ContextSyncError {
            failed(nil, message: e.message, status: e.status)
        } else if !(error is ExitCode) {
            failed(nil, message: "\(error)", status: .usage)
        }
    }

    private func append(_ entry: RunLogEntry) {
        var e = entry
        e.project = redact(e.project) ?? "-"
        e.identity = e.identity.flatMap(redact)
        if let text = e.error { e.error = redact(text) ?? "(not shown: the secret scanner is unavailable)" }
        do {
            try log.append(e)
        } catch let err as ContextSyncError {
            printWarning("run log not written: \(err.message)")
        } catch {
            printWarning("run log not written: \(error)")
        }
    }
}
