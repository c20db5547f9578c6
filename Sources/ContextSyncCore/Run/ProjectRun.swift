#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
    /// What was harvested from Claude Code's auto memory, saved once the commit exists.
    public var memory: AutoMemory.Record?

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
    /// The file the bullets go to: `.claude/learnings.md`, or a patterns repository's
    /// `patterns/learnings.md` (no CLAUDE.md directive then).
    public var learningsPath = LearningsDocument.relativePath

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

    public init(identity: String, topLevel: String, branch: String?, outcome: RunOutcome) {
        self.identity = identity
        self.topLevel = topLevel
        self.branch = branch
        self.outcome = outcome
    }
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

    /// Runs the pipeline in one pass over one opened repository: preflight, lock, finish an
    /// interrupted commit, read sessions, extract, read context-sync's files once (refusing
    /// symlinks and non-regular files), plan the exact blobs, scan those blobs, commit exactly
    /// them (`LearningsTransaction`), record the push as pending, push. Nothing is re-read or
    /// re-planned after the scan. `harvest` turns the project's sessions into learnings; it is
    /// called under the lock. Usage problems (not a repository, refused repository state or
    /// file, no remote) throw `ContextSyncError`.
    /// `catalog`: an already loaded catalog (`run --all` loads one for every project).
    public static func run(workspace ws: Workspace, request: RunRequest, catalog: SessionCatalog? = nil,
                           harvest: (ProjectSessionsReport) throws -> RunHarvest) throws -> RunReport {
        let opened: OpenedProject
        switch try OpenedProject.open(workspace: ws, request: request) {
        case .locked(let path, let project):
            return RunReport(identity: project.identity.key, topLevel: project.topLevel, branch: project.branch,
                             outcome: .locked(lockFile: path))
        case .opened(let o): opened = o
        }
        defer { opened.close() }
        let request = opened.request, repo = opened.repo, project = opened.project, workdir = opened.workdir
        let localOnly = opened.localOnly, journalPath = opened.journalPath, transaction = opened.transaction
        var report = RunReport(identity: project.identity.key, topLevel: project.topLevel, branch: project.branch,
                               outcome: .nothingNew)
        report.warnings += opened.warnings

        let sessions = try ws.projectSessions(project: project, details: false, catalog: catalog)
        report.warnings += sessions.warnings
        report.activeSessions = sessions.sessions.filter { $0.status == .active }.count
        var state = sessions.state

        let got = try harvest(sessions)
        report.warnings += got.warnings
        report.sessions = got.sessions.map(\.id)
        let pushWaiting = request.sync.push && !request.dryRun
            && (state.pendingPush != nil || LearningsPush.hasUnpushedOwnCommits(repo))
        if got.sessions.isEmpty && got.bullets.isEmpty && !got.consumesDigest && !pushWaiting {
            if !request.dryRun { try got.memory?.save() }
            return report
        }

        let head = try repo.head()
        let snapshot = try LearningsSnapshot.read(repo: repo, workdir: workdir, head: head, learningsPath: request.learningsPath)
        let scanner = try SecretScanner(allowlist: ws.config.secretAllowlist)
        let date = request.sync.date, machine = request.sync.machine
        var plan = try snapshot.plan(bullets: got.bullets, date: date, machine: machine, repo: repo)
        var secrets = SecretGate.check(plan, snapshot: snapshot, scanner: scanner)
        if !secrets.isEmpty, request.onSecret == .redact, !secrets.contains(where: \.inUserText) {
            let bullets = got.bullets.map { b in
                let r = scanner.redact(bytes: Array(b.utf8), file: nil)
                report.redactions += r.findings.count
                return String(decoding: r.redacted, as: UTF8.self)
            }
            plan = try snapshot.plan(bullets: bullets, date: date, machine: machine, repo: repo)
            secrets = SecretGate.check(plan, snapshot: snapshot, scanner: scanner)
        }
        if !secrets.isEmpty {
            report.secrets = secrets
            report.outcome = .secret
            return report
        }
        report.added = plan.addedBullets

        if request.dryRun {
            report.outcome = plan.addedBullets.isEmpty ? .noNewLearnings
                : .dryRun(section: LearningsDocument.section(bullets: plan.addedBullets, date: date, machine: machine))
            return report
        }
        if Cancellation.requested {
            throw ContextSyncError("stopped by a signal before writing anything; the sessions stay new")
        }

        var commit: ObjectID?
        if !plan.isEmpty {
            let journal = PendingCommit(refName: "", oldHead: "", newCommit: "", files: [], bullets: plan.addedBullets,
                                        date: date, machine: machine,
                                        sessions: got.sessions.map { .init(id: $0.id, size: $0.size, mtimeNanos: $0.mtimeNanos) },
                                        consumesDigest: got.consumesDigest, push: request.sync.push)
            commit = try transaction.commit(plan, snapshot: snapshot,
                                            message: LearningsCommitter.message(machine: machine, date: date), journal: journal)
            if localOnly && commit != nil { report.warnings.append("no remote: committed locally only") }
        }
        // The sessions are in the commit (or gave nothing): mark them, and record the push as
        // pending before it starts, so a run killed during the push leaves it queued.
        state.markProcessed(got.sessions)
        if got.consumesDigest { state.lastDigest = nil }
        let mustPush = request.sync.push && (commit != nil || pushWaiting)
        if mustPush { state.pendingPush = head.branch }
        try state.save(to: sessions.statePath)
        if commit != nil { try PendingCommit.remove(at: journalPath) }
        try got.memory?.save()

        guard mustPush else {
            report.outcome = commit.map { .committed(oid: $0.description, pushed: false) } ?? .noNewLearnings
            return report
        }
        report.outcome = try pushRecorded(repo: repo, request: request, workspace: ws, commit: commit, state: &state,
                                          statePath: sessions.statePath, log: &report.log)
        report.branch = try repo.head().branch
        return report
    }

    /// Pushes the current branch (the push is already recorded as pending in `state`) and
    /// records the result: pending cleared when pushed, kept when queued or stopped.
    static func pushRecorded(repo: Repository, request: RunRequest, workspace ws: Workspace, commit: ObjectID?,
                             state: inout ProjectState, statePath: String, log: inout [String]) throws -> RunOutcome {
        FaultPoint.beforePush.reach()
        var options = request.sync.pushOptions
        options.environment = ws.environment
        var lines: [String] = []
        let pushed = try LearningsPush.push(repo: repo, options: options) { lines.append($0) }
        log += lines
        let tip = try repo.head().commit.description
        switch pushed {
        case .upToDate, .pushed: state.pendingPush = nil
        case .queued, .stopped: break
        }
        let outcome = RunOutcome.after(push: pushed, commit: commit?.description, tip: tip)
        try state.save(to: statePath)
        return outcome
    }

    /// Removes temporary files a killed run's atomic writes left next to the project's state,
    /// journal and memory record (`.<name>.tmp-XXXXXX`; only regular files named like ours).
    static func cleanUp(stateFile: String) {
        let dir = (stateFile as NSString).deletingLastPathComponent
        let names = [stateFile, PendingCommit.path(stateFile: stateFile), AutoMemory.recordPath(stateFile: stateFile)]
            .map { "." + ($0 as NSString).lastPathComponent + ".tmp-" }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
        for e in entries where names.contains(where: { e.hasPrefix($0) && e.count == $0.count + 6 }) {
            var st = stat()
            if lstat(dir + "/" + e, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG { unlink(dir + "/" + e) }
        }
    }

    /// Removes what a killed run may have left in the work tree: temporary files of the atomic
    /// writes next to context-sync's files.
    static func cleanUp(workdir: String) throws {
        let files = WorkTreeFile(workdir: workdir)
        for path in [LearningsDocument.relativePath, "CLAUDE.md", ".claude/CLAUDE.md", GitAttributesLine.path, LearningsTidy.archivePath] {
            files.removeStaleTemporaries(of: path)
        }
    }

    /// Finishes a commit an earlier run was interrupted in (see `LearningsTransaction`): the
    /// index and work tree are brought in line, its sessions marked processed and its push
    /// recorded as pending. Returns notes for the user.
    static func finishInterrupted(_ transaction: LearningsTransaction, journalPath: String, statePath: String,
                                  identity: String) throws -> [String] {
        guard let journal = try PendingCommit.load(from: journalPath) else { return [] }
        let outcome = try transaction.recover(journal)
        var notes: [String] = []
        if outcome == .completed {
            var state = try ProjectState.load(from: statePath, identity: identity)
            state.markProcessed(journal.sessionMarks)
            if journal.consumesDigest { state.lastDigest = nil }
            if journal.push { state.pendingPush = String(journal.refName.dropFirst("refs/heads/".count)) }
            try state.save(to: statePath)
            notes.append("finished an interrupted commit (\(journal.newCommit.prefix(10))): index and work tree updated")
        } else if case .abandoned(let why) = outcome {
            notes.append("dropped the journal of an interrupted commit: \(why); its sessions stay new")
        }
        try PendingCommit.remove(at: journalPath)
        return notes
    }
}

