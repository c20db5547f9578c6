/// How a run (`run`, `apply`, `tidy`, `LearningsSync.writeAndSync`) ended: the one outcome type
/// of the pipeline and the CLI. `exitStatus` is the documented exit code, `result` the `result`
/// field `--json` prints.
public enum RunOutcome: Sendable, Equatable {
    /// No new session and nothing waiting to be pushed.
    case nothingNew
    /// Sessions were read but gave no learning that is not already in the file (or nothing to
    /// commit and nothing waiting to be pushed).
    case noNewLearnings
    /// `--dry-run`: the text that would be added.
    case dryRun(section: String)
    /// `oid` is the branch tip holding our commit (made now, or earlier and pending); `pushed`
    /// is false with `--no-push`.
    case committed(oid: String, pushed: Bool)
    /// Committed, not pushed for a reason that may pass: record a pending push and retry on the
    /// next run (exit status 3).
    case queued(oid: String, reason: String)
    /// Committed, not pushed, and a retry as-is will not help (server refusal, credentials,
    /// certificate, conflict outside learnings.md). The commit stays local.
    case pushStopped(oid: String, reason: String)
    /// A secret in what would be committed: nothing written.
    case secret
    /// Another run holds the lock.
    case locked(lockFile: String)

    /// 0; 3 for queued, 2 for a stopped push, 1 for a secret, 4 when locked.
    public var exitStatus: ExitStatus {
        switch self {
        case .nothingNew, .noNewLearnings, .dryRun, .committed: return .ok
        case .queued: return .queued
        case .pushStopped: return .usage
        case .secret: return .findings
        case .locked: return .locked
        }
    }

    /// The `result` field of `--json`.
    public var result: String {
        switch self {
        case .nothingNew: return "nothing-new"
        case .noNewLearnings: return "no-new-learnings"
        case .dryRun: return "dry-run"
        case .committed: return "committed"
        case .queued: return "queued"
        case .pushStopped: return "push-stopped"
        case .secret: return "secret"
        case .locked: return "locked"
        }
    }

    /// The commit a committed, queued or stopped outcome names.
    public var commit: String? {
        switch self {
        case .committed(let oid, _), .queued(let oid, _), .pushStopped(let oid, _): return oid
        default: return nil
        }
    }

    /// Committed and pushed.
    public var pushed: Bool {
        if case .committed(_, true) = self { return true }
        return false
    }

    /// Why a push was queued or stopped.
    public var pushProblem: String? {
        switch self {
        case .queued(_, let why), .pushStopped(_, let why): return why
        default: return nil
        }
    }

    /// What a push's result makes of a run: `commit` is the commit the run made (nil when it
    /// only pushed an earlier one), `tip` the branch tip, named when the push names no commit.
    public static func after(push: LearningsPush.Outcome, commit: String?, tip: String) -> RunOutcome {
        switch push {
        case .upToDate: return commit.map { .committed(oid: $0, pushed: true) } ?? .noNewLearnings
        case .pushed(let oid, _): return .committed(oid: oid, pushed: true)
        case .queued(let oid, let reason): return .queued(oid: oid.isEmpty ? tip : oid, reason: reason)
        case .stopped(let oid, let reason): return .pushStopped(oid: oid.isEmpty ? tip : oid, reason: reason)
        }
    }
}
