#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Clibgit2
import Foundation

/// Commits a `LearningsPlan` so that a failure or a kill at any point leaves a state the next run
/// completes, and never a commit the user's next `git commit` silently undoes:
/// 1. the blobs (exactly the plan's bytes, the ones the secret gate scanned), the tree and the
///    commit object are written — nothing visible has changed yet;
/// 2. git's index lock is taken (held by another git command: nothing is changed, exit 4);
/// 3. the journal (`PendingCommit`) is saved;
/// 4. the branch is moved, only if it still points where the plan started;
/// 5. the index entries of our files are set to the committed blobs (the user's other staged
///    work kept) — if that fails, the branch is moved back;
/// 6. the work-tree files are written (atomically, never through a symlink).
/// The caller then marks the sessions processed and removes the journal. A journal found by a
/// later run is finished by `recover`.
struct LearningsTransaction {
    let repo: Repository
    let workdir: String
    /// Where the journal goes; nil: no journal (the low-level API used by tests and the demo).
    let journalPath: String?
    /// Seconds to wait for git's index lock.
    let lockWait: Double

    /// Commits `plan` on top of `snapshot.head`; nil when the committed tree would not change
    /// (the work-tree files are still written). `journal` is the template saved at step 3 (its
    /// commit fields are filled in here).
    func commit(_ plan: LearningsPlan, snapshot: LearningsSnapshot, message: String,
                journal: PendingCommit?) throws -> ObjectID? {
        let head = snapshot.head
        var blobs: [(path: String, id: ObjectID, mode: UInt32)] = []
        for f in plan.files {
            guard let bytes = f.commitBytes else { continue }
            blobs.append((f.path, try repo.createBlob(bytes), f.mode))
        }
        var commitID: ObjectID?
        if !blobs.isEmpty {
            let tree = try repo.treeUpdated(head.tree, with: blobs)
            if tree != head.tree { commitID = try repo.createCommit(tree: tree, parents: [head.commit], message: message) }
        }
        guard let commitID else {
            try writeWorktree(plan)
            return nil
        }

        FaultPoint.afterCommitObject.reach()
        let lock = try IndexLock.acquire(repo, wait: lockWait)
        defer { lock.release() }
        if let journalPath, var j = journal {
            j.refName = head.refName
            j.oldHead = head.commit.description
            j.newCommit = commitID.description
            j.learningsPath = plan.learningsPath
            j.files = plan.files.map { f in
                PendingCommit.File(path: f.path, oldBlob: snapshot.headFiles[f.path]?.id.description,
                                   newBlob: blobs.first { $0.path == f.path }?.id.description, mode: f.mode,
                                   worktreeText: plan.addedBullets.isEmpty ? f.worktreeText : nil)
            }
            try j.save(to: journalPath)
        }
        FaultPoint.afterJournal.reach()
        func dropJournal() { if let journalPath { try? PendingCommit.remove(at: journalPath) } }
        do {
            try repo.moveBranch(head.refName, to: commitID, expecting: head.commit, message: "commit: " + message)
        } catch {
            dropJournal()
            throw error
        }
        FaultPoint.afterBranchMove.reach()
        do {
            let headBlobs = snapshot.headFiles.mapValues(\.id)
            try lock.writeIndex { index in
                try Self.setEntries(index, repo: repo, blobs: blobs, oldHead: headBlobs)
            }
        } catch {
            let undone = (try? repo.moveBranch(head.refName, to: head.commit, expecting: commitID,
                                               message: "context-sync: undo commit (the index could not be written)")) != nil
            if undone { dropJournal() }
            let what = (error as? ContextSyncError)?.message ?? "\(error)"
            throw ContextSyncError(undone ? "\(what): nothing was changed, the sessions stay new (free space or fix permissions, then run again)"
                                   : "\(what); the commit \(commitID.description.prefix(10)) is on \(head.branch) and the next run finishes updating the index")
        }
        lock.release()
        FaultPoint.afterIndex.reach()
        do {
            try writeWorktree(plan)
        } catch {
            let what = (error as? ContextSyncError)?.message ?? "\(error)"
            throw ContextSyncError("committed \(commitID.description.prefix(10)) on \(head.branch), but \(what); the next run finishes writing the work tree")
        }
        FaultPoint.afterWorktree.reach()
        return commitID
    }

    private func writeWorktree(_ plan: LearningsPlan) throws {
        let files = WorkTreeFile(workdir: workdir)
        for f in plan.files {
            guard let text = f.worktreeText else { continue }
            try files.write(text, to: f.path)
        }
    }

    /// Sets the stage-0 entries of `blobs`' paths. Where the user had staged a version of a
    /// path that differs from HEAD's and from ours, CLAUDE.md / `.gitattributes` keep the user's
    /// staged text plus our addition; learnings.md (and the archive, the patterns file) take the
    /// committed blob (it holds the user's work-tree edits already).
    static func setEntries(_ index: OpaquePointer, repo: Repository, blobs: [(path: String, id: ObjectID, mode: UInt32)],
                           oldHead: [String: ObjectID]) throws {
        for b in blobs {
            var target = b.id
            if let staged = git_index_get_bypath(index, b.path, 0) {
                let stagedID = ObjectID(staged.pointee.id)
                if stagedID != b.id && stagedID != oldHead[b.path],
                   ["CLAUDE.md", ".claude/CLAUDE.md", GitAttributesLine.path].contains(b.path),
                   let text = String(bytes: try repo.blobBytes(stagedID), encoding: .utf8) {
                    let keep = try LearningsFiles.ensureDirective(path: b.path, in: text) ?? text
                    target = try repo.createBlob(Array(keep.utf8))
                }
            }
            try setEntry(index, path: b.path, id: target, mode: b.mode)
        }
    }

