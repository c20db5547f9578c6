import Foundation

/// What to do when the learnings about to be written hold a secret.
public enum SecretPolicy: String, Sendable, CaseIterable {
    /// Write nothing, exit 1 naming file, line and rule (the default for interactive runs).
    case abort
    /// Replace each secret in the new learnings with `<REDACTED:rule>` and go on.
    case redact
}

/// The learnings one run writes and the sessions they came from.
public struct RunHarvest: Sendable {
    /// New bullets (before deduplication against the file, which the writer does).
    public var bullets: [String]
    /// Sessions to mark processed once the commit exists (with the size and mtime to record).
    public var sessions: [SessionMark]
    /// Notes for the user (unreadable transcripts and the like).
    public var warnings: [String]
    /// Forget the last digest's record once done (`apply` consumed it).
    public var consumesDigest: Bool

    public init(bullets: [String], sessions: [SessionMark], warnings: [String] = [], consumesDigest: Bool = false) {
        self.bullets = bullets
        self.sessions = sessions
        self.warnings = warnings
        self.consumesDigest = consumesDigest
    }
}

/// One run's parameters.
public struct RunRequest: Sendable {
    public var projectPath: String?
    /// Machine, date, whether to push, and how.
    public var sync: SyncOptions
    public var dryRun = false
    public var onSecret: SecretPolicy = .abort
    /// Seconds to wait for another run's lock before giving up with exit status 4.
    public var lockWait: Double = 10
    /// Commit without pushing (instead of refusing) when the repository has no remote at all.
    public var localWithoutRemote = false

    public init(projectPath: String?, machine: String, date: String) {
        self.projectPath = projectPath
        self.sync = SyncOptions(machine: machine, date: date)
    }
}

/// A secret found in what a run would commit.
public struct RunSecret: Sendable, Equatable {
    /// Repository-relative file.
    public var file: String
    /// 1-based line in the file as it would be committed.
    public var line: Int
    public var rule: String
    /// Masked excerpt, never the secret.
    public var excerpt: String
    /// True when the line is the user's own (uncommitted) text, not a new learning: context-sync
    /// never rewrites it, so even `redact` stops.
    public var inUserText: Bool
}

/// How a run ended; `exitStatus` is the documented exit code.
public enum RunOutcome: Sendable, Equatable {
    /// No new session and nothing waiting to be pushed.
    case nothingNew
    /// Sessions were read but gave no learning that is not already in the file.
    case noNewLearnings
    /// `--dry-run`: the text that would be added.
    case dryRun(section: String)
    case sync(SyncOutcome)
    /// A secret in what would be committed: nothing written.
    case secret
    /// Another run holds the lock.
    case locked(lockFile: String)

    public var exitStatus: ExitStatus {
        switch self {
        case .nothingNew, .noNewLearnings, .dryRun: return .ok
        case .sync(let s): return s.exitStatus
        case .secret: return .findings
        case .locked: return .locked
        }
    }
}

public struct RunReport: Sendable {
    public var identity: String
    public var topLevel: String
    public var branch: String?
    public var outcome: RunOutcome
    /// Sessions the learnings came from (marked processed unless dry run / secret / error).
    public var sessions: [String] = []
    /// Sessions written to within the settle window, left for a later run.
    public var activeSessions = 0
    /// The bullets written (after deduplication and redaction).
    public var added: [String] = []
    public var secrets: [RunSecret] = []
    /// Secrets replaced in the new learnings (`redact`).
    public var redactions = 0
    public var warnings: [String] = []
    /// Push steps, one line each.
    public var log: [String] = []

    public var exitStatus: ExitStatus { outcome.exitStatus }
}

/// The pipeline behind `run` and `apply`: sessions → learnings → secret check → write → commit →
/// push, for one repository, under the repository's lock. Sessions are marked processed only
/// once the commit exists (or when they gave nothing to commit), so a run that stops early
/// leaves them new.
public enum ProjectRun {
    /// The lock file serialising runs on one project.
    public static func lockPath(for identity: ProjectIdentity, stateDirectory: String) -> String {
        stateDirectory + "/locks/" + identity.fileName + ".lock"
    }

