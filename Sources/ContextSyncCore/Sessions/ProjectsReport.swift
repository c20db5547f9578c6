import Foundation

/// Every project folder under a Claude root, grouped by repository identity.
public struct ProjectsReport: Sendable {
    public struct FolderEntry: Sendable {
        public var folder: String
        public var cwd: String?
        public var sessions: Int
        public var bytes: Int64
        public var lastModifiedNanos: Int64
        /// `.`, a subdirectory, or `worktree <name>:<sub>` for repositories; nil otherwise.
        public var placement: String?
    }

    public struct Group: Sendable {
        public var identity: ProjectIdentity
        public var topLevel: String
        public var folders: [FolderEntry]
        public var sessions: Int { folders.reduce(0) { $0 + $1.sessions } }
    }

    public enum Kind: String, Sendable {
        case repository, notGit = "not-git", missing, unknown
    }

    public var groups: [Group] = []
    /// Folders whose directory exists but is not inside a git work tree.
    public var notGit: [FolderEntry] = []
    /// Folders whose launch directory no longer exists on this machine.
    public var missing: [FolderEntry] = []
    /// Folders with no `cwd` in any session (metadata-only or empty transcripts).
    public var unknown: [FolderEntry] = []
    /// Root commits shared by several identities (forks): root → identity keys.
    public var forks: [String: [String]] = [:]
    public var warnings: [String] = []

    /// Groups the catalog's folders by repository. `detectForks` also reads each repository's
    /// root commit (a walk of its whole history) to report forks.
    public static func build(catalog: SessionCatalog, detectForks: Bool = true) -> ProjectsReport {
        var report = ProjectsReport()
        var headsByFolder: [String: [SessionHead]] = [:]
        for h in catalog.heads where !h.isSidechain { headsByFolder[h.file.folder, default: []].append(h) }

        var repoByCwd: [String: ProjectContext?] = [:]
        var groupIndex: [String: Int] = [:]

        for folder in catalog.folders {
            let heads = headsByFolder[folder.name] ?? []
            if heads.isEmpty && folder.sessions.isEmpty { continue }
            // Group the folder's sessions by launch directory (normally one).
            var byCwd: [String?: [SessionHead]] = [:]
            for h in heads { byCwd[h.cwd, default: []].append(h) }
            if byCwd.isEmpty { byCwd[nil] = [] }
            for (cwdOrNil, hs) in byCwd.sorted(by: { ($0.key ?? "") < ($1.key ?? "") }) {
                var cwd = cwdOrNil
                if cwd == nil { cwd = indexOriginalPath(folder.path).map { catalog.config.mapPath($0) } }
                var entry = FolderEntry(folder: folder.name, cwd: cwd, sessions: hs.count,
                                        bytes: hs.reduce(0) { $0 + $1.file.size },
                                        lastModifiedNanos: hs.map(\.file.mtimeNanos).max() ?? 0, placement: nil)
                if byCwd.count == 1 && hs.isEmpty { entry.sessions = folder.sessions.count }
                guard let cwd else { report.unknown.append(entry); continue }
                guard Paths.exists(cwd) else { report.missing.append(entry); continue }
                let context: ProjectContext?
                if let cached = repoByCwd[cwd] {
                    context = cached
                } else {
                    context = try? ProjectContext.open(at: cwd, withRootCommit: detectForks)
                    repoByCwd[cwd] = context
                }
                guard let context else { report.notGit.append(entry); continue }
                entry.placement = context.placement(of: cwd)?.label ?? "."
                let key = context.identity.key
                if let gi = groupIndex[key] {
                    report.groups[gi].folders.append(entry)
                } else {
                    groupIndex[key] = report.groups.count
                    report.groups.append(Group(identity: context.identity, topLevel: context.worktrees.first ?? context.topLevel,
                                               folders: [entry]))
                }
            }
        }
        var byRoot: [String: Set<String>] = [:]
        for g in report.groups {
            if let r = g.identity.rootCommit { byRoot[r, default: []].insert(g.identity.key) }
        }
        for (root, keys) in byRoot where keys.count > 1 { report.forks[root] = keys.sorted() }
        report.groups.sort { $0.identity.key < $1.identity.key }
        report.warnings = catalog.warnings
        return report
    }

    /// `originalPath` from a `sessions-index.json`, the one place Claude Code stored the raw path.
    static func indexOriginalPath(_ folderPath: String) -> String? {
        guard let data = FileManager.default.contents(atPath: folderPath + "/sessions-index.json"),
              let v = try? JSONParser.parse([UInt8](data)) else { return nil }
        return v["originalPath"]?.string
    }
}
