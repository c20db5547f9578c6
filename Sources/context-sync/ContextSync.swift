import ArgumentParser
import ContextSyncCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

@main
struct ContextSync: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "context-sync",
        abstract: "Mine Claude Code sessions for learnings and sync them through git.",
        discussion: """
            context-sync finds the Claude Code sessions of a git repository on this machine, keeps \
            what a future session would wish it knew, and shares it through .claude/learnings.md.

            EXIT CODES
              0  ok, or nothing new
              1  findings (a secret was found)
              2  usage error or bad input (e.g. not a git repository)
              3  committed but not pushed (queued for the next run)
              4  another run holds the repository's lock
            """,
        version: "context-sync \(ContextSyncVersion.string) (libgit2 \(GitLibrary.version))",
        subcommands: [
            RunCommand.self,
            ApplyCommand.self,
            TidyCommand.self,
            StaleCommand.self,
            PatternsCommand.self,
            SessionsCommand.self,
            ProjectsCommand.self,
            DigestCommand.self,
            ExtractCommand.self,
            ScanCommand.self,
            DemoCommand.self,
            InstallCommand.self,
            HookCommand.self,
            DoctorCommand.self,
            LogCommand.self,
            PushOnceCommand.self,
        ]
    )

    /// Unknown config keys, one warning line each on stderr, for every command but `doctor`
    /// (which reports them as WARN), `demo` (which reads no config) and the internal `push-once`.
    /// A config that cannot be loaded at all is left to the command (an error where it matters).
    static func printConfigWarnings(for command: ParsableCommand) {
        if command is DoctorCommand || command is DemoCommand || command is PushOnceCommand { return }
        guard let config = try? Config.load(environment: .current) else { return }
        for w in config.warnings { printWarning(w) }
    }

    /// Like ArgumentParser's default entry point, except that usage errors exit with the
    /// documented code 2 instead of 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            printConfigWarnings(for: command)
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandleOutput.stderr.write(fullMessage(for: error) + "\n")
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}
