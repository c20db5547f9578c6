import ArgumentParser
import ContextSyncCore
import Foundation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Extract learnings from new sessions, append them to .claude/learnings.md, commit and push.",
        discussion: """
            The whole pipeline for one repository: find its new sessions, extract learnings, check \
            them for secrets, append the new ones (deduplicated) to today's section for this \
            machine in .claude/learnings.md, make sure CLAUDE.md imports the file and \
            .gitattributes merges it with union, commit only those files (never the index: your \
            staged and unstaged work stays as it was), and push with retries. Sessions are marked \
            processed only once the commit exists. A second run on the same repository waits \
            --lock-wait seconds, then exits 4.

            With --all: every repository with sessions on this machine that exists here and is \
            opted in — it matches [projects] include in the config, or already has \
            .claude/learnings.md, or context-sync ran there before; [projects] exclude always wins. \
            Each repository runs under its own lock, one failure does not stop the others, and the \
            exit code is the worst result (1 secret > 2 error > 4 locked > 3 queued > 0). --all \
            defaults to --on-secret redact; a repository without a remote is committed to locally.

            With --if-opted-in: the same opt-in rule for this one repository; one that is not \
            opted in (or not a git repository) is skipped with one line ("skipped: ...", none with \
            --quiet) and exit 0, before any session is read or anything written. The SessionEnd hook \
            (install claude-hook) and the pre-push harvest (install hook) run with it, the timer, \
            cron and launchd run --all: no unattended run commits where you did not opt in.

            --all and --if-opted-in (not with --dry-run) append one line per repository to the \
            run log, $XDG_STATE_HOME/context-sync/runs.log: time, outcome, counts and the error, \
            redacted. `context-sync log` shows it.

            On a secret in the learnings: --on-secret abort (default) writes nothing and exits 1, \
            naming file, line and rule with the secret masked; redact replaces it with \
            <REDACTED:rule> and goes on. A secret in your own uncommitted text in learnings.md \
            always stops (context-sync does not rewrite your text).

            EXAMPLES
              context-sync run                      # this repository
              context-sync run --dry-run            # show what would be added
              context-sync run --no-push            # commit only; your next push sends it
              context-sync run --all --quiet        # all opted-in repositories (timers)
              context-sync run --if-opted-in        # only if opted in (hooks)
              context-sync run --extractor claude   # let headless Claude Code extract

            EXIT CODES
              0  done, or nothing new
              1  a secret was found (nothing written)
              2  usage error, bad input, or a push that cannot succeed as is (commit kept)
              3  committed, push queued (network); the next run pushes it
              4  another run holds the repository's lock
            """
    )

    @OptionGroup var projectOption: ProjectOption
    var project: String? { projectOption.path }

    @Flag(help: "Every opted-in repository with sessions on this machine (see above).")
    var all = false

    @Flag(help: "Skip (exit 0) a repository that is not opted in, as --all does (used by the hooks).")
    var ifOptedIn = false

    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var sessionOptions: SessionOptions
    @OptionGroup var extractorOptions: ExtractorOptions

    @Flag(help: "Also print the push's steps.")
    var verbose = false

    func validate() throws {
        if all && project != nil { throw ValidationError("--all and --project cannot be used together") }
    }

    func run() throws {
        Cancellation.install()
        let log = UnattendedLog(all: all, ifOptedIn: ifOptedIn, dryRun: pipeline.dryRun, project: project)
        try runReportingErrors {
            do {
                return try runLogged(log)
            } catch {
                log?.failed(error)
                throw error
            }
        }
    }

    func runLogged(_ log: UnattendedLog?) throws -> ExitStatus {
        let ws = try Workspace(claudeDir: sessionOptions.claudeDir, settleMinutes: sessionOptions.settle)
        let request = try pipeline.request(ws, projectPath: project, defaultPolicy: all ? .redact : .abort)
        let redact = try Redaction.function(ws)
        let harvest: (ProjectSessionsReport) throws -> RunHarvest = { report in
            try extractorOptions.harvest(report: report, workspace: ws, redact: redact)
        }
        if all {
            return try runAll(ws: ws, request: request, harvest: harvest, log: log)
        }
        if ifOptedIn, let skipped = try optInSkip(ws) {
            if pipeline.json {
                FileHandleOutput.stdout.write(RunPrinter.skippedJSON(skipped.path, reason: skipped.reason).serialized(pretty: true) + "\n")
            } else if !pipeline.quiet {
                FileHandleOutput.stdout.write("\(Format.tilde(skipped.path, home: ws.environment.home)): skipped: \(skipped.reason)\n")
            }
            log?.skipped(skipped.path)
            return .ok
        }
        let report = try ProjectRun.run(workspace: ws, request: request, harvest: harvest)
        pipeline.show(report, verbose: verbose)
        log?.record(report)
        return report.exitStatus
    }

    /// The repository and why it is skipped, when `--if-opted-in` skips it (not opted in, or not
    /// a git repository at all); nil when it is opted in.
    func optInSkip(_ ws: Workspace) throws -> (path: String, reason: String)? {
        let start = Paths.absolute(project ?? FileManager.default.currentDirectoryPath)
        do {
            let (top, decision) = try OptIn.decide(projectAt: start, config: ws.config,
                                                   stateDirectory: ws.environment.stateDirectory)
            return decision.optedIn ? nil : (top, decision.reason)
        } catch let e as ContextSyncError where e == .notARepository(start) {
            return (start, "not a git repository")
        }
    }

    /// Every opted-in repository, each on its own (Core's `AllProjectsRun`); this prints each
    /// result as it comes, logs it, and ends with the summary (or the JSON array).
    func runAll(ws: Workspace, request: RunRequest, harvest: (ProjectSessionsReport) throws -> RunHarvest,
                log: UnattendedLog?) throws -> ExitStatus {
        let printer = RunPrinter(json: pipeline.json, quiet: pipeline.quiet, verbose: verbose)
        var summary: [(String, String)] = []
        var jsonItems: [JSONValue] = []
        let redact = try Redaction.function(ws)
        let worst = try AllProjectsRun.run(workspace: ws, request: request, tidy: TidyCommand.options(ws.config, nil, nil),
                                           harvest: harvest) { item in
            switch item {
            case .skipped(let top, let reason):
                summary.append((top, "skipped: \(reason)"))
                if pipeline.json { jsonItems.append(RunPrinter.skippedJSON(top, reason: reason)) }
            case .ran(let report):
                log?.record(report)
                if pipeline.json {
                    jsonItems.append(RunPrinter.json(report))
                    printer.printDiagnostics(report)
                } else {
                    printer.print(report)
                }
                summary.append((report.topLevel, RunPrinter.shortResult(report)))
            case .tidied(let top, let report):
                if !pipeline.json { TidyCommand.show(report, json: false, quiet: pipeline.quiet, redact: redact) }
                guard let t = report.result, t.changed else { summary.append((top, "tidy: nothing to do")); break }
                summary.append((top, "tidied: \(t.bulletsBefore) -> \(t.bulletsAfter) bullets (exit \(report.exitStatus.rawValue))"))
            case .tidyFailed(let top, let message):
                printNote("warning: \(top): tidy: \(message)")
                summary.append((top, "tidy failed (see the warning above)"))
            case .failed(let top, let message, let status):
                printError("\(top): \(message)")
                log?.failed(top, message: message, status: status)
                summary.append((top, "error: \(message)"))
                if pipeline.json { jsonItems.append(RunPrinter.errorJSON(top, message: message, status: status)) }
            }
        }
        if pipeline.json {
            FileHandleOutput.stdout.write(JSONValue.array(jsonItems).serialized(pretty: true) + "\n")
        } else if !pipeline.quiet {
            var out = "\nSummary (\(summary.count) repositor\(summary.count == 1 ? "y" : "ies") with sessions):\n"
            if summary.isEmpty { out += "  no repository with sessions on this machine\n" }
            for (path, result) in summary { out += "  \(Format.tilde(path, home: ws.environment.home))  \(result)\n" }
            FileHandleOutput.stdout.write(out)
        }
        return worst
    }
}

