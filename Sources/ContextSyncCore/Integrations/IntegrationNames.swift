/// Names shared by the installers and `doctor`: where each integration lives once installed.
public enum IntegrationNames {
    /// systemd user units, under `$XDG_CONFIG_HOME/systemd/user/` (default `~/.config/systemd/user/`).
    public static let systemdService = "context-sync.service"
    public static let systemdTimer = "context-sync.timer"
    /// The marker comment on the crontab line `install cron` adds.
    public static let cronMarker = "# context-sync (installed by `context-sync install cron`)"
    /// macOS LaunchAgent label; the plist is `~/Library/LaunchAgents/<label>.plist`.
    public static let launchdLabel = "dev.context-sync.run"
    /// The skill folder under Claude Code's root: `<root>/skills/context-sync/SKILL.md`.
    public static let skillFolder = "skills/context-sync"
    /// A line every hook script context-sync installs contains (to recognise its own files).
    public static let hookMarker = "# installed by context-sync"
}
