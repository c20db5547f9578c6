import Foundation

/// What every session command needs: environment, config, Claude root, cache and settle window,
/// resolved once from flags, environment and config (in that order of precedence).
public struct Workspace {
    public var environment: Environment
    public var config: Config
    public var root: ClaudeRoot
    public var settleSeconds: Double
    /// The root came from --claude-dir, so a missing one is the user's mistake, not "no sessions yet".
    var explicitRoot: Bool

    public static let defaultSettleMinutes = 15.0

    public init(environment: Environment = .current, claudeDir: String?, settleMinutes: Double?) throws {
        self.environment = environment
        self.config = try Config.load(environment: environment)
        if let s = settleMinutes, s < 0 { throw ContextSyncError("--settle must be zero or more minutes") }
        let rootPath = environment.claudeRoot(flag: claudeDir, config: config)
        self.explicitRoot = claudeDir != nil
        self.root = ClaudeRoot(path: rootPath)
        self.settleSeconds = (settleMinutes ?? config.settleMinutes ?? Self.defaultSettleMinutes) * 60
    }

    /// The same workspace, for a command that does not need Claude Code's directory (`apply`
    /// reads its learnings from stdin and the sessions from the last digest): a missing root,
    /// even one named with --claude-dir, is "no sessions yet", not an error.
    public func allowingMissingRoot() -> Workspace {
        var w = self
        w.explicitRoot = false
        return w
    }

    /// A catalog of every session under the root, with the persistent cache.
    public func loadCatalog(mayContain: ((String) -> Bool)? = nil) throws -> SessionCatalog {
        if explicitRoot && !Paths.isDirectory(root.path) {
            throw ContextSyncError("no such directory: \(root.path) (check --claude-dir)")
        }
        let cachePath = environment.cacheDirectory + "/sessions-" + StableHash.fnv1a64Hex(root.path) + ".json"
        let catalog = SessionCatalog(root: root, cache: SessionCache(path: cachePath), config: config)
        try catalog.load(mayContain: mayContain)
        return catalog
    }

    /// The sessions of the repository at `projectPath` (or the current directory).
    public func projectSessions(projectPath: String?, now: Date = Date(), details: Bool = true) throws -> ProjectSessionsReport {
        let project = try ProjectContext.open(at: projectPath ?? FileManager.default.currentDirectoryPath)
        return try projectSessions(project: project, now: now, details: details)
    }

    /// The sessions of an already opened project. `details: false` skips what only `sessions`
    /// shows (per-session summaries and subagent listings; a run reads the new sessions in full
    /// anyway). `catalog`: one already loaded (and saved by its loader), for many projects.
    public func projectSessions(project: ProjectContext, now: Date = Date(), details: Bool = true,
                                catalog loaded: SessionCatalog? = nil) throws -> ProjectSessionsReport {
        let statePath = ProjectState.path(for: project.identity, stateDirectory: environment.stateDirectory)
        let state = try ProjectState.load(from: statePath, identity: project.identity.key)
        let catalog = try loaded ?? loadCatalog(mayContain: { project.placement(of: $0) != nil })
        let report = ProjectSessionsReport.build(project: project, catalog: catalog, state: state, statePath: statePath,
                                                 settleSeconds: settleSeconds, now: now, details: details)
        if loaded == nil || details { catalog.cache.save() }
        return report
    }
}
