import Clibgit2
import Foundation

extension Repository {
    /// Creates a repository at `path` (a bare one with `bare`) whose unborn branch is `branch`.
    public static func create(at path: String, bare: Bool, branch: String = "main") throws -> Repository {
        GitLibrary.ensureInitialized()
        var opts = git_repository_init_options()
        try check(git_repository_init_options_init(&opts, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)),
                  "git_repository_init_options_init")
        opts.flags = UInt32(GIT_REPOSITORY_INIT_MKPATH.rawValue) | (bare ? UInt32(GIT_REPOSITORY_INIT_BARE.rawValue) : 0)
        var repo: OpaquePointer?
        try branch.withCString { b in
            opts.initial_head = b
            try check(git_repository_init_ext(&repo, path, &opts), "git_repository_init_ext(\(path))")
        }
        return Repository(wrapping: repo!)
    }

    /// Commits the work-tree files `paths` as the first commit of the unborn current branch
    /// (through the index, which is written).
    @discardableResult
    public func commitInitial(paths: [String], message: String) throws -> String {
        var index: OpaquePointer?
        try check(git_repository_index(&index, pointer), "git_repository_index")
        defer { git_index_free(index) }
        for p in paths { try check(git_index_add_bypath(index, p), "git_index_add_bypath(\(p))") }
        try check(git_index_write(index), "git_index_write")
        var tree = git_oid()
        try check(git_index_write_tree(&tree, index), "git_index_write_tree")
        let commit = try createCommit(tree: ObjectID(tree), parents: [], message: message)
        var raw = commit.raw
        var headRef: OpaquePointer?
        let target = try symbolicHeadTarget()
        try check(git_reference_create(&headRef, pointer, target, &raw, 1, "context-sync: initial commit"),
                  "git_reference_create(\(target))")
        git_reference_free(headRef)
        return commit.description
    }

    /// Adds a remote.
    public func addRemote(_ name: String, url: String) throws {
        var remote: OpaquePointer?
        try check(git_remote_create(&remote, pointer, name, url), "git_remote_create(\(name))")
        git_remote_free(remote)
    }

    /// The one-line log of `ref` (newest first): short id, subject.
    public func log(_ ref: String = "HEAD", limit: Int = 20) throws -> [(id: String, subject: String)] {
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, pointer), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        try check(git_revwalk_push_ref(walk, ref), "git_revwalk_push_ref(\(ref))")
        var out: [(String, String)] = []
        var oid = git_oid()
        while out.count < limit && git_revwalk_next(&oid, walk) == 0 {
            var c: OpaquePointer?
            guard git_commit_lookup(&c, pointer, &oid) == 0 else { break }
            let subject = git_commit_summary(c).map { String(cString: $0) } ?? ""
            git_commit_free(c)
            out.append((String(Self.hex(oid).prefix(7)), subject))
        }
        return out
    }

    /// `refs/heads/<branch>` that HEAD points to (also when unborn).
    func symbolicHeadTarget() throws -> String {
        var ref: OpaquePointer?
        try check(git_reference_lookup(&ref, pointer, "HEAD"), "git_reference_lookup(HEAD)")
        defer { git_reference_free(ref) }
        guard let t = git_reference_symbolic_target(ref) else { throw ContextSyncError("HEAD is not symbolic") }
        return String(cString: t)
    }
}