    static func setEntry(_ index: OpaquePointer, path: String, id: ObjectID, mode: UInt32) throws {
        _ = git_index_conflict_remove(index, path)
        var entry = git_index_entry()
        entry.mode = mode
        entry.id = id.raw
        let rc = path.withCString { p -> Int32 in
            entry.path = p
            return git_index_add(index, &entry)
        }
        try check(rc, "git_index_add(\(path))")
    }

    // MARK: - Finishing an interrupted commit

    enum Recovery: Equatable {
        /// The branch never moved: nothing happened; the sessions are still new.
        case nothingHappened
        /// The branch holds the commit; index and work tree now do too.
        case completed
        /// The branch no longer holds the commit (reset by the user): dropped.
        case abandoned(String)
    }

    /// Brings the index and the work tree in line with the journal's commit when the branch
    /// holds it. Idempotent: bullets already in the work-tree file are not added again, index
    /// entries the user changed since are left alone.
    func recover(_ journal: PendingCommit) throws -> Recovery {
        guard let tip = repo.referenceTarget(journal.refName) else {
            return .abandoned("the branch \(journal.refName) no longer exists")
        }
        guard let newCommit = ObjectID(hex: journal.newCommit) else {
            return .abandoned("the journal names no valid commit")
        }
        if tip.description == journal.oldHead { return .nothingHappened }
        guard (try? repo.contains(tip, newCommit)) == true else {
            return .abandoned("the branch no longer holds commit \(journal.newCommit.prefix(10))")
        }
        let committedTree = try repo.treeOfCommit(newCommit)

        // The index: entries still at HEAD's old blob take the committed one.
        let lock = try IndexLock.acquire(repo, wait: lockWait)
        defer { lock.release() }
        var current: OpaquePointer?
        try check(git_index_open(&current, lock.indexPath), "git_index_open")
        var stale: [(path: String, id: ObjectID, mode: UInt32)] = []
        for f in journal.files {
            guard let hex = f.newBlob, let id = ObjectID(hex: hex) else { continue }
            let entry = git_index_get_bypath(current, f.path, 0)
            let have = entry.map { ObjectID($0.pointee.id).description }
            if have == f.oldBlob { stale.append((f.path, id, f.mode)) }
        }
        git_index_free(current)
        if !stale.isEmpty {
            try lock.writeIndex { index in
                for s in stale { try Self.setEntry(index, path: s.path, id: s.id, mode: s.mode) }
            }
        }
        lock.release()

        // The work tree: our bullets and directives, added to whatever the files hold now.
        let files = WorkTreeFile(workdir: workdir)
        for f in journal.files {
            let now = try files.readText(f.path)
            if let text = f.worktreeText {
                // A rewrite: written only over the file as it was before the commit.
                let was = try f.oldBlob.flatMap(ObjectID.init(hex:)).map { try repo.blobBytes($0) }
                let unchanged = now == nil ? was == nil
                    : (try repo.filteredForCommit(Array(now!.utf8), path: f.path)) == (was ?? [])
                if now != text && unchanged { try files.write(text, to: f.path) }
            } else if f.path == (journal.learningsPath ?? LearningsDocument.relativePath) {
                let base = try now ?? repo.fileBytes(tree: committedTree, path: f.path).map { String(decoding: $0, as: UTF8.self) } ?? ""
                var doc = LearningsDocument(parsing: base)
                doc.append(bullets: journal.bullets, date: journal.date, machine: journal.machine)
                let text = doc.rendered()
                if text != now { try files.write(text, to: f.path) }
            } else if let text = try LearningsFiles.ensureDirective(path: f.path, in: now) {
                try files.write(text, to: f.path)
            }
        }
        return .completed
    }
}

extension ObjectID {
    init?(hex: String) {
        var oid = git_oid()
        guard hex.count == Int(GIT_OID_HEXSZ), git_oid_fromstr(&oid, hex) == 0 else { return nil }
        self.init(oid)
    }
}

extension Repository {
    /// Moves `refName` from `old` to `new` (refusing when it no longer points at `old`), with a
    /// reflog entry.
    func moveBranch(_ refName: String, to new: ObjectID, expecting old: ObjectID, message: String) throws {
        var out: OpaquePointer?
        var n = new.raw, o = old.raw
        let rc = git_reference_create_matching(&out, pointer, refName, &n, 1, &o, message)
        if rc < 0 {
            let e = GitError.last("git_reference_create_matching", rc)
            if rc == GIT_ELOCKED.rawValue {
                throw ContextSyncError("cannot update \(refName): \(commondir)/\(refName).lock exists (another git command is running; if none is, remove the stale lock): nothing was changed")
            }
            if rc == GIT_EMODIFIED.rawValue {
                throw ContextSyncError("cannot commit the learnings: \(refName) moved meanwhile (another git command committed); nothing was changed, run context-sync again")
            }
            throw ContextSyncError("cannot update \(refName) (\(e.message)): nothing was changed")
        }
        git_reference_free(out)
    }
}
