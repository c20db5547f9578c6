#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Named points of the write path where the crash tests kill the process (SIGKILL, exactly as
/// `kill -9` would) to prove that every state a kill can leave is completed by the next run.
/// Inert unless `CONTEXT_SYNC_FAULT` names the point; `scripts/crash.sh` and the safety tests
/// set it. The names are listed in `FaultPoint.all`.
public enum FaultPoint: String, CaseIterable, Sendable {
    /// The commit object exists; the branch has not moved.
    case afterCommitObject = "after-commit-object"
    /// The journal is saved, the branch not yet moved.
    case afterJournal = "after-journal"
    /// The branch holds the commit; index and work tree not yet updated.
    case afterBranchMove = "after-branch-move"
    /// The index is updated; the work tree not yet.
    case afterIndex = "after-index"
    /// The work tree is written; sessions not yet marked, journal still there.
    case afterWorktree = "after-worktree"
    /// State saved with the push recorded as pending; the push has not started.
    case beforePush = "before-push"

    public static let variable = "CONTEXT_SYNC_FAULT"

    private static let armed: String? = ProcessInfo.processInfo.environment[variable]

    /// Kills the process here when this point is armed.
    public func reach() {
        guard let armed = Self.armed, armed == rawValue else { return }
        kill(getpid(), SIGKILL)
        _exit(137)
    }
}