/// What `run` and `apply` share: how far to go, the machine, the secret policy, the lock, output.
struct PipelineOptions: ParsableArguments {
    @Flag(help: "Show the section that would be added; write, commit and push nothing.")
    var dryRun = false

    @Flag(help: "Commit but do not push.")
    var noPush = false

    @Option(help: ArgumentHelp("Machine name in the section heading (default: $CONTEXT_SYNC_MACHINE, config `machine`, host name).",
                               valueName: "NAME"))
    var machine: String?

    @Option(help: ArgumentHelp("abort (default; run --all: redact) or redact.", valueName: "POLICY"))
    var onSecret: SecretPolicyArgument?

    @Option(help: ArgumentHelp("Seconds to wait for another run on the same repository (default 10).", valueName: "SECONDS"))
    var lockWait: Double = 10

    @Flag(help: "Print a JSON object (run --all: one per repository, in an array).")
    var json = false

    @Flag(help: "Print nothing but errors, warnings and secrets.")
    var quiet = false

    func validate() throws {
        if lockWait < 0 { throw ValidationError("--lock-wait must be zero or more seconds") }
    }

    func request(_ ws: Workspace, projectPath: String?, defaultPolicy: SecretPolicy) throws -> RunRequest {
        var r = RunRequest(projectPath: projectPath,
                           machine: try MachineName.resolve(flag: machine, environment: ws.environment, config: ws.config),
                           date: MachineName.today())
        r.dryRun = dryRun
        r.sync.push = !noPush
        r.onSecret = onSecret?.policy ?? defaultPolicy
        r.lockWait = lockWait
        r.sync.pushOptions = LearningsPush.Options(maxAttempts: ws.config.pushAttempts ?? 3,
                                              attemptDeadline: ws.config.pushTimeoutSeconds ?? 60)
        return r
    }

    /// Prints one repository's report: JSON on stdout (diagnostics on stderr) or text.
    func show(_ report: RunReport, verbose: Bool) {
        let printer = RunPrinter(json: json, quiet: quiet, verbose: verbose)
        if json {
            FileHandleOutput.stdout.write(RunPrinter.json(report).serialized(pretty: true) + "\n")
            printer.printDiagnostics(report)
        } else {
            printer.print(report)
        }
    }
}

/// `--on-secret abort|redact`.
struct SecretPolicyArgument: ExpressibleByArgument {
    var policy: SecretPolicy

    init?(argument: String) {
        guard let p = SecretPolicy(rawValue: argument) else { return nil }
        policy = p
    }

    static var allValueStrings: [String] { SecretPolicy.allCases.map(\.rawValue) }
}

extension ExtractorOptions {
    /// The learnings of the report's new sessions and the new auto-memory entries (Core's `Harvest`).
    func harvest(report: ProjectSessionsReport, workspace ws: Workspace,
                 redact: @escaping (String) -> String) throws -> RunHarvest {
        try Harvest.run(report: report, workspace: ws, extractor: try resolved(config: ws.config), redact: redact)
    }
}
