import ArgumentParser
import ContextSyncCore

/// `context-sync install timer`: a systemd user timer running `context-sync run --all`.
struct InstallTimerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timer",
        abstract: "Run `context-sync run --all` on a systemd user timer (or remove it with --uninstall).",
        discussion: """
            Writes context-sync.service and context-sync.timer to $XDG_CONFIG_HOME/systemd/user/ \
            (default ~/.config/systemd/user/), then runs `systemctl --user daemon-reload` and \
            `systemctl --user enable --now context-sync.timer`. The service runs this binary (or \
            --binary) as `run --all --quiet`, at low CPU and IO priority. The timer fires hourly \
            (or --every) at a minute derived from the host name, with Persistent=true so a run \
            missed while the machine was off happens at the next boot.

            When systemctl is missing or fails, the files stay written, a warning gives the command \
            to run by hand, and the exit status is 0. A file of that name that context-sync did not \
            write is never overwritten (exit 2). Running it twice changes nothing. --uninstall \
            disables the timer, removes both files and reloads systemd.

            On macOS it refuses (exit 2; use `install launchd`). $CONTEXT_SYNC_SYSTEMCTL replaces \
            the systemctl program; $CONTEXT_SYNC_PLATFORM (macos, linux) the detected system.

            EXAMPLES
              context-sync install timer
              context-sync install timer --every 30m
              context-sync install timer --binary ~/.local/bin/context-sync
              context-sync install timer --uninstall
            """
    )

    @Flag(help: "Disable the timer and remove its unit files instead.")
    var uninstall = false

    @OptionGroup var scheduleOptions: ScheduleOptions

    func run() throws {
        try runInstaller(uninstall: uninstall) {
            let env = Environment.current
            if !uninstall { try HostPlatform.current(env).require(.linux, for: "timer", instead: "launchd") }
            return SystemdTimerInstaller(
                unitDirectory: SystemdTimerInstaller.defaultUnitDirectory(env),
                executable: try scheduleOptions.binary.executable(),
                schedule: try scheduleOptions.schedule(),
                tools: .live(environment: env),
                created: CreatedDirectories(stateDirectory: env.stateDirectory))
        }
    }
}
