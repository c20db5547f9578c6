import ArgumentParser
import ContextSyncCore

/// `context-sync install completions`: ArgumentParser's completion script in the user's
/// completion folder of bash, zsh or fish (`CompletionsInstaller`).
struct InstallCompletionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completions",
        abstract: "Install shell completions for bash, zsh or fish (or remove them with --uninstall).",
        discussion: """
            Writes the completion script (what `context-sync --generate-completion-script \
            <shell>` prints) to:
              bash  ~/.local/share/bash-completion/completions/context-sync
              zsh   ~/.zfunc/_context-sync (add ~/.zfunc to fpath in ~/.zshrc)
              fish  ~/.config/fish/completions/context-sync.fish
            ($XDG_DATA_HOME and $XDG_CONFIG_HOME replace ~/.local/share and ~/.config when set.)
            The shell is --shell, else the one $SHELL names. A new shell picks it up. Running it \
            twice changes nothing; a file there that context-sync did not write is left alone. \
            --uninstall removes only context-sync's file (every shell's, without --shell).

            EXAMPLES
              context-sync install completions
              context-sync install completions --shell zsh
              context-sync install completions --uninstall
            """
    )

    @Option(help: ArgumentHelp("bash, zsh or fish (default: the shell $SHELL names).", valueName: "SHELL"))
    var shell: String?

    @Flag(help: "Remove the completion script instead.")
    var uninstall = false

    func run() throws {
        try runReportingErrors {
            let env = Environment.current
            let named = try shell.map { name in
                guard let s = CompletionsInstaller.Shell(rawValue: name) else {
                    throw ContextSyncError("--shell \(name): not a shell context-sync has completions for (use bash, zsh or fish)")
                }
                return s
            }
            if uninstall {
                for s in named.map({ [$0] }) ?? CompletionsInstaller.Shell.allCases {
                    printInstallReport(try CompletionsInstaller(shell: s, environment: env).uninstall())
                }
                return .ok
            }
            guard let target = named ?? CompletionsInstaller.loginShell(env) else {
                throw ContextSyncError("cannot tell your shell from $SHELL (pass --shell bash, zsh or fish)")
            }
            let script = ContextSync.completionScript(for: CompletionShell(rawValue: target.rawValue)!)
            printInstallReport(try CompletionsInstaller(shell: target, environment: env).install(script: script))
            return .ok
        }
    }
}
