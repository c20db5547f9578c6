import Clibgit2

/// An open git repository. Owns the `git_repository` pointer; use from one thread at a time.
public final class Repository {
    let pointer: OpaquePointer

    init(wrapping pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit { git_repository_free(pointer) }

    /// Opens the repository containing `path` (searching parent directories, following `.git`
    /// files of worktrees and submodules). Throws `ContextSyncError.notARepository` when none.
    public static func discover(at path: String) throws -> Repository {
        GitLibrary.ensureInitialized()
        var repo: OpaquePointer?
        let rc = git_repository_open_ext(&repo, path, 0, nil)
        if rc == GIT_ENOTFOUND.rawValue { throw ContextSyncError.notARepository(path) }
        if rc < 0 {
            let e = GitError.last("git_repository_open_ext", rc)
            if e.message.contains("unsupported extension") {
                throw ContextSyncError("cannot open repository at \(path): \(e.message) (libgit2 \(GitLibrary.version) does not support this repository format)")
            }
            if e.message.contains("safe.directory") {
                throw ContextSyncError("cannot open repository at \(path): it is owned by another user (add it with `git config --global --add safe.directory \(path)`)")
            }
            throw ContextSyncError("cannot open repository at \(path): \(e.message)")
        }
        return Repository(wrapping: repo!)
    }

    /// Opens exactly `path` (a work tree or a git dir), without searching upwards.
    public static func open(exactly path: String) throws -> Repository {
        GitLibrary.ensureInitialized()
        var repo: OpaquePointer?
        try check(git_repository_open_ext(&repo, path, UInt32(GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue), nil),
                  "git_repository_open_ext(\(path))")
        return Repository(wrapping: repo!)
    }

    /// The work tree's top level without a trailing slash; nil for a bare repository.
    public var workdir: String? {
        guard let p = git_repository_workdir(pointer) else { return nil }
        return Self.trimSlash(String(cString: p))
    }

    /// The git directory (`.git`, or `.git/worktrees/<name>` for a linked worktree).
    public var gitdir: String { Self.trimSlash(String(cString: git_repository_path(pointer))) }

    /// The common git directory shared by all worktrees.
    public var commondir: String { Self.trimSlash(String(cString: git_repository_commondir(pointer))) }

    public var isBare: Bool { git_repository_is_bare(pointer) == 1 }
    public var isWorktree: Bool { git_repository_is_worktree(pointer) == 1 }
    public var isShallow: Bool { git_repository_is_shallow(pointer) == 1 }

    /// The current branch's short name; nil when HEAD is detached or unborn.
    public var currentBranch: String? {
        var ref: OpaquePointer?
        guard git_repository_head(&ref, pointer) == 0, let ref else { return nil }
        defer { git_reference_free(ref) }
        guard git_reference_is_branch(ref) == 1, let name = git_reference_shorthand(ref) else { return nil }
        return String(cString: name)
    }

    /// The URL configured for remote `name` exactly as written in the config (before any
    /// `url.<base>.insteadOf` rewrite, which is machine-specific), or nil when there is none.
    public func remoteURL(_ name: String = "origin") -> String? {
        configString("remote.\(name).url")
    }

    /// A string value from the repository's configuration (all levels), or nil when unset.
    public func configString(_ key: String) -> String? {
        var cfg: OpaquePointer?
        guard git_repository_config_snapshot(&cfg, pointer) == 0, let cfg else { return nil }
        defer { git_config_free(cfg) }
        var value: UnsafePointer<CChar>?
        guard git_config_get_string(&value, cfg, key) == 0, let value else { return nil }
        return String(cString: value)
    }

    /// True when `key` is set in a configuration shared by every repository (global, XDG,
    /// system or program-data file) rather than in this repository's own (local, worktree).
    public func isSetOutsideRepository(_ key: String) -> Bool {
        var cfg: OpaquePointer?
        guard git_repository_config_snapshot(&cfg, pointer) == 0, let cfg else { return false }
        defer { git_config_free(cfg) }
        var entry: UnsafeMutablePointer<git_config_entry>?
        guard git_config_get_entry(&entry, cfg, key) == 0, let entry else { return false }
        defer { git_config_entry_free(entry) }
        return entry.pointee.level.rawValue < GIT_CONFIG_LEVEL_LOCAL.rawValue
    }

    /// Names of the configured remotes.
    public var remoteNames: [String] {
        var arr = git_strarray()
        guard git_remote_list(&arr, pointer) == 0 else { return [] }
        defer { git_strarray_dispose(&arr) }
        return Self.strings(arr)
    }

    /// The root commit reached from HEAD (the oldest, when there are several); nil when unborn.
    public func rootCommit() throws -> String? {
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, pointer), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        let rc = git_revwalk_push_head(walk)
        if rc == GIT_ENOTFOUND.rawValue || rc == GIT_EUNBORNBRANCH.rawValue { return nil }
        try check(rc, "git_revwalk_push_head")
        git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue)
        var oid = git_oid()
        guard git_revwalk_next(&oid, walk) == 0 else { return nil }
        return Self.hex(oid)
    }

    /// Paths of every work tree of this repository: the main one first (when not bare), then the
    /// linked worktrees git knows about.
    public func worktreePaths() -> [String] {
        var out: [String] = []
        if isWorktree {
            // The main work tree is the parent of the common dir for a standard layout.
            if let main = try? Repository.open(exactly: commondir), let wd = main.workdir {
                out.append(wd)
                out.append(contentsOf: main.linkedWorktreePaths())
                return Array(Set(out)).sorted()
            }
        }
        if let wd = workdir { out.append(wd) }
        out.append(contentsOf: linkedWorktreePaths())
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }
    }

    func linkedWorktreePaths() -> [String] {
        var arr = git_strarray()
        guard git_worktree_list(&arr, pointer) == 0 else { return [] }
        defer { git_strarray_dispose(&arr) }
        var out: [String] = []
        for name in Self.strings(arr) {
            var wt: OpaquePointer?
            guard git_worktree_lookup(&wt, pointer, name) == 0, let wt else { continue }
            defer { git_worktree_free(wt) }
            if let p = git_worktree_path(wt) { out.append(Self.trimSlash(String(cString: p))) }
        }
        return out
    }

    static func strings(_ arr: git_strarray) -> [String] {
        var out: [String] = []
        for i in 0..<arr.count {
            if let s = arr.strings[i] { out.append(String(cString: s)) }
        }
        return out
    }

    static func hex(_ oid: git_oid) -> String {
        var buf = [CChar](repeating: 0, count: Int(GIT_OID_HEXSZ) + 1)
        var o = oid
        git_oid_fmt(&buf, &o)
        return String(decoding: buf.prefix(Int(GIT_OID_HEXSZ)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func trimSlash(_ s: String) -> String {
        var s = s
        while s.count > 1 && s.hasSuffix("/") { s.removeLast() }
        return s
    }
}
