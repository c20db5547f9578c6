import Foundation

/// Writes `.claude/learnings.md` (plus the CLAUDE.md directive and the `.gitattributes` line)
/// into a work tree and commits exactly those files.
public enum LearningsCommitter {
    /// What `writeAndCommit` did.
    public struct Result: Sendable, Equatable {
        /// The bullets that were new and written.
        public var addedBullets: [String]
        /// The commit made, or nil when nothing changed.
        public var commit: String?
        /// The branch committed on (short name).
        public var branch: String
    }

    /// `context-sync: learnings from <machine> <YYYY-MM-DD>`.
    public static func message(machine: String, date: String) -> String {
        "context-sync: learnings from \(machine) \(date)"
    }

    /// The subject prefix every context-sync commit has.
    public static let messagePrefix = "context-sync: "

    /// Refuses unsuitable repositories (see `Repository.preflight`) and commits `bullets` the way
    /// `run` does (one snapshot of context-sync's files, one plan, exactly those blobs committed
    /// from HEAD's tree, never the index; see `LearningsTransaction`), without the secret gate,
    /// a journal or sessions: the building block the push tests and the demo use.
    /// - learnings.md as it is in the work tree plus the new bullets (so the user's uncommitted
    ///   edits to it are kept and included),
    /// - CLAUDE.md / `.gitattributes` as they are in HEAD plus the directive / line when missing
    ///   (the user's other uncommitted edits to those files stay uncommitted).
    /// No commit when nothing is new.
    public static func writeAndCommit(repository path: String, bullets: [String], machine: String, date: String,
                                      forPush: Bool) throws -> Result {
        let repo = try Repository.discover(at: path)
        return try writeAndCommit(repo: repo, bullets: bullets, machine: machine, date: date, forPush: forPush)
    }

    static func writeAndCommit(repo: Repository, bullets: [String], machine: String, date: String,
                               forPush: Bool) throws -> Result {
        try repo.preflight(forPush: forPush)
        guard let workdir = repo.workdir else { throw ContextSyncError("no work tree at \(repo.gitdir)") }
        let head = try repo.head()
        let snapshot = try LearningsSnapshot.read(repo: repo, workdir: workdir, head: head)
        let plan = try snapshot.plan(bullets: bullets, date: date, machine: machine, repo: repo)
        let transaction = LearningsTransaction(repo: repo, workdir: workdir, journalPath: nil, lockWait: 10)
        let commit = plan.isEmpty ? nil
            : try transaction.commit(plan, snapshot: snapshot, message: message(machine: machine, date: date), journal: nil)
        return Result(addedBullets: plan.addedBullets, commit: commit?.description, branch: head.branch)
    }
}
