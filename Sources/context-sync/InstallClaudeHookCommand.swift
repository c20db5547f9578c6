import ArgumentParser
import ContextSyncCore

/// `context-sync install claude-hook`: Claude Code's SessionEnd hook runs `context-sync run`.
struct InstallClaudeHookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claude-hook",
        abstract: "Run `context-sync run` whenever a Claude Code session ends (or remove the hook with --uninstall).",
        discussion: """
            Adds a SessionEnd hook to <claude root>/settings.json (claude root: --claude-dir, else \
            $CLAUDE_CONFIG_DIR, else ~/.claude). Its command starts this binary (or --binary) as \
            `run --quiet` in the background with nohup, so ending a session is not delayed; it \
            runs in the session's project directory, logs one line to the run log (see \
            `context-sync log`) and appends its stderr to \
            $XDG_STATE_HOME/context-sync/unattended.err. Only the hook entry changes: every other \
            byte of the file is kept. Before the first change the file is copied to \
            settings.json.context-sync.bak, and that first backup is never overwritten. Running \
            it twice changes nothing. --uninstall removes only context-sync's hook entry (and \
            containers it created), and the backup once the file is back to its bytes.

            A settings.json that is not valid JSON is not touched (exit 2): fix it first.

            EXAMPLES
              context-sync install claude-hook
              context-sync install claude-hook --binary ~/.local/bin/context-sync
              context-sync install claude-hook --uninstall
            """
    )

    @Flag(help: "Remove context-sync's SessionEnd hook instead.")
    var uninstall = false

    @OptionGroup var claudeDirOption: ClaudeDirOption
    var claudeDir: String? { claudeDirOption.path }

    @OptionGroup var binary: BinaryOption

    func run() throws {
        try runInstaller(uninstall: uninstall) {
            ClaudeHookInstaller(
                claudeRoot: try Workspace(claudeDir: claudeDir, settleMinutes: nil).root.path,
                executable: try binary.executable(),
                errorFile: Environment.current.stateDirectory + "/" + RunLog.stderrFileName,
                created: CreatedDirectories(stateDirectory: Environment.current.stateDirectory))
        }
    }
}
