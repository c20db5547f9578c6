import Foundation

/// What `tidy` did (or, with `--dry-run`, would do).
public struct TidyReport: Sendable {
    public var identity: String
    public var topLevel: String
    public var branch: String?
    public var result: LearningsTidy.Result?
    /// The unified diff of learnings.md and the archive.
    public var diff = ""
    public var stale: [StaleBullet] = []
    public var outcome: RunOutcome = .noNewLearnings
    public var secrets: [RunSecret] = []
    public var warnings: [String] = []
    public var log: [String] = []

    public var exitStatus: ExitStatus { outcome.exitStatus }
}

/// `context-sync tidy` for one repository: the same path as `run` (lock, an interrupted commit
/// finished first, one snapshot, one plan of exact blobs, the secret gate, the journaled commit,
/// the push recorded before it starts), with a whole-file rewrite of learnings.md and the
/// archive instead of an append.
public enum ProjectTidy {
    public static func commitMessage(machine: String, date: String) -> String {
        "context-sync: tidy learnings on \(machine) \(date)"
    }

    public static func run(workspace ws: Workspace, request: RunRequest, options: LearningsTidy.Options) throws -> TidyReport {
        let opened: OpenedProject
        switch try OpenedProject.open(workspace: ws, request: request) {
        case .locked(let path, let project):
            var report = TidyReport(identity: project.identity.key, topLevel: project.topLevel, branch: project.branch)
            report.outcome = .locked(lockFile: path)
            return report
        case .opened(let o): opened = o
        }
        defer { opened.close() }
        let request = opened.request, repo = opened.repo, project = opened.project, workdir = opened.workdir
        let statePath = opened.statePath, journalPath = opened.journalPath, transaction = opened.transaction
        var report = TidyReport(identity: project.identity.key, topLevel: project.topLevel, branch: project.branch)
        report.warnings += opened.warnings

        let head = try repo.head()
        let snapshot = try LearningsSnapshot.read(repo: repo, workdir: workdir, head: head)
        let base = snapshot.learningsBase
        var opts = options
        report.stale = try StaleBullets.find(in: LearningsDocument(parsing: base), repo: repo, tree: head.tree)
        for s in report.stale { opts.stale[s.text] = s.reason }
        let result = LearningsTidy.tidy(base, options: opts)
        report.result = result
        guard result.changed else { return report }

        let date = request.sync.date, machine = request.sync.machine
        var texts = [LearningsDocument.relativePath: result.learnings]
        let archiveBefore = snapshot.worktree[LearningsTidy.archivePath] ?? snapshot.headText(LearningsTidy.archivePath)
        if !result.archived.isEmpty {
            texts[LearningsTidy.archivePath] = LearningsTidy.archive(archiveBefore, adding: result.archived, date: date, machine: machine)
        }
        let plan = try snapshot.plan(rewriting: texts, repo: repo)
        let scanner = try SecretScanner(allowlist: ws.config.secretAllowlist)
        report.secrets = SecretGate.check(plan, snapshot: snapshot, scanner: scanner)
        if !report.secrets.isEmpty {
            report.outcome = .secret
            return report
        }
        report.diff = UnifiedDiff.diff(base, result.learnings, oldName: "a/" + LearningsDocument.relativePath,
                                       newName: "b/" + LearningsDocument.relativePath)
        if let archive = texts[LearningsTidy.archivePath] {
            report.diff += UnifiedDiff.diff(archiveBefore ?? "", archive, oldName: archiveBefore == nil ? "/dev/null" : "a/" + LearningsTidy.archivePath,
                                            newName: "b/" + LearningsTidy.archivePath)
        }
        if request.dryRun {
            report.outcome = .dryRun(section: report.diff)
            return report
        }
        if Cancellation.requested {
            throw ContextSyncError("stopped by a signal before writing anything")
        }
        let journal = PendingCommit(refName: "", oldHead: "", newCommit: "", files: [], bullets: [], date: date, machine: machine,
                                    sessions: [], consumesDigest: false, push: request.sync.push)
        let commit = try transaction.commit(plan, snapshot: snapshot, message: commitMessage(machine: machine, date: date),
                                            journal: journal)
        var state = try ProjectState.load(from: statePath, identity: project.identity.key)
        let mustPush = request.sync.push && commit != nil
        if mustPush { state.pendingPush = head.branch }
        try state.save(to: statePath)
        if commit != nil { try PendingCommit.remove(at: journalPath) }
        guard mustPush else {
            report.outcome = commit.map { .committed(oid: $0.description, pushed: false) } ?? .noNewLearnings
            return report
        }
        report.outcome = try ProjectRun.pushRecorded(repo: repo, request: request, workspace: ws, commit: commit, state: &state,
                                                     statePath: statePath, log: &report.log)
        report.branch = try repo.head().branch
        return report
    }
}
