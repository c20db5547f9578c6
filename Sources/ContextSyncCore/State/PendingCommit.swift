import Foundation

/// The journal of a commit in progress, beside the project's state file
/// (`<identity>.pending-commit.json`). It is written after the commit object exists and before
/// the branch moves, and removed once the index, the work tree and the state all reflect the
/// commit. A run killed (or failing: a full disk, a read-only file) anywhere in between leaves it,
/// and the next run finishes the work from it: the branch has our commit, so the index entries,
/// the work-tree files and the sessions' processed marks are brought in line with it. Nothing is
/// lost and nothing is committed twice.
public struct PendingCommit: Codable, Sendable, Equatable {
    public struct File: Codable, Sendable, Equatable {
        public var path: String
        /// HEAD's blob before the commit (nil: the file was new).
        public var oldBlob: String?
        /// The committed blob (nil: the commit leaves HEAD's version; only the work tree changes).
        public var newBlob: String?
        public var mode: UInt32
        /// For a whole-file rewrite (`tidy`): the work-tree text to write when the file still
        /// holds what it held before the commit. Nil: bullets are re-added (`run`, `apply`).
        public var worktreeText: String?
    }

    public struct Mark: Codable, Sendable, Equatable {
        public var id: String
        public var size: Int64
        public var mtimeNanos: Int64
    }

    public var version = 1
    /// `refs/heads/<branch>`.
    public var refName: String
    public var oldHead: String
    public var newCommit: String
    public var files: [File]
    /// The bullets the commit added, with the section they went to (re-added idempotently to
    /// the work-tree learnings.md).
    public var bullets: [String]
    public var date: String
    public var machine: String
    /// Sessions to mark processed once done.
    public var sessions: [Mark]
    public var consumesDigest: Bool
    /// Whether the run was going to push (the push is then recorded as pending).
    public var push: Bool
    /// The learnings file the bullets went to (nil: `.claude/learnings.md`).
    public var learningsPath: String?

    public static func path(stateFile: String) -> String {
        (stateFile.hasSuffix(".json") ? String(stateFile.dropLast(5)) : stateFile) + ".pending-commit.json"
    }

    /// The journal at `path`, nil when there is none. A journal that cannot be read is an error
    /// naming the file (an interrupted commit must not be forgotten silently).
    public static func load(from path: String) throws -> PendingCommit? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ContextSyncError("cannot read \(path) (check its permissions)")
        }
        do {
            return try JSONDecoder().decode(PendingCommit.self, from: data)
        } catch {
            throw ContextSyncError("corrupt journal \(path) of an interrupted commit (check that the branch holds the last context-sync commit, then remove the file)")
        }
    }

    public func save(to path: String) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(Array(try enc.encode(self)) + [0x0A], to: path, mode: 0o600)
    }

    public static func remove(at path: String) throws {
        if unlink(path) != 0 && errno != ENOENT {
            throw ContextSyncError.io("cannot remove", path: path, errno: errno)
        }
    }

    var sessionMarks: [SessionMark] { sessions.map { SessionMark(id: $0.id, size: $0.size, mtimeNanos: $0.mtimeNanos) } }
}
