import ArgumentParser
import ContextSyncCore
import Foundation

/// `context-sync install hook`: the git pre-push hook (templates/pre-push) in one repository.
struct InstallHookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Install (or with --uninstall, remove) the git pre-push hook in a repository.",
        discussion: """
            The hook refuses a push whose commits add a secret to .claude/learnings.md, CLAUDE.md \
            or .claude/CLAUDE.md, and otherwise harvests learnings for the next push (see \
            `context-sync hook pre-push --help`). It goes into core.hooksPath when that is set, \
            else into the repository's common hooks directory, which linked worktrees share.

            An existing pre-push hook is never replaced: it is renamed to pre-push.local and runs \
            first, with the same arguments and input; if it fails, the push fails. --uninstall \
            removes context-sync's hook and renames pre-push.local back to pre-push. Installing \
            again is harmless (it refreshes the script).

            When core.hooksPath comes from the global or system git config, the hook would run \
            for every repository: install and --uninstall refuse (exit 2) unless --global is \
            given.

            The script calls `context-sync` from PATH, else the absolute path of this binary (or \
            --binary); when neither exists it lets the push go on with a note.

            EXAMPLES
              context-sync install hook
              context-sync install hook --project ~/src/app
              context-sync install hook --binary ~/.local/bin/context-sync
              context-sync install hook --uninstall
            """
    )

    @Option(help: ArgumentHelp("The repository (any directory inside it; default: the current directory).", valueName: "PATH"))
    var project: String?

    @Flag(help: "Remove context-sync's hook and restore the hook it chained, if any.")
    var uninstall = false

    @Flag(help: "Go on when core.hooksPath is set in the global or system git config (the hook then runs for every repository).")
    var global = false

    @OptionGroup var binary: BinaryOption

    func run() throws {
        try runReportingErrors {
            let path = project ?? FileManager.default.currentDirectoryPath
            let out = FileHandleOutput.stdout
            if uninstall {
                let r = try HookInstaller.uninstall(repositoryAt: path, global: global)
                switch r.outcome {
                case .removed(restored: true):
                    out.write("Removed context-sync's pre-push hook; restored the previous hook as \(r.hookPath)\n")
                case .removed(restored: false):
                    out.write("Removed context-sync's pre-push hook: \(r.hookPath)\n")
                case .restoredOnly:
                    out.write("context-sync's hook was already gone; restored \(r.chainedPath) as \(r.hookPath)\n")
                case .notOurs:
                    out.write("Nothing removed: \(r.hookPath) is not context-sync's hook (left as it is)\n")
                case .notInstalled:
                    out.write("Nothing to remove: no context-sync pre-push hook in \((r.hookPath as NSString).deletingLastPathComponent)\n")
                }
                return .ok
            }
            let r = try HookInstaller.install(repositoryAt: path, binary: try binary.executable(), global: global)
            switch r.outcome {
            case .installed: out.write("Installed the pre-push hook: \(r.hookPath)\n")
            case .chained:
                out.write("Installed the pre-push hook: \(r.hookPath)\n")
                out.write("The existing hook is now \(r.chainedPath ?? "pre-push.local") and runs first (--uninstall restores it)\n")
            case .updated: out.write("Updated the pre-push hook: \(r.hookPath)\n")
            case .unchanged: out.write("The pre-push hook is already installed: \(r.hookPath)\n")
            }
            if r.outcome != .chained, let chained = r.chainedPath {
                out.write("It runs \(chained) first\n")
            }
            if r.shared { out.write("core.hooksPath is global: git runs this hook for every repository that does not set its own\n") }
            return .ok
        }
    }
}
