import ContextSyncCore
import Foundation

/// How `run` and `apply` report.
struct RunPrinter {
    var json: Bool
    var quiet: Bool
    var verbose: Bool

    func print(_ r: RunReport) {
        printDiagnostics(r)
        guard !quiet else { return }
        let name = Format.tilde(r.topLevel, home: Environment.current.home)
        var out = ""
        switch r.outcome {
        case .nothingNew:
            out = "\(name): nothing new"
            if r.activeSessions > 0 { out += " (\(r.activeSessions) active session\(r.activeSessions == 1 ? "" : "s") left for later)" }
            out += ".\n"
        case .noNewLearnings:
            out = "\(name): \(sessionsText(r)) read, no new learnings.\n"
        case .dryRun(let section):
            out = "\(name): \(sessionsText(r)) read; would add to \(LearningsDocument.relativePath) (dry run, nothing written):\n\n\(section)"
        case .committed, .queued, .pushStopped:
            if r.added.isEmpty {
                // Only an earlier run's commit went out (its push was queued, or the run was killed).
                switch r.outcome {
                case .committed(let oid, true): out = "\(name): pushed the earlier commit \(oid.prefix(10)) on \(r.branch ?? "?").\n"
                case .queued(let oid, _): out = "\(name): the earlier commit \(oid.prefix(10)) is still not pushed; push queued.\n"
                case .pushStopped(let oid, _): out = "\(name): the earlier commit \(oid.prefix(10)) is still not pushed; push stopped.\n"
                default: out = "\(name): \(sessionsText(r)) read, no new learnings.\n"
                }
                break
            }
            out = "\(name): added \(r.added.count) learning\(r.added.count == 1 ? "" : "s") from \(sessionsText(r)):\n"
            for b in r.added { out += "  - \(b)\n" }
            switch r.outcome {
            case .committed(let oid, let pushed):
                out += "Committed \(oid.prefix(10)) on \(r.branch ?? "?")" + (pushed ? " and pushed.\n" : " (not pushed).\n")
            case .queued(let oid, _):
                out += "Committed \(oid.prefix(10)) on \(r.branch ?? "?"); push queued.\n"
            case .pushStopped(let oid, _):
                out += "Committed \(oid.prefix(10)) on \(r.branch ?? "?"); push stopped.\n"
            default: break
            }
        case .secret, .locked:
            return
        }
        FileHandleOutput.stdout.write(out)
    }

    /// Warnings, secrets, lock and push problems: stderr, in every mode.
    func printDiagnostics(_ r: RunReport) {
        let name = Format.tilde(r.topLevel, home: Environment.current.home)
        for w in r.warnings { printNote("warning: \(w)") }
        if r.redactions > 0 {
            printNote("\(name): redacted \(r.redactions) secret\(r.redactions == 1 ? "" : "s") in the new learnings")
        }
        if verbose { for l in r.log { printNote(l) } }
        switch r.outcome {
        case .secret:
            for s in r.secrets {
                printNote("secret in \(s.file):\(s.line): \(s.rule) \(s.excerpt)\(s.inUserText ? " (your uncommitted text)" : "")")
            }
            if r.secrets.contains(where: \.inUserText) {
                printError("\(name): nothing written: remove the secret from your uncommitted edit of the file, then run again")
            } else {
                printError("\(name): nothing written: a new learning holds a secret; run with --on-secret redact to replace it, or allow a false positive with [secrets] allow")
            }
        case .locked(let file):
            printError("\(name): another context-sync run holds the lock \(file); try again later")
        case .queued(_, let reason):
            printNote("\(name): push queued, the next run retries: \(reason)")
        case .pushStopped(_, let reason):
            printError("\(name): push stopped, the commit stays local: \(reason)")
        default:
            break
        }
    }

    func sessionsText(_ r: RunReport) -> String {
        "\(r.sessions.count) session\(r.sessions.count == 1 ? "" : "s")"
    }

    static func shortResult(_ r: RunReport) -> String {
        switch r.outcome {
        case .nothingNew: return "nothing new"
        case .noNewLearnings: return "no new learnings"
        case .dryRun: return "dry run: \(r.added.count) learning(s) would be added"
        case .secret: return "secret found, nothing written"
        case .locked: return "locked by another run"
        case .committed(_, let pushed): return "\(r.added.count) learning(s) committed" + (pushed ? " and pushed" : "")
        case .queued: return "\(r.added.count) learning(s) committed, push queued"
        case .pushStopped(_, let reason): return "committed, push stopped: \(reason)"
        }
    }

    /// 1 secret > 2 error > 4 locked > 3 queued > 0.
    static func worse(_ a: ExitStatus, _ b: ExitStatus) -> ExitStatus { a.worse(b) }

    static func json(_ r: RunReport) -> JSONValue {
        var b = JSONObjectBuilder()
        b.set("schemaVersion", JSONOutput.schemaVersion)
        b.set("topLevel", r.topLevel)
        b.set("projectKey", r.identity)
        b.set("branch", r.branch)
        b.set("result", r.outcome.result)
        b.set("exitCode", Int(r.exitStatus.rawValue))
        b.set("commit", r.outcome.commit)
        b.set("pushed", r.outcome.pushed)
        b.set("reason", r.outcome.pushProblem)
        b.set("sessions", JSONValue.array(r.sessions.map { .string($0) }))
        b.set("activeSessions", r.activeSessions)
        b.set("added", JSONValue.array(r.added.map { .string($0) }))
        b.set("redactions", r.redactions)
        b.set("secrets", JSONValue.array(r.secrets.map { s in
            var o = JSONObjectBuilder()
            o.set("file", s.file)
            o.set("line", s.line)
            o.set("rule", s.rule)
            o.set("excerpt", s.excerpt)
            o.set("inUserText", s.inUserText)
            return o.value
        }))
        b.set("warnings", JSONValue.array(r.warnings.map { .string($0) }))
        return b.value
    }

    static func skippedJSON(_ path: String, reason: String) -> JSONValue {
        var b = JSONObjectBuilder()
        b.set("schemaVersion", JSONOutput.schemaVersion)
        b.set("topLevel", path)
        b.set("result", "skipped")
        b.set("reason", reason)
        return b.value
    }

    static func errorJSON(_ path: String, message: String, status: ExitStatus) -> JSONValue {
        var b = JSONObjectBuilder()
        b.set("schemaVersion", JSONOutput.schemaVersion)
        b.set("topLevel", path)
        b.set("result", "error")
        b.set("exitCode", Int(status.rawValue))
        b.set("reason", message)
        return b.value
    }
}
