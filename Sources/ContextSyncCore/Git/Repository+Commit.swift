#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Clibgit2
import Foundation

/// A git object id copied out of libgit2.
public struct ObjectID: Hashable, Sendable, CustomStringConvertible {
    var raw: git_oid

    init(_ raw: git_oid) { self.raw = raw }

    public var description: String { Repository.hex(raw) }

    public static func == (a: ObjectID, b: ObjectID) -> Bool {
        var x = a.raw, y = b.raw
        return git_oid_equal(&x, &y) == 1
    }

    public func hash(into h: inout Hasher) { h.combine(description) }
}

/// Where HEAD points: a branch with at least one commit.
struct HeadState {
    /// `refs/heads/<branch>`.
    var refName: String
    /// The branch's short name.
    var branch: String
    var commit: ObjectID
    var tree: ObjectID
}

extension Repository {
    // MARK: - Refusals

    /// Refuses, with one line and exit status 2, the states context-sync does not commit in:
    /// a bare repository, a detached HEAD, an unborn branch, a merge / rebase / cherry-pick (or
    /// revert, bisect, am) in progress, and for pushing a shallow clone.
    public func preflight(forPush: Bool) throws {
        if isBare {
            throw ContextSyncError("cannot commit learnings in a bare repository (\(gitdir)): run context-sync in a work tree")
        }
        let where_ = workdir ?? gitdir
        if git_repository_head_unborn(pointer) == 1 {
            throw ContextSyncError("the current branch of \(where_) has no commits yet: make a first commit, then run context-sync again")
        }
        let state = git_repository_state(pointer)
        if state != GIT_REPOSITORY_STATE_NONE.rawValue {
            let what: String
            switch git_repository_state_t(UInt32(state)) {
            case GIT_REPOSITORY_STATE_MERGE: what = "a merge"
            case GIT_REPOSITORY_STATE_REVERT, GIT_REPOSITORY_STATE_REVERT_SEQUENCE: what = "a revert"
            case GIT_REPOSITORY_STATE_CHERRYPICK, GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE: what = "a cherry-pick"
            case GIT_REPOSITORY_STATE_BISECT: what = "a bisect"
            case GIT_REPOSITORY_STATE_APPLY_MAILBOX, GIT_REPOSITORY_STATE_APPLY_MAILBOX_OR_REBASE: what = "a `git am`"
            default: what = "a rebase"
            }
            throw ContextSyncError("\(what) is in progress in \(where_): finish or abort it, then run context-sync again")
        }
        if git_repository_head_detached(pointer) == 1 {
            throw ContextSyncError("HEAD is detached in \(where_) (not on a branch): check out a branch, then run context-sync again")
        }
        if forPush && isShallow {
            throw ContextSyncError("\(where_) is a shallow clone, which libgit2 \(GitLibrary.version) cannot push from: run `git fetch --unshallow`, or pass --no-push")
        }
    }

    // MARK: - Reading

    func head() throws -> HeadState {
        var ref: OpaquePointer?
        try check(git_repository_head(&ref, pointer), "git_repository_head")
        defer { git_reference_free(ref) }
        guard git_reference_is_branch(ref) == 1 else {
            throw ContextSyncError("HEAD is detached in \(workdir ?? gitdir): check out a branch, then run context-sync again")
        }
        let refName = String(cString: git_reference_name(ref))
        let branch = String(cString: git_reference_shorthand(ref))
        var commit: OpaquePointer?
        try check(git_commit_lookup(&commit, pointer, git_reference_target(ref)), "git_commit_lookup(HEAD)")
        defer { git_commit_free(commit) }
        return HeadState(refName: refName, branch: branch, commit: ObjectID(git_commit_id(commit).pointee),
                         tree: ObjectID(git_commit_tree_id(commit).pointee))
    }

    /// The id a reference points to, or nil when it does not exist.
    func referenceTarget(_ name: String) -> ObjectID? {
        var oid = git_oid()
        guard git_reference_name_to_id(&oid, pointer, name) == 0 else { return nil }
        return ObjectID(oid)
    }

    func treeOfCommit(_ commit: ObjectID) throws -> ObjectID {
        var c: OpaquePointer?
        var raw = commit.raw
        try check(git_commit_lookup(&c, pointer, &raw), "git_commit_lookup")
        defer { git_commit_free(c) }
        return ObjectID(git_commit_tree_id(c).pointee)
    }

