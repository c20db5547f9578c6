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
              context-sync digest              # read it, write the bullets
              context-sync apply <<'EOF'
              - Run the tests with `make check`; `make test` skips the integration suite.
              EOF
              context-sync apply --file learnings.txt --dry-run

            EXIT CODES
              0  done, or nothing new
              1  a secret was found (nothing written)
              2  usage error or bad input
              3  committed, push queued for the next run
              4  another run holds the repository's lock
            """
    )

    @OptionGroup var projectOption: ProjectOption
    var project: String? { projectOption.path }

    @Option(help: ArgumentHelp("Read the bullets from FILE instead of stdin.", valueName: "FILE"))
    var file: String?

    @OptionGroup var pipeline: PipelineOptions

    @OptionGroup var sessionOptions: SessionOptions

    func run() throws {
        Cancellation.install()
        try runReportingErrors {
            let text = try readInput()
            let bullets: [String]
            do {
                bullets = try ExternalExtractor.parseBullets(text)
            } catch {
                let source = file ?? "stdin"
                throw ContextSyncError("\(source): no learnings found (write one per line, starting with \"- \"; or \"No new learnings.\")")
            }
            // apply needs no Claude Code directory: the sessions it marks come from the digest.
            let ws = try Workspace(claudeDir: sessionOptions.claudeDir, settleMinutes: sessionOptions.settle)
                .allowingMissingRoot()
            let request = try pipeline.request(ws, projectPath: project, defaultPolicy: .abort)
            let report = try ProjectRun.run(workspace: ws, request: request) { sessions in
                let state = sessions.state
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
            pipeline.show(report, verbose: false)
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