/// What `run` and `tidy` do before they read anything of the repository's: open it once,
/// preflight (not for a dry run), take the project's lock, remove what a killed run left, and
/// finish an interrupted commit.
struct OpenedProject {
    enum Opening {
        case opened(OpenedProject)
        /// Another run holds the lock at this path.
        case locked(String, ProjectContext)
    }

    var request: RunRequest
    let repo: Repository
    let project: ProjectContext
    let workdir: String
    /// Pushing was asked for, but the repository has no remote: commit locally.
    let localOnly: Bool
    let statePath: String
    let journalPath: String
    let transaction: LearningsTransaction
    var warnings: [String] = []
    private let lock: FileLock?

    static func open(workspace ws: Workspace, request: RunRequest) throws -> Opening {
        var request = request
        let repo = try ProjectContext.repository(at: request.projectPath ?? FileManager.default.currentDirectoryPath)
        let localOnly = request.sync.push && request.localWithoutRemote && repo.remoteNames.isEmpty
        if localOnly { request.sync.push = false }
        let project = try ProjectContext.open(repository: repo)
        guard let workdir = repo.workdir else { throw ContextSyncError("no work tree at \(project.topLevel)") }
        if !request.dryRun {
            try repo.preflight(forPush: request.sync.push)
            if request.sync.push { _ = try LearningsPush.pushTarget(repo, head: try repo.head()) }
        }
        var lock: FileLock?
        if !request.dryRun {
            let path = ProjectRun.lockPath(for: project.identity, stateDirectory: ws.environment.stateDirectory)
            lock = try FileLock.acquire(at: path, wait: request.lockWait)
            if lock == nil { return .locked(path, project) }
        }
        let statePath = ProjectState.path(for: project.identity, stateDirectory: ws.environment.stateDirectory)
        let journalPath = PendingCommit.path(stateFile: statePath)
        var opened = OpenedProject(request: request, repo: repo, project: project, workdir: workdir, localOnly: localOnly,
                                   statePath: statePath, journalPath: journalPath,
                                   transaction: LearningsTransaction(repo: repo, workdir: workdir, journalPath: journalPath,
                                                                     lockWait: request.lockWait),
                                   lock: lock)
        do {
            if !request.dryRun {
                try ProjectRun.cleanUp(workdir: workdir)
                ProjectRun.cleanUp(stateFile: statePath)
                opened.warnings += try ProjectRun.finishInterrupted(opened.transaction, journalPath: journalPath, statePath: statePath,
                                                                    identity: project.identity.key)
            } else if FileManager.default.fileExists(atPath: journalPath) {
                opened.warnings.append("an interrupted commit is waiting to be finished; the next run (without --dry-run) finishes it")
            }
        } catch {
            lock?.unlock()
            throw error
        }
        return .opened(opened)
    }

    func close() { lock?.unlock() }
}