    /// The entry (blob id and file mode) at `path` in `tree`, or nil (also when it is a tree or
    /// a submodule).
    func treeEntry(tree: ObjectID, path: String) throws -> (id: ObjectID, mode: UInt32)? {
        guard let e = try anyTreeEntry(tree: tree, path: path), e.mode != GIT_FILEMODE_TREE.rawValue,
              e.mode != GIT_FILEMODE_COMMIT.rawValue else { return nil }
        return e
    }

    /// A blob's bytes.
    func blobBytes(_ id: ObjectID) throws -> [UInt8] {
        var b: OpaquePointer?
        var raw = id.raw
        try check(git_blob_lookup(&b, pointer, &raw), "git_blob_lookup")
        defer { git_blob_free(b) }
        let size = Int(git_blob_rawsize(b))
        guard size > 0, let p = git_blob_rawcontent(b) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: size))
    }

    /// The bytes of `path` in `tree`, or nil when it has no such file.
    func fileBytes(tree: ObjectID, path: String) throws -> [UInt8]? {
        guard let e = try treeEntry(tree: tree, path: path) else { return nil }
        return try blobBytes(e.id)
    }

    func createBlob(_ bytes: [UInt8]) throws -> ObjectID {
        var oid = git_oid()
        _ = try bytes.withUnsafeBytes { buf in
            try check(git_blob_create_from_buffer(&oid, pointer, buf.baseAddress, buf.count), "git_blob_create_from_buffer")
        }
        return ObjectID(oid)
    }

    /// `tree` with `blobs` (path -> blob id, mode) put in, as a new tree.
    func treeUpdated(_ tree: ObjectID, with blobs: [(path: String, id: ObjectID, mode: UInt32)]) throws -> ObjectID {
        var t: OpaquePointer?
        var raw = tree.raw
        try check(git_tree_lookup(&t, pointer, &raw), "git_tree_lookup")
        defer { git_tree_free(t) }
        let cPaths = blobs.map { strdup($0.path)! }
        defer { cPaths.forEach { free($0) } }
        var updates: [git_tree_update] = blobs.enumerated().map { i, b in
            git_tree_update(action: GIT_TREE_UPDATE_UPSERT, id: b.id.raw, filemode: git_filemode_t(b.mode),
                            path: UnsafePointer(cPaths[i]))
        }
        var out = git_oid()
        try check(git_tree_create_updated(&out, pointer, t, updates.count, &updates), "git_tree_create_updated")
        return ObjectID(out)
    }

    /// The committer: `user.name`/`user.email` from git config, else
    /// `context-sync <context-sync@HOST>`. Free with `git_signature_free`.
    func makeSignature() throws -> UnsafeMutablePointer<git_signature> {
        var sig: UnsafeMutablePointer<git_signature>?
        if git_signature_default(&sig, pointer) == 0, let sig { return sig }
        let name = MachineName.shortHostName()
        try check(git_signature_now(&sig, "context-sync", "context-sync@\(name.isEmpty ? "localhost" : name)"), "git_signature_now")
        return sig!
    }

    /// Creates a commit object (moving no reference) and returns its id.
    func createCommit(tree: ObjectID, parents: [ObjectID], message: String,
                      author: UnsafePointer<git_signature>? = nil) throws -> ObjectID {
        let sig = try makeSignature()
        defer { git_signature_free(sig) }
        var t: OpaquePointer?
        var traw = tree.raw
        try check(git_tree_lookup(&t, pointer, &traw), "git_tree_lookup")
        defer { git_tree_free(t) }
        var parentPtrs: [OpaquePointer?] = []
        defer { parentPtrs.forEach { git_commit_free($0) } }
        for p in parents {
            var c: OpaquePointer?
            var raw = p.raw
            try check(git_commit_lookup(&c, pointer, &raw), "git_commit_lookup(parent)")
            parentPtrs.append(c)
        }
        var out = git_oid()
        _ = try parentPtrs.withUnsafeMutableBufferPointer { buf in
            try check(git_commit_create(&out, pointer, nil, author ?? UnsafePointer(sig), sig, nil, message, t,
                                        buf.count, buf.baseAddress), "git_commit_create")
        }
        return ObjectID(out)
    }
}