    /// Runs the pipeline. `harvest` turns the project's sessions into learnings; it is called
    /// under the lock and only when the report has something to offer (it decides what that is).
    /// Usage problems (not a repository, refused repository state, no remote) throw
    /// `ContextSyncError`.
    /// `catalog`: an already loaded catalog (`run --all` loads one for every project).
    public static func run(workspace ws: Workspace, request: RunRequest, catalog: SessionCatalog? = nil,
                           harvest: (ProjectSessionsReport) throws -> RunHarvest) throws -> RunReport {
        var request = request
        let repo = try ProjectContext.repository(at: request.projectPath ?? FileManager.default.currentDirectoryPath)
        let localOnly = request.sync.push && request.localWithoutRemote && repo.remoteNames.isEmpty
        if localOnly { request.sync.push = false }
        let project = try ProjectContext.open(repository: repo)
        var report = RunReport(identity: project.identity.key, topLevel: project.topLevel, branch: project.branch,
                               outcome: .nothingNew)
        if !request.dryRun { try repo.preflight(forPush: request.sync.push) }

        var lock: FileLock?
        if !request.dryRun {
            let path = lockPath(for: project.identity, stateDirectory: ws.environment.stateDirectory)
            lock = try FileLock.acquire(at: path, wait: request.lockWait)
            if lock == nil {
                report.outcome = .locked(lockFile: path)
                return report
            }
        }
        defer { lock?.unlock() }

        let sessions = try ws.projectSessions(project: project, details: false, catalog: catalog)
        report.warnings += sessions.warnings
        report.activeSessions = sessions.sessions.filter { $0.status == .active }.count
        var state = sessions.state

        let got = try harvest(sessions)
        report.warnings += got.warnings
        report.sessions = got.sessions.map(\.id)
        if got.sessions.isEmpty && got.bullets.isEmpty && !got.consumesDigest
            && (state.pendingPush == nil || !request.sync.push || request.dryRun) {
            return report
        }

        guard let workdir = repo.workdir else { throw ContextSyncError("no work tree at \(project.topLevel)") }
        let scanner = try SecretScanner(allowlist: ws.config.secretAllowlist)
        var bullets = got.bullets
        var update = try LearningsFiles.plan(workdir: workdir, bullets: bullets, date: request.sync.date, machine: request.sync.machine)
        var secrets = try secretsAdded(by: update, repo: repo, workdir: workdir, scanner: scanner)
        if !secrets.isEmpty, request.onSecret == .redact, !secrets.contains(where: \.inUserText) {
            bullets = bullets.map { b in
                let r = scanner.redact(bytes: Array(b.utf8), file: nil)
                report.redactions += r.findings.count
                return String(decoding: r.redacted, as: UTF8.self)
            }
            update = try LearningsFiles.plan(workdir: workdir, bullets: bullets, date: request.sync.date, machine: request.sync.machine)
            secrets = try secretsAdded(by: update, repo: repo, workdir: workdir, scanner: scanner)
        }
        if !secrets.isEmpty {
            report.secrets = secrets
            report.outcome = .secret
            return report
        }
        report.added = update.addedBullets

        if request.dryRun {
            report.outcome = update.addedBullets.isEmpty ? .noNewLearnings
                : .dryRun(section: LearningsDocument.section(bullets: update.addedBullets, date: request.sync.date, machine: request.sync.machine))
            return report
        }

        if Cancellation.requested {
            throw ContextSyncError("stopped by a signal before writing anything; the sessions stay new")
        }
        if update.isEmpty && (state.pendingPush == nil || !request.sync.push) {
            report.outcome = .noNewLearnings
        } else {
            var options = request.sync
            options.pushOptions.environment = ws.environment
            let result = try LearningsSync.writeAndSync(repository: project.topLevel, newBullets: bullets, options: options)
            report.added = result.addedBullets
            if localOnly && !result.addedBullets.isEmpty { report.warnings.append("no remote: committed locally only") }
            report.branch = result.branch
            report.log = result.log
            report.outcome = result.outcome == .nothingToCommit ? .noNewLearnings : .sync(result.outcome)
            switch result.outcome {
            case .queued, .pushStopped:
                state.pendingPush = result.branch
            case .committed(_, let pushed):
                if pushed { state.pendingPush = nil }
            case .nothingToCommit:
                if request.sync.push { state.pendingPush = nil }
            }
        }
        state.markProcessed(got.sessions)
        if got.consumesDigest { state.lastDigest = nil }
        try state.save(to: sessions.statePath)
        return report
    }

    /// Secrets on the lines `update` adds to each file, compared with HEAD's version (what the
    /// commit would add): a line new in the work tree but not written by us is the user's text.
    static func secretsAdded(by update: LearningsFiles.Update, repo: Repository, workdir: String,
                             scanner: SecretScanner) throws -> [RunSecret] {
        let headTree = try? repo.head().tree
        var out: [RunSecret] = []
        for path in update.changes.keys.sorted() {
            let new = update.changes[path]!
            let committed = try headTree.flatMap { try repo.fileBytes(tree: $0, path: path) }
                .map { String(decoding: $0, as: UTF8.self) } ?? ""
            let current = try LearningsFiles.read(path, workdir: workdir) ?? ""
            var inHead = Multiset(TextLines.split(committed).map(\.content))
            var inWorktree = Multiset(TextLines.split(current).map(\.content))
            for (i, line) in TextLines.split(new).enumerated() {
                let ours = !inWorktree.remove(line.content)
                if inHead.remove(line.content) { continue }
                for f in scanner.scan(line.content, file: path) {
                    out.append(RunSecret(file: path, line: i + 1, rule: f.rule, excerpt: f.excerpt, inUserText: !ours))
                }
            }
        }
        return out
    }

    /// A bag of strings: `remove` takes one occurrence and says whether there was one.
    struct Multiset {
        var counts: [String: Int] = [:]
        init(_ items: [String]) { for i in items { counts[i, default: 0] += 1 } }
        mutating func remove(_ s: String) -> Bool {
            guard let c = counts[s], c > 0 else { return false }
            counts[s] = c - 1
            return true
        }
    }
}
