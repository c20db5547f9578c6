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

    /// Refuses unsuitable repositories (see `Repository.preflight`), writes the files
    /// atomically, and commits HEAD's tree plus:
    /// - learnings.md as it is in the work tree (so the user's uncommitted edits to it are kept
    ///   and included),
    /// - CLAUDE.md / `.gitattributes` as they are in HEAD plus the directive / line when missing
    ///   (the user's other uncommitted edits to those files stay uncommitted).
    /// No commit when that tree equals HEAD's.
    public static func writeAndCommit(repository path: String, bullets: [String], machine: String, date: String,
                                      forPush: Bool) throws -> Result {
        let repo = try Repository.discover(at: path)
        try repo.preflight(forPush: forPush)
        guard let workdir = repo.workdir else { throw ContextSyncError("no work tree at \(path)") }
        let update = try LearningsFiles.plan(workdir: workdir, bullets: bullets, date: date, machine: machine)
        try LearningsFiles.apply(update, workdir: workdir)
        let commit = try commitOwnedFiles(repo, workdir: workdir, message: message(machine: machine, date: date))
        return Result(addedBullets: update.addedBullets, commit: commit?.description, branch: try repo.head().branch)
    }

    /// Commits the owned files' current state (see `writeAndCommit`); nil when nothing changed.
    static func commitOwnedFiles(_ repo: Repository, workdir: String, message: String) throws -> ObjectID? {
        guard FileManager.default.fileExists(atPath: workdir + "/" + LearningsDocument.relativePath) else { return nil }
        let head = try repo.head()
        var files: [String: Repository.FileSource] = [LearningsDocument.relativePath: .workdir]
        for p in [LearningsFiles.claudeFile(workdir: workdir), GitAttributesLine.path] {
            // Only what the work tree has too: the directive / line was written there.
            guard let current = try LearningsFiles.read(p, workdir: workdir),
                  try LearningsFiles.ensureDirective(path: p, in: current) == nil else { continue }
            let old = try repo.fileBytes(tree: head.tree, path: p).map { String(decoding: $0, as: UTF8.self) }
            if let new = try LearningsFiles.ensureDirective(path: p, in: old) { files[p] = .bytes(Array(new.utf8)) }
        }
        return try repo.commitFiles(files, message: message) { path, staged in
            // The user staged their own version of CLAUDE.md / .gitattributes: keep it staged,
            // with our addition.
            guard path != LearningsDocument.relativePath,
                  let text = String(bytes: staged, encoding: .utf8) else { return nil }
            if let new = try? LearningsFiles.ensureDirective(path: path, in: text) { return Array(new.utf8) }
            return staged
        }
    }
}
