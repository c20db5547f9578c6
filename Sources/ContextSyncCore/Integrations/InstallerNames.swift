extension IntegrationNames {
    /// Text in a comment of every file an installer generates (skill, systemd units, plist) and in
    /// the Claude Code hook command: an installer overwrites or removes only what contains it.
    /// (The crontab line carries `cronMarker` instead.)
    public static let installedMarker = "installed by context-sync"
    /// Suffix of the copy of Claude Code's settings.json kept before `install claude-hook` changes it.
    public static let claudeSettingsBackupSuffix = ".context-sync.bak"
    /// The LaunchAgent's log file, under `~/Library/Logs/`.
    public static let launchdLogFile = "context-sync.log"
    /// Environment variables naming the programs the installers call (tests point them at fakes).
    public static let systemctlVariable = "CONTEXT_SYNC_SYSTEMCTL"
    public static let crontabVariable = "CONTEXT_SYNC_CRONTAB"
    public static let launchctlVariable = "CONTEXT_SYNC_LAUNCHCTL"
}
