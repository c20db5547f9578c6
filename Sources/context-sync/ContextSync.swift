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

            EXAMPLES
              context-sync demo               # try it on sample sessions
              context-sync sessions           # this repository's sessions
              context-sync run --dry-run      # show what a run would add
              context-sync run                # add them, commit and push
              context-sync install timer      # run hourly for opted-in repositories
              context-sync doctor             # check the setup
              context-sync help install       # help for one command

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

    /// Like ArgumentParser's default entry point, except that argument errors are one line in
    /// the house style (`UsageErrors`) and exit with the documented code 2 instead of 64, and
    /// any other unexpected error is one `context-sync: error:` line too. `--help`, `--version`
    /// and the exit codes commands throw are ArgumentParser's.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        // An unknown command is an error even with --help (ArgumentParser would show the
        // parent's help and exit 0).
        if UsageErrors.commandPath(arguments).unknown != nil {
            printError(UsageErrors.message(for: ValidationError(""), arguments: arguments))
            Foundation.exit(ExitStatus.usage.rawValue)
        }
        do {
            var command = try parseAsRoot(arguments)
            printConfigWarnings(for: command)
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                printError(UsageErrors.message(for: error, arguments: arguments))
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            if code != .success, !(error is ExitCode) {
                printError(UsageErrors.oneLine(message(for: error)))
                Foundation.exit(code.rawValue)
            }
            exit(withError: error)
        }
    }
}
