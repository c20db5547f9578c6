/// What makes two checkouts on different machines "the same project" (DESIGN.md §2): the
/// normalised `origin` URL, else the root commit, else the checkout path.
public struct ProjectIdentity: Sendable, Hashable, CustomStringConvertible {
    public enum Source: String, Sendable {
        case remote, rootCommit = "root-commit", path
    }

    /// `github.com/owner/repo`, `root:<sha>` or `path:/abs/path`.
    public var key: String
    public var source: Source
    public var remoteURL: String?
    public var rootCommit: String?

    public var description: String { key }

    public init(key: String, source: Source, remoteURL: String? = nil, rootCommit: String? = nil) {
        self.key = key
        self.source = source
        self.remoteURL = remoteURL
        self.rootCommit = rootCommit
    }

    /// Computes the identity of an open repository. The root commit is looked up only when there
    /// is no origin remote, or when `withRootCommit` asks for it (fork detection).
    public static func of(_ repo: Repository, withRootCommit: Bool = false) -> ProjectIdentity {
        let url = repo.remoteURL("origin")
        var root: String?
        if url == nil || withRootCommit { root = try? repo.rootCommit() }
        if let url {
            return ProjectIdentity(key: RemoteURL.normalize(url), source: .remote, remoteURL: url, rootCommit: root)
        }
        if let root {
            return ProjectIdentity(key: "root:" + root, source: .rootCommit, rootCommit: root)
        }
        let path = repo.workdir.map { mainWorktree(of: repo) ?? $0 } ?? repo.commondir
        return ProjectIdentity(key: "path:" + path, source: .path)
    }

    /// For a linked worktree, the main work tree's path (so all worktrees share a path identity).
    static func mainWorktree(of repo: Repository) -> String? {
        guard repo.isWorktree else { return nil }
        return repo.worktreePaths().first
    }

    /// A file-system-safe name for per-project state files: readable part plus a stable hash.
    public var fileName: String {
        var readable = ""
        for ch in key.unicodeScalars.prefix(80) {
            if ch.isASCII, ch.properties.isAlphabetic || ("0"..."9").contains(ch) || ch == "." || ch == "-" || ch == "_" {
                readable.unicodeScalars.append(ch)
            } else {
                readable.append("_")
            }
        }
        return readable + "-" + StableHash.fnv1a64Hex(key)
    }
}

/// FNV-1a 64-bit: a stable, dependency-free hash for file names and cache keys (not security).
public enum StableHash {
    public static func fnv1a64(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }

    public static func fnv1a64Hex(_ s: String) -> String {
        let hex = String(fnv1a64(s), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
