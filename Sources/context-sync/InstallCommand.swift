import ArgumentParser

/// `context-sync install <what>`: one command to install each integration, `--uninstall` to undo.
struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install (or with --uninstall, remove) an integration: skill, timer, cron, launchd, hook, claude-hook.",
        subcommands: [
            InstallSkillCommand.self,
            InstallTimerCommand.self,
            InstallCronCommand.self,
            InstallLaunchdCommand.self,
            InstallHookCommand.self,
            InstallClaudeHookCommand.self,
            InstallPatternsCommand.self,
        ]
    )
}
