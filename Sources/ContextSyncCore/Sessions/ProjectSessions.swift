import Foundation

/// A repository opened for session matching: its identity and every directory whose sessions belong to it.
public struct ProjectContext: Sendable {
    public var identity: ProjectIdentity
    /// The work tree top level the user pointed at.
    public var topLevel: String
    /// All work trees (main first), resolved with realpath.
    public var worktrees: [String]
    public var branch: String?

    /// Opens the repository containing `path` (any subdirectory or worktree). `withRootCommit`
    /// also records the root commit in the identity (fork detection) from the same open.
    public static func open(at path: String, withRootCommit: Bool = false) throws -> ProjectContext {
        try open(repository: try repository(at: path), withRootCommit: withRootCommit)
    }

    /// The repository containing `path`, with a clear error when `path` does not exist.
    public static func repository(at path: String) throws -> Repository {
        let absolute = Paths.absolute(path)
        guard Paths.exists(absolute) else {
            throw ContextSyncError("no such directory: \(absolute) (pass --project PATH of a git checkout)")
        }
        return try Repository.discover(at: absolute)
    }

    /// The context of an already opened repository.
    public static func open(repository repo: Repository, withRootCommit: Bool = false) throws -> ProjectContext {
        guard let top = repo.workdir else {
            throw ContextSyncError("\(repo.gitdir) is a bare repository: sessions belong to a work tree (pass --project PATH of a checkout)")
        }
        var trees: [String] = []
        var seen = Set<String>()
        // Main work tree first, then linked ones; the checkout the user named is among them.
        for p in repo.worktreePaths() + [top] {
            let r = Paths.resolve(p)
            if seen.insert(r).inserted { trees.append(r) }
        }
        return ProjectContext(identity: ProjectIdentity.of(repo, withRootCommit: withRootCommit), topLevel: Paths.resolve(top), worktrees: trees,
                              branch: repo.currentBranch)
    }

    /// Where `cwd` lies relative to this project: nil when outside.
    public func placement(of cwd: String) -> SessionPlacement? {
        let candidates = Self.variants(of: cwd)
        // Longest work tree first, so a worktree nested inside the main checkout wins.
        for tree in worktrees.sorted(by: { $0.count > $1.count }) {
            for c in candidates {
                guard let rel = Paths.relative(c, to: tree) else { continue }
                let isMain = tree == worktrees.first
                return SessionPlacement(worktree: tree, subdirectory: rel, isLinkedWorktree: !isMain)
            }
        }
        return nil
    }

    /// The path as written, its NFC form, and its realpath when it exists here.
    static func variants(of path: String) -> [String] {
        var out = [Paths.normalize(path)]
        if !path.utf8.allSatisfy({ $0 < 0x80 }) {
            let nfc = path.precomposedStringWithCanonicalMapping
            if nfc != path { out.append(Paths.normalize(nfc)) }
        }
        let real = Paths.resolve(path)
        if !out.contains(real) { out.append(real) }
        return out
    }
}

/// Where a session was launched relative to its project.
public struct SessionPlacement: Sendable, Equatable {
    public var worktree: String
    /// Path below the work tree ("" for its top level).
    public var subdirectory: String
    public var isLinkedWorktree: Bool

    public var label: String {
        let sub = subdirectory.isEmpty ? "." : subdirectory
        return isLinkedWorktree ? "worktree \((worktree as NSString).lastPathComponent):\(sub)" : sub
    }
}

/// One of a project's sessions, with its processing status.
public struct ProjectSession: Sendable {
    public enum Status: String, Sendable {
        /// Never processed, or grown since.
        case new
        /// Processed at its current size.
        case processed
        /// Written to within the settle window: Claude Code may still be appending.
        case active
    }

    public var file: SessionFile
    public var head: SessionHead
    public var placement: SessionPlacement
    public var status: Status
    public var summary: SessionSummary?
    public var subagents: [String]
}

/// The sessions of one project on this machine.
public struct ProjectSessionsReport: Sendable {
    public var project: ProjectContext
    public var statePath: String
    /// The state the statuses were computed from.
    public var state: ProjectState
    public var sessions: [ProjectSession]
    public var warnings: [String]

    /// Finds every session of `project` under `catalog` (already loaded) and classifies it.
    /// `details` also reads each selected transcript for its summary (from cache when unchanged)
    /// and lists its subagent transcripts: what `sessions` shows, and nothing else needs.
    public static func build(project: ProjectContext, catalog: SessionCatalog, state: ProjectState, statePath: String,
                             settleSeconds: Double, now: Date = Date(), details: Bool = true) -> ProjectSessionsReport {
        var selected: [(SessionHead, SessionPlacement)] = []
        var byId: [String: Int] = [:]
        // Thousands of sessions share a few hundred launch directories: resolve each once.
        var placements: [String: SessionPlacement?] = [:]
        for head in catalog.heads where !head.isSidechain {
            guard let cwd = head.cwd else { continue }
            let known = placements[cwd]
            let placementOrNil = known ?? project.placement(of: cwd)
            if known == nil { placements[cwd] = .some(placementOrNil) }
            guard let placement = placementOrNil else { continue }
            // The same session id in two folders (resume from another directory): keep the newest.
            if let j = byId[head.file.id] {
                if head.file.mtimeNanos > selected[j].0.file.mtimeNanos { selected[j] = (head, placement) }
                continue
            }
            byId[head.file.id] = selected.count
            selected.append((head, placement))
        }
        let sums = details ? catalog.summaries(for: selected.map(\.0.file)) : [:]
        let nowNanos = Int64(now.timeIntervalSince1970 * 1e9)
        var sessions: [ProjectSession] = []
        for (head, placement) in selected {
            let f = head.file
            let status: ProjectSession.Status
            if let p = state.sessions[f.id], p.size == f.size {
                status = .processed
            } else if Double(nowNanos - f.mtimeNanos) / 1e9 < settleSeconds {
                status = .active
            } else {
                status = .new
            }
            let subagents = details ? ClaudeRoot.subagentFiles(of: f) + (catalog.topLevelAgents[f.id] ?? []) : []
            sessions.append(ProjectSession(file: f, head: head, placement: placement, status: status,
                                           summary: sums[f.path], subagents: subagents))
        }
        sessions.sort { ($0.file.mtimeNanos, $0.file.id) < ($1.file.mtimeNanos, $1.file.id) }
        return ProjectSessionsReport(project: project, statePath: statePath, state: state, sessions: sessions,
                                     warnings: catalog.warnings)
    }
}
