import Clibgit2
import Foundation

/// Everything a run reads before it writes, read once: the work-tree text and the HEAD blob of
/// each of context-sync's files. Reading refuses (exit status 2, nothing written) what
/// context-sync must not touch: a symlinked `.claude` or owned file, in the work tree or in HEAD,
/// anything but a regular file, a learnings.md with conflict markers or NUL bytes.
struct LearningsSnapshot {
    struct HeadFile {
        var id: ObjectID
        var mode: UInt32
        var bytes: [UInt8]
    }

    let head: HeadState
    let workdir: String
    /// The learnings file: `.claude/learnings.md`, or the patterns file of a patterns
    /// repository (which gets no CLAUDE.md directive: `~/.claude/CLAUDE.md` imports it).
    let learningsPath: String
    var addsDirectives: Bool { learningsPath == LearningsDocument.relativePath }
    /// `CLAUDE.md` when the work tree or HEAD has one at the top, else `.claude/CLAUDE.md`.
    let claudeFile: String
    /// Work-tree text of each owned path (absent: no such file).
    var worktree: [String: String]
    /// HEAD's blob of each owned path (absent: not in HEAD).
    var headFiles: [String: HeadFile]

    var ownedPaths: [String] { [learningsPath, claudeFile, GitAttributesLine.path, LearningsTidy.archivePath] }

    static func read(repo: Repository, workdir: String, head: HeadState,
                     learningsPath: String = LearningsDocument.relativePath) throws -> LearningsSnapshot {
        let files = WorkTreeFile(workdir: workdir)
        // Directories on the way: `.claude` must be a real directory in HEAD too.
        if let e = try repo.anyTreeEntry(tree: head.tree, path: ".claude"), e.mode != GIT_FILEMODE_TREE.rawValue {
            throw refusal(".claude", workdir: workdir, inHead: e.mode)
        }
        var rootClaude = try files.check("CLAUDE.md")
        if !rootClaude { rootClaude = try repo.anyTreeEntry(tree: head.tree, path: "CLAUDE.md") != nil }
        let claudeFile = rootClaude ? "CLAUDE.md" : ".claude/CLAUDE.md"
        var snapshot = LearningsSnapshot(head: head, workdir: workdir, learningsPath: learningsPath, claudeFile: claudeFile,
                                         worktree: [:], headFiles: [:])
        if learningsPath.contains("/"), let dir = learningsPath.split(separator: "/").first,
           let e = try repo.anyTreeEntry(tree: head.tree, path: String(dir)), e.mode != GIT_FILEMODE_TREE.rawValue {
            throw refusal(String(dir), workdir: workdir, inHead: e.mode)
        }
        for path in snapshot.ownedPaths {
            if let e = try repo.anyTreeEntry(tree: head.tree, path: path) {
                guard e.mode == GIT_FILEMODE_BLOB.rawValue || e.mode == GIT_FILEMODE_BLOB_EXECUTABLE.rawValue else {
                    throw refusal(path, workdir: workdir, inHead: e.mode)
                }
                snapshot.headFiles[path] = HeadFile(id: e.id, mode: e.mode, bytes: try repo.blobBytes(e.id))
            }
            if let text = try files.readText(path) { snapshot.worktree[path] = text }
        }
        if let text = snapshot.worktree[learningsPath] {
            try validateLearnings(text, path: workdir + "/" + learningsPath)
        }
        return snapshot
    }

    /// A learnings.md context-sync will add to: no conflict block (it would be committed and
    /// pushed as is) and no NUL byte (git would treat the file as binary and stop merging it).
    static func validateLearnings(_ text: String, path: String) throws {
        let markers = ConflictMarkers.lines(in: text)
        if !markers.isEmpty {
            let shown = markers.prefix(6).map(String.init).joined(separator: ", ") + (markers.count > 6 ? ", …" : "")
            throw ContextSyncError("\(path) has unresolved conflict markers (lines \(shown)): keep both sides' bullets, delete the marker lines, then run again")
        }
        if let i = TextLines.split(text).firstIndex(where: { $0.content.utf8.contains(0) }) {
            throw ContextSyncError("\(path):\(i + 1) holds a NUL byte, which makes git treat the file as binary: remove it, then run again")
        }
    }

    static func refusal(_ path: String, workdir: String, inHead mode: UInt32) -> ContextSyncError {
        let what: String
        switch mode {
        case GIT_FILEMODE_LINK.rawValue: what = "a symbolic link"
        case GIT_FILEMODE_COMMIT.rawValue: what = "a submodule"
        case GIT_FILEMODE_TREE.rawValue: what = "a directory"
        default: what = "not a regular file"
        }
        return ContextSyncError("\(path) is \(what) in the committed tree (HEAD) of \(workdir); context-sync only writes regular files inside the work tree (replace it with a regular \(path == ".claude" ? "directory" : "file") in a commit, then run again)")
    }

