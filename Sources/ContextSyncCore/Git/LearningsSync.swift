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

public struct SyncResult: Sendable, Equatable {
    /// `.noNewLearnings`, `.committed`, `.queued` or `.pushStopped`.
    public var outcome: RunOutcome
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
        var result = SyncResult(outcome: .noNewLearnings, addedBullets: committed.addedBullets,
                                branch: committed.branch, log: [])
        let tip = try repo.head().commit.description
        guard options.push else {
            if let c = committed.commit { result.outcome = .committed(oid: c, pushed: false) }
            return result
        }
        var log: [String] = []
        let pushed = try LearningsPush.push(repo: repo, options: options.pushOptions) { log.append($0) }
        result.log = log
        result.outcome = .after(push: pushed, commit: committed.commit, tip: tip)
        return result
    }
}
