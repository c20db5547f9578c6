import Foundation

/// Options of one write-commit-push run.
public struct SyncOptions: Sendable {
    /// The machine name in the section heading and commit message.
    public var machine: String
    /// Today, `YYYY-MM-DD`.
    public var date: String
    /// False for `--no-push`.
    public var push: Bool
    public var pushOptions: LearningsPush.Options

    public init(machine: String, date: String, push: Bool = true, pushOptions: LearningsPush.Options = .init()) {
        self.machine = machine
        self.date = date
        self.push = push
        self.pushOptions = pushOptions
    }
}

/// How a run ended.
public enum SyncOutcome: Sendable, Equatable {
    /// No new bullet and nothing waiting to be pushed.
    case nothingToCommit
    /// `oid` is the branch tip holding our commit (made now, or earlier and pending); `pushed`
    /// is false with `--no-push`.
    case committed(oid: String, pushed: Bool)
    /// Committed, not pushed for a reason that may pass: record a pending push and retry on the
    /// next run (exit status 3).
    case queued(oid: String, reason: String)
    /// Committed, not pushed, and a retry as-is will not help (server refusal, credentials,
    /// certificate, conflict outside learnings.md). The commit stays local.
    case pushStopped(oid: String, reason: String)

    /// The documented exit status: 0, 3 for queued, 2 for a stopped push.
    public var exitStatus: ExitStatus {
        switch self {
        case .nothingToCommit, .committed: return .ok
        case .queued: return .queued
        case .pushStopped: return .usage
        }
    }
}

public struct SyncResult: Sendable, Equatable {
    public var outcome: SyncOutcome
    /// The bullets that were new and written to learnings.md.
    public var addedBullets: [String]
    /// The branch the run committed on.
    public var branch: String
    /// Steps of the push, one line each (for `--verbose`).
    public var log: [String]
}

public enum LearningsSync {
    /// Writes `newBullets` into `.claude/learnings.md` (plus the CLAUDE.md directive and the
    /// `.gitattributes` line once), commits only those files, and pushes unless `options.push`
    /// is false. A commit left unpushed by an earlier run is pushed too. Refusals (bare,
    /// detached, unborn, operation in progress, shallow when pushing, no remote) throw
    /// `ContextSyncError` with status `.usage` before anything is written.
    public static func writeAndSync(repository path: String, newBullets: [String], options: SyncOptions) throws -> SyncResult {
        let repo = try Repository.discover(at: path)
        try repo.preflight(forPush: options.push)
        if options.push { _ = try LearningsPush.pushTarget(repo, head: try repo.head()) }
        let committed = try LearningsCommitter.writeAndCommit(repo: repo, bullets: newBullets, machine: options.machine,
                                                              date: options.date, forPush: options.push)
        var result = SyncResult(outcome: .nothingToCommit, addedBullets: committed.addedBullets,
                                branch: committed.branch, log: [])
        let tip = try repo.head().commit.description
        guard options.push else {
            if let c = committed.commit { result.outcome = .committed(oid: c, pushed: false) }
            return result
        }
        var log: [String] = []
        let pushed = try LearningsPush.push(repo: repo, options: options.pushOptions) { log.append($0) }
        result.log = log
        switch pushed {
        case .upToDate:
            if let c = committed.commit { result.outcome = .committed(oid: c, pushed: true) }
        case .pushed(let oid, _):
            result.outcome = .committed(oid: oid, pushed: true)
        case .queued(let oid, let reason):
            result.outcome = .queued(oid: oid.isEmpty ? tip : oid, reason: reason)
        case .stopped(let oid, let reason):
            result.outcome = .pushStopped(oid: oid.isEmpty ? tip : oid, reason: reason)
        }
        return result
    }
}
