import ArgumentParser
import ContextSyncCore

/// `context-sync install skill`: the `/context-sync` Claude Code skill.
struct InstallSkillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skill",
        abstract: "Install the /context-sync skill for Claude Code (or remove it with --uninstall).",
        discussion: """
            Writes <claude root>/skills/context-sync/SKILL.md (claude root: --claude-dir, else \
            $CLAUDE_CONFIG_DIR, else ~/.claude). In Claude Code, /context-sync (or asking to "save \
            what we learned") then has the running agent read `context-sync digest`, write the \
            learnings itself, show them to you and pass them to `context-sync apply`. \
            `/context-sync --dry-run` shows them and writes nothing.

            An existing SKILL.md with other content (edited, or from another version) is left alone: \
            --force replaces it after copying it to SKILL.md.bak. --uninstall removes the file only \
            when context-sync wrote it. Running it twice changes nothing.

            EXAMPLES
              context-sync install skill
              context-sync install skill --force
              context-sync install skill --claude-dir ~/.claude-work
              context-sync install skill --uninstall
            """
    )

    @Flag(help: "Remove the skill instead.")
    var uninstall = false

    @Flag(help: "Replace an existing SKILL.md with other content (it is kept as SKILL.md.bak).")
    var force = false

    @OptionGroup var claudeDirOption: ClaudeDirOption
    var claudeDir: String? { claudeDirOption.path }

    func run() throws {
        try runReportingErrors {
            // The same root every command uses: --claude-dir, else $CLAUDE_CONFIG_DIR / config claude_dir, else ~/.claude.
            let installer = SkillInstaller(
                claudeRoot: try Workspace(claudeDir: claudeDir, settleMinutes: nil).root.path,
                created: CreatedDirectories(stateDirectory: Environment.current.stateDirectory))
            printInstallReport(uninstall ? try installer.uninstall() : try installer.install(force: force))
            return .ok
        }
    }
}
