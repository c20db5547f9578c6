import ArgumentParser

/// `context-sync install <what>`: one command to install each integration, `--uninstall` to undo.
struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install (or with --uninstall, remove) an integration: skill, timer, cron, launchd, hook, claude-hook, completions.",
        discussion: """
            Each integration is one subcommand; running it twice changes nothing, and \
            --uninstall removes only what context-sync wrote.

            EXAMPLES
              context-sync install skill            # /context-sync in Claude Code
              context-sync install timer --every 30m
              context-sync install hook             # pre-push secret check and harvest
              context-sync install claude-hook      # run when a Claude Code session ends
              context-sync install completions      # shell completions (bash, zsh, fish)
              context-sync install timer --uninstall
            """,
        subcommands: [
            InstallSkillCommand.self,
            InstallTimerCommand.self,
            InstallCronCommand.self,
            InstallLaunchdCommand.self,
            InstallHookCommand.self,
            InstallClaudeHookCommand.self,
            InstallPatternsCommand.self,
            InstallCompletionsCommand.self,
        ]
    )
}
