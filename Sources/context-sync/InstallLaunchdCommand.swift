import ArgumentParser
import ContextSyncCore

/// `context-sync install launchd`: a macOS LaunchAgent running `context-sync run --all`.
struct InstallLaunchdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "launchd",
        abstract: "Run `context-sync run --all` from a macOS LaunchAgent (or remove it with --uninstall).",
        discussion: """
            Writes ~/Library/LaunchAgents/dev.context-sync.run.plist (StartInterval 3600 seconds, \
            or --every; not at load; low priority; output to ~/Library/Logs/context-sync.log), \
            running this binary (or --binary) as `run --all --quiet`, and loads it with \
            `launchctl bootstrap gui/<uid>`. On Linux it refuses (exit 2; use `install timer`); \
            where launchctl is missing the file is still written and a warning says it was not \
            loaded. A plist of that name that \
            context-sync did not write is never overwritten (exit 2). Running it twice changes \
            nothing. --uninstall runs `launchctl bootout` and removes the file.

            $CONTEXT_SYNC_LAUNCHCTL replaces the launchctl program; $CONTEXT_SYNC_PLATFORM \
            (macos, linux) the detected system.

            EXAMPLES
              context-sync install launchd
              context-sync install launchd --every 30m \\
                --binary /opt/homebrew/bin/context-sync
              context-sync install launchd --uninstall
            """
    )

    @Flag(help: "Unload the agent and remove its plist instead.")
    var uninstall = false

    @OptionGroup var scheduleOptions: ScheduleOptions

    func run() throws {
        try runInstaller(uninstall: uninstall) {
            let env = Environment.current
            if !uninstall { try HostPlatform.current(env).require(.macOS, for: "launchd", instead: "timer") }
            return LaunchdInstaller(
                home: env.home,
                executable: try scheduleOptions.binary.executable(),
                schedule: try scheduleOptions.schedule(),
                tools: .live(environment: env),
                created: CreatedDirectories(stateDirectory: env.stateDirectory))
        }
    }
}
