import Foundation

/// `run --all`: every repository with sessions on this machine that is opted in, each on its own
/// (its own lock; one failure does not stop the others), a repository without a remote committed
/// to locally. The caller prints and logs each item as it comes (`each`); the worst exit status
/// wins (secret > error > locked > queued > ok).
public enum AllProjectsRun {
    public enum Item {
        case skipped(topLevel: String, reason: String)
        case ran(RunReport)
        /// After a successful run: the tidy that kept learnings.md within its budget (nil: none due).
        case tidied(topLevel: String, TidyReport)
        case tidyFailed(topLevel: String, message: String)
        case failed(topLevel: String, message: String, status: ExitStatus)
    }

    /// `tidy`: the budget options, or nil to never tidy.
    public static func run(workspace ws: Workspace, request: RunRequest, tidy: LearningsTidy.Options?,
                           harvest: (ProjectSessionsReport) throws -> RunHarvest, each: (Item) -> Void) throws -> ExitStatus {
        let catalog = try ws.loadCatalog()
        let projects = ProjectsReport.build(catalog: catalog, detectForks: false)
        catalog.cache.save()
        var worst = ExitStatus.ok
        for group in projects.groups {
            let decision = OptIn.decide(topLevel: group.topLevel, identity: group.identity, config: ws.config,
                                        stateDirectory: ws.environment.stateDirectory)
            guard decision.optedIn else {
                each(.skipped(topLevel: group.topLevel, reason: decision.reason))
                continue
            }
            var r = request
            r.projectPath = group.topLevel
            r.localWithoutRemote = true
            let status: ExitStatus
            do {
                let report = try ProjectRun.run(workspace: ws, request: r, catalog: catalog, harvest: harvest)
                status = report.exitStatus
                each(.ran(report))
                if report.exitStatus == .ok, let tidy {
                    do {
                        if let t = try tidyIfOverBudget(ws: ws, request: r, topLevel: group.topLevel, options: tidy) {
                            each(.tidied(topLevel: group.topLevel, t))
                        }
                    } catch {
                        each(.tidyFailed(topLevel: group.topLevel, message: (error as? ContextSyncError)?.message ?? "\(error)"))
                    }
                }
            } catch let e as ContextSyncError {
                status = e.status
                each(.failed(topLevel: group.topLevel, message: e.message, status: e.status))
            } catch {
                status = .usage
                each(.failed(topLevel: group.topLevel, message: "\(error)", status: .usage))
            }
            worst = worst.worse(status)
        }
        return worst
    }

    /// The timer keeps learnings.md within its budget: a repository whose file is over
    /// `[learnings] max_bullets` / `max_chars` is tidied (same path: lock, secret gate, commit,
    /// push); nil when it is within budget.
    static func tidyIfOverBudget(ws: Workspace, request: RunRequest, topLevel: String,
                                 options: LearningsTidy.Options) throws -> TidyReport? {
        guard let text = try? WorkTreeFile(workdir: topLevel).readText(LearningsDocument.relativePath),
              LearningsTidy.isOverBudget(text, options: options) else { return nil }
        return try ProjectTidy.run(workspace: ws, request: request, options: options)
    }
}

extension ExitStatus {
    /// The worse of two statuses: findings > usage > locked > queued > ok.
    public func worse(_ other: ExitStatus) -> ExitStatus {
        func rank(_ s: ExitStatus) -> Int {
            switch s {
            case .ok: return 0
            case .queued: return 1
            case .locked: return 2
            case .usage: return 3
            case .findings: return 4
            }
        }
        return rank(other) > rank(self) ? other : self
    }
}

/// Remembers which sessions a digest showed, for `apply`.
public enum DigestRecorder {
    /// Page 1 starts a new record; a later page adds its sessions to the record of the pages before.
    public static func record(_ marks: [SessionMark], addingToEarlierPages: Bool, report: ProjectSessionsReport,
                              environment: Environment) throws {
        let lockPath = ProjectRun.lockPath(for: report.project.identity, stateDirectory: environment.stateDirectory)
        guard let lock = try FileLock.acquire(at: lockPath, wait: 10) else {
            throw ContextSyncError("another context-sync run holds the lock \(lockPath); run digest again when it is done",
                                   status: .locked)
        }
        defer { lock.unlock() }
        var state = try ProjectState.load(from: report.statePath, identity: report.project.identity.key)
        var all = marks
        if addingToEarlierPages, let earlier = state.lastDigest?.sessions {
            let ids = Set(marks.map(\.id))
            all = earlier.filter { !ids.contains($0.id) } + marks
        }
        state.lastDigest = .init(at: ISO8601DateFormatter().string(from: Date()), sessions: all)
        try state.save(to: report.statePath)
    }
}