    /// The text the new learnings are added to: the work tree's (with the user's uncommitted
    /// edits), else HEAD's (a file missing from the work tree is not taken as deleted).
    var learningsBase: String {
        worktree[learningsPath]
            ?? headFiles[learningsPath].map { String(decoding: $0.bytes, as: UTF8.self) } ?? ""
    }

    func headText(_ path: String) -> String? {
        headFiles[path].map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    /// The plan for adding `bullets`: pure, from what was read.
    func plan(bullets: [String], date: String, machine: String, repo: Repository) throws -> LearningsPlan {
        var doc = LearningsDocument(parsing: learningsBase)
        let added = doc.append(bullets: bullets, date: date, machine: machine)
        guard !added.isEmpty else { return LearningsPlan(files: [], addedBullets: [], learningsPath: learningsPath) }
        var files: [LearningsPlan.File] = []
        let learnings = doc.rendered()
        let mode = headFiles[learningsPath]?.mode ?? GIT_FILEMODE_BLOB.rawValue
        files.append(LearningsPlan.File(path: learningsPath,
                                        commitBytes: try repo.filteredForCommit(Array(learnings.utf8), path: learningsPath),
                                        mode: mode, worktreeText: learnings))
        for path in [claudeFile, GitAttributesLine.path] where addsDirectives {
            let wt = try LearningsFiles.ensureDirective(path: path, in: worktree[path])
            let committed = try LearningsFiles.ensureDirective(path: path, in: headText(path))
            guard wt != nil || committed != nil else { continue }
            files.append(LearningsPlan.File(path: path, commitBytes: committed.map { Array($0.utf8) },
                                            mode: headFiles[path]?.mode ?? GIT_FILEMODE_BLOB.rawValue, worktreeText: wt))
        }
        return LearningsPlan(files: files, addedBullets: added, learningsPath: learningsPath)
    }
}

extension LearningsSnapshot {
    /// The plan for replacing whole files (`tidy`): `texts` maps an owned path to its new
    /// work-tree text; files whose text does not change are left out.
    func plan(rewriting texts: [String: String], repo: Repository) throws -> LearningsPlan {
        var files: [LearningsPlan.File] = []
        for path in texts.keys.sorted() {
            let text = texts[path]!
            let current = path == learningsPath ? learningsBase : (worktree[path] ?? headText(path) ?? "")
            guard text != current || (worktree[path] == nil && headFiles[path] == nil) else { continue }
            files.append(LearningsPlan.File(path: path, commitBytes: try repo.filteredForCommit(Array(text.utf8), path: path),
                                            mode: headFiles[path]?.mode ?? GIT_FILEMODE_BLOB.rawValue, worktreeText: text))
        }
        return LearningsPlan(files: files, addedBullets: [], learningsPath: learningsPath)
    }
}

/// What one run will write: for each changed file, the exact bytes of the blob it commits (nil:
/// the committed version stays HEAD's) and the work-tree text it writes (nil: unchanged).
/// The secret gate scans these bytes, and the commit stores these bytes: nothing is re-read or
/// re-planned in between.
struct LearningsPlan {
    struct File {
        var path: String
        var commitBytes: [UInt8]?
        var mode: UInt32
        var worktreeText: String?
    }

    var files: [File]
    /// The bullets that were new (after deduplication), as written.
    var addedBullets: [String]
    /// Which file the bullets went to.
    var learningsPath = LearningsDocument.relativePath

    var isEmpty: Bool { files.isEmpty }
}

extension Repository {
    /// The entry at `path` in `tree`, whatever its type (blob, tree, link, submodule), or nil.
    func anyTreeEntry(tree: ObjectID, path: String) throws -> (id: ObjectID, mode: UInt32)? {
        var t: OpaquePointer?
        var raw = tree.raw
        try check(git_tree_lookup(&t, pointer, &raw), "git_tree_lookup")
        defer { git_tree_free(t) }
        var entry: OpaquePointer?
        guard git_tree_entry_bypath(&entry, t, path) == 0 else { return nil }
        defer { git_tree_entry_free(entry) }
        return (ObjectID(git_tree_entry_id(entry).pointee), git_tree_entry_filemode(entry).rawValue)
    }

    /// `bytes` (a work-tree file's content) as `git add` would store it: through the filters
    /// git attributes and config give `path` (`core.autocrlf`, `eol`, `text`).
    func filteredForCommit(_ bytes: [UInt8], path: String) throws -> [UInt8] {
        var list: OpaquePointer?
        try check(git_filter_list_load(&list, pointer, nil, path, GIT_FILTER_TO_ODB, GIT_FILTER_DEFAULT.rawValue),
                  "git_filter_list_load(\(path))")
        guard let list else { return bytes }
        defer { git_filter_list_free(list) }
        var out = git_buf()
        defer { git_buf_dispose(&out) }
        try bytes.withUnsafeBufferPointer { buf -> Void in
            try buf.withMemoryRebound(to: CChar.self) { c -> Void in
                _ = try check(git_filter_list_apply_to_buffer(&out, list, c.baseAddress, c.count), "git_filter_list_apply_to_buffer(\(path))")
            }
        }
        guard let p = out.ptr, out.size > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: out.size))
    }
}
