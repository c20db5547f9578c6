import ContextSyncCore
import Foundation
import Testing

/// Issue 14's "failures that show" for the installers: the cron line and the SessionEnd hook keep
/// the run's stderr (old lines are upgraded in place), and `install timer` reports what systemctl
/// actually did. Same sandbox as `InstallCLITests` (fake HOME, systemctl, crontab).
@Suite struct UnattendedInstallCLITests {
    typealias Sandbox = InstallCLITests.Sandbox

    @Test func anOldCronLineThatDiscardedStderrIsUpgradedAndTheNewOneKeepsIt() throws {
        let s = try Sandbox()
        let old = "17 * * * * \(s.binary) run --all --quiet >/dev/null 2>&1 \(IntegrationNames.cronMarker)"
        try s.write("MAILTO=\"\"\n\(old)\n", to: s.crontabFile)
        let r = try s.run(["cron"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("updated the crontab line: "), "\(r.stdout)")
        let table = try #require(s.read(s.crontabFile))
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 && lines[0] == "MAILTO=\"\"")
        #expect(!table.contains("2>&1") && lines[1].contains("2>>"))

        // The installed line's command, run by sh as cron does, with the state folder not there
        // yet and the binary gone (a deleted clone): the shell's error lands in the state folder.
        let command = lines[1].split(separator: " ", maxSplits: 5).last.map(String.init)?
            .replacingOccurrences(of: " " + IntegrationNames.cronMarker, with: "")
            .replacingOccurrences(of: s.binary, with: s.dir + "/bin/missing") ?? ""
        #expect(command.hasPrefix("mkdir -p "), "\(command)")
        _ = CLIProcess.run(["/bin/sh", "-c", command], env: ["PATH": "/usr/bin:/bin"], cwd: s.dir)
        #expect(s.read(s.dir + "/state/context-sync/unattended.err")?.contains("missing") == true)

        #expect(try s.run(["cron", "--uninstall"]).stdout.hasPrefix("removed from the crontab: "))
        #expect(s.read(s.crontabFile) == "MAILTO=\"\"\n")
    }

    @Test func anOldSessionEndHookThatDiscardedStderrIsUpgraded() throws {
        let s = try Sandbox()
        let path = s.claude + "/settings.json"
        let old = "nohup \(s.binary) run --if-opted-in --quiet --settle 0 </dev/null >/dev/null 2>&1 & # installed by context-sync"
        try s.write(#"{"hooks": {"SessionEnd": [{"hooks": [{"type": "command", "command": "\#(old)"}]}]}}"# + "\n", to: path)
        let r = try s.run(["claude-hook"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("updated the SessionEnd hook in \(path)"), "\(r.stdout)")
        let v = try JSONParser.parse(try #require(s.read(path)))
        let commands = v["hooks"]?["SessionEnd"]?.array?.flatMap { $0["hooks"]?.array ?? [] }.compactMap { $0["command"]?.string } ?? []
        #expect(commands.count == 1)
        #expect(commands.first?.contains(" 2>>\(s.dir)/state/context-sync/unattended.err & # installed by context-sync") == true, "\(commands)")
        #expect(try s.run(["claude-hook", "--uninstall"]).stdout.contains("removed the context-sync SessionEnd hook"))
    }

    // MARK: timer messages

    @Test func systemctlsCreatedSymlinkOnStderrIsNotAFailure() throws {
        let s = try Sandbox()
        try s.script("systemctl", """
            echo "systemctl $*" >> '\(s.log)'
            case "$2" in
              enable) echo "Created symlink /home/u/.config/systemd/user/timers.target.wants/context-sync.timer → /home/u/.config/systemd/user/context-sync.timer." >&2 ;;
              disable) echo "Removed \"/home/u/.config/systemd/user/timers.target.wants/context-sync.timer\"." >&2 ;;
            esac
            exit 0
            """)
        let r = try s.run(["timer"])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        #expect(r.stdout.contains("enabled context-sync.timer: runs hourly"), "\(r.stdout)")
        let un = try s.run(["timer", "--uninstall"])
        #expect(un.status == 0 && un.stderr.isEmpty, "\(un.stderr)")
        #expect(un.stdout.hasPrefix("disabled context-sync.timer\n"))
    }

    @Test func aTimerThatIsEnabledButFailsToStartSaysSo() throws {
        let s = try Sandbox()
        try s.script("systemctl", """
            echo "systemctl $*" >> '\(s.log)'
            case "$2" in
              enable) echo "Created symlink /u/timers.target.wants/context-sync.timer → /u/context-sync.timer." >&2
                      echo "Job for context-sync.timer failed because the control process exited with error code." >&2; exit 1 ;;
              daemon-reload) [ -e '\(s.dir)/reload-fails' ] && { echo "Failed to connect to bus: No medium found" >&2; exit 1; } ;;
            esac
            exit 0
            """)
        let r = try s.run(["timer"])
        #expect(r.status == 0)
        #expect(r.stderr == "context-sync: warning: enabled context-sync.timer (Created symlink /u/timers.target.wants/context-sync.timer → /u/context-sync.timer.), but starting it failed (status 1: Job for context-sync.timer failed because the control process exited with error code.); the unit files are in place; run by hand: journalctl --user -u context-sync.timer to see why, then systemctl --user start context-sync.timer\n", "\(r.stderr)")
        #expect(!r.stdout.contains("enabled context-sync.timer:"))

        // Uninstall: a failing daemon-reload after the files are gone does not claim they are in place.
        try s.write("", to: s.dir + "/reload-fails")
        let un = try s.run(["timer", "--uninstall"])
        #expect(un.status == 0)
        #expect(un.stdout.contains("removed \(s.units)/context-sync.timer"))
        #expect(un.stderr == "context-sync: warning: systemctl --user daemon-reload failed (status 1: Failed to connect to bus: No medium found); the unit files are removed; run by hand: systemctl --user daemon-reload\n", "\(un.stderr)")
    }

}
