import ArgumentParser
import ContextSyncCore
import Foundation

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Append learnings written elsewhere (by the /context-sync skill's agent) and commit them.",
        discussion: """
            Reads learnings as markdown bullets, one per line ("- text"; indented lines continue a \
            bullet) from stdin or --file, then does what `run` does after extraction: checks them \
            for secrets, drops the ones already in .claude/learnings.md, writes, commits only \
            context-sync's files, pushes, and marks processed exactly the sessions the last \
            `context-sync digest` showed (sessions that appeared since stay new). Input "No new \
            learnings." (or nothing) writes nothing and still marks those sessions processed. \
            Absolute paths under the repository become relative.

            EXAMPLES
              context-sync digest > /tmp/digest.txt      # the agent reads it, writes bullets
              context-sync apply <<'EOF'
              - Run the tests with `make check`; `make test` skips the integration suite.
              EOF
              context-sync apply --file learnings.txt --dry-run

            EXIT CODES
              0 done  1 secret found (nothing written)  2 usage/bad input  3 push queued  4 locked
            """
    )

    @Option(help: ArgumentHelp("The repository (default: the current directory).", valueName: "PATH"))
    var project: String?

    @Option(help: ArgumentHelp("Read the bullets from FILE instead of stdin.", valueName: "FILE"))
    var file: String?

    @Flag(help: "Show the section that would be added; write, commit and push nothing.")
    var dryRun = false

    @Flag(help: "Commit but do not push.")
    var noPush = false

    @Option(help: ArgumentHelp("Machine name in the section heading (default: $CONTEXT_SYNC_MACHINE, config `machine`, host name).",
                               valueName: "NAME"))
    var machine: String?

    @Option(help: ArgumentHelp("abort (default) or redact.", valueName: "POLICY"))
    var onSecret: SecretPolicyArgument?

    @Option(help: ArgumentHelp("Seconds to wait for another run on the same repository (default 10).", valueName: "SECONDS"))
    var lockWait: Double = 10

    @OptionGroup var sessionOptions: SessionOptions

    @Flag(help: "Print a JSON object.")
    var json = false

    @Flag(help: "Print nothing but errors, warnings and secrets.")
    var quiet = false

    func validate() throws {
        if lockWait < 0 { throw ValidationError("--lock-wait must be zero or more seconds") }
    }

    func run() throws {
        try runReportingErrors {
            let text = try readInput()
            let bullets: [String]
            do {
                bullets = try ExternalExtractor.parseBullets(text)
            } catch {
                let source = file ?? "stdin"
                throw ContextSyncError("\(source): no learnings found (write one per line, starting with \"- \"; or \"No new learnings.\")")
            }
            let ws = try Workspace(claudeDir: sessionOptions.claudeDir, settleMinutes: sessionOptions.settle)
            var request = RunRequest(projectPath: project,
                                     machine: try MachineName.resolve(flag: machine, environment: ws.environment, config: ws.config),
                                     date: MachineName.today())
            request.dryRun = dryRun
            request.push = !noPush
            request.onSecret = onSecret?.policy ?? .abort
            request.lockWait = lockWait
            request.pushOptions = LearningsPush.Options(maxAttempts: ws.config.pushAttempts ?? 3,
                                                        attemptDeadline: ws.config.pushTimeoutSeconds ?? 60)
            let report = try ProjectRun.run(workspace: ws, request: request) { sessions, state in
                let normalizer = PathNormalizer(repoRoots: sessions.project.worktrees, home: ws.environment.home)
                var warnings: [String] = []
                var marks: [SessionMark] = []
                if let digest = state.lastDigest {
                    marks = digest.sessions
                } else {
                    warnings.append("no digest recorded for this project: no session is marked processed (run `context-sync digest` first)")
                }
                return RunHarvest(bullets: bullets.map(normalizer.normalize), sessions: marks, warnings: warnings,
                                  consumesDigest: state.lastDigest != nil)
            }
            let printer = RunPrinter(json: json, quiet: quiet, verbose: false)
            if json {
                FileHandleOutput.stdout.write(RunPrinter.json(report).serialized(pretty: true) + "\n")
                printer.printDiagnostics(report)
            } else {
                printer.print(report)
            }
            return report.exitStatus
        }
    }

    func readInput() throws -> String {
        let data: Data
        if let file {
            guard let d = FileManager.default.contents(atPath: file) else {
                throw ContextSyncError("cannot read \(file) (check the path)")
            }
            data = d
        } else {
            data = FileHandle.standardInput.readDataToEndOfFile()
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ContextSyncError("\(file ?? "stdin") is not UTF-8 text")
        }
        return text
    }
}
