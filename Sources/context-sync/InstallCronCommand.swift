import ArgumentParser
import ContextSyncCore

/// `context-sync install cron`: one crontab line running `context-sync run --all`.
struct InstallCronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cron",
        abstract: "Run `context-sync run --all` from your crontab (or remove the line with --uninstall).",
        discussion: """
            Adds one line to your crontab (read with `crontab -l`, written with `crontab -`): \
            hourly (or --every) at a minute derived from the host name, running this binary (or \
            --binary) as `run --all --quiet`, and marked with the comment \
            "# context-sync (installed by `context-sync install cron`)". The run logs one line per \
            repository (see `context-sync log`); its stderr is appended to \
            $XDG_STATE_HOME/context-sync/unattended.err. Every other line stays \
            byte for byte. Running it twice changes nothing; with another --every or --binary the \
            marked line is replaced. --uninstall removes only the marked line (and the whole \
            crontab when nothing else is left in it).

            Cron runs with a minimal environment: if pushing needs an SSH agent or a credential \
            helper, prefer `context-sync install timer`.

            $CONTEXT_SYNC_CRONTAB replaces the crontab program.

            EXAMPLES
              context-sync install cron
              context-sync install cron --every 2h
              context-sync install cron --uninstall
            """
    )

    @Flag(help: "Remove context-sync's crontab line instead.")
    var uninstall = false

    @OptionGroup var scheduleOptions: ScheduleOptions

    func run() throws {
        try runInstaller(uninstall: uninstall) {
            CronInstaller(
                executable: try scheduleOptions.binary.executable(),
                schedule: try scheduleOptions.schedule(),
                tools: .live(environment: .current),
                errorFile: Environment.current.stateDirectory + "/" + RunLog.stderrFileName)
        }
    }
}
