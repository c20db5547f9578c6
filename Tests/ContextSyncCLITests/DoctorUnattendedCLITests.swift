#if canImport(Glibc)
import Glibc
#endif
import ContextSyncCore
import Foundation
import Testing

/// The doctor's checks of unattended use (issue 14): the timer as systemctl sees it (a fake
/// systemctl), the skill without context-sync on PATH, and credential advice that never points
/// at a plain-text store. Same temp HOME as `DoctorCLITests`.
@Suite("CLI: doctor, unattended")
struct DoctorUnattendedCLITests {
    typealias Home = DoctorCLITests.Home

    static func line(_ r: CLIProcess.Result, _ check: String) -> String? {
        r.stdout.split(separator: "\n").map(String.init).first { $0.dropFirst(5).hasPrefix(check + ":") }
    }

    /// `~/.config/systemd/user/context-sync.{service,timer}` and a fake systemctl with `body`.
    static func timerHome(systemctl body: String?) throws -> Home {
        var h = try Home()
        let units = h.home + "/.config/systemd/user"
        try FileManager.default.createDirectory(atPath: units, withIntermediateDirectories: true)
        for name in ["context-sync.service", "context-sync.timer"] {
            try "# installed by context-sync\n".write(toFile: units + "/" + name, atomically: true, encoding: .utf8)
        }
        let fake = h.dir + "/fake-systemctl"
        if let body {
            try ("#!/bin/sh\necho \"$*\" >> '\(h.dir)/systemctl.calls'\n" + body + "\n").write(toFile: fake, atomically: true, encoding: .utf8)
            chmod(fake, 0o755)
        }
        h.env["CONTEXT_SYNC_SYSTEMCTL"] = fake
        return h
    }

    @Test func anEnabledTimerShowsItsLastAndNextRun() throws {
        let h = try Self.timerHome(systemctl: """
            case "$2" in
              is-enabled) echo enabled ;;
              show) printf 'LastTriggerUSec=Wed 2026-12-02 01:17:00 UTC\\nNextElapseUSecRealtime=Wed 2026-12-02 02:17:00 UTC\\n' ;;
              *) exit 9 ;;
            esac
            """)
        let r = h.doctor()
        #expect(Self.line(r, "timer") == "OK   timer: enabled (~/.config/systemd/user/context-sync.timer); last run: Wed 2026-12-02 01:17:00 UTC; next: Wed 2026-12-02 02:17:00 UTC", "\(r.stdout)")
        let calls = (try? String(contentsOfFile: h.dir + "/systemctl.calls", encoding: .utf8)) ?? ""
        #expect(calls == "--user is-enabled context-sync.timer\n--user show context-sync.timer --property=LastTriggerUSec,NextElapseUSecRealtime\n")
        #expect(Self.line(r, "queued pushes") == "OK   queued pushes: none")
        #expect(Self.line(r, "last unattended run") == "OK   last unattended run: none logged yet in ~/.local/state/context-sync/runs.log")
    }

    @Test func aDisabledTimerWarnsAndAMissingOrUnusableSystemctlIsSaidNotFailed() throws {
        let disabled = try Self.timerHome(systemctl: "[ \"$2\" = is-enabled ] && { echo disabled; exit 1; }\nexit 0")
        let r = disabled.doctor()
        #expect(Self.line(r, "timer") == "WARN timer: installed (~/.config/systemd/user/context-sync.timer) but not enabled (systemctl: disabled), so nothing runs — systemctl --user enable --now context-sync.timer", "\(r.stdout)")
        #expect(r.status == 0, "a WARN, not a FAIL")

        let missing = try Self.timerHome(systemctl: nil).doctor()
        #expect(Self.line(missing, "timer") == "OK   timer: installed (~/.config/systemd/user/context-sync.timer); systemctl not found, so whether it is enabled was not checked", "\(missing.stdout)")

        let noBus = try Self.timerHome(systemctl: "echo 'Failed to connect to bus: No medium found' >&2; exit 1").doctor()
        #expect(Self.line(noBus, "timer") == "OK   timer: installed (~/.config/systemd/user/context-sync.timer); systemctl --user is not usable here (Failed to connect to bus: No medium found), so whether it is enabled was not checked", "\(noBus.stdout)")
    }

    @Test func anInstalledSkillWithoutContextSyncOnPathWarns() throws {
        var h = try Home()
        let skill = h.home + "/.claude/skills/context-sync"
        try FileManager.default.createDirectory(atPath: skill, withIntermediateDirectories: true)
        try "---\nname: context-sync\n---\n".write(toFile: skill + "/SKILL.md", atomically: true, encoding: .utf8)
        let off = h.doctor()
        #expect(Self.line(off, "skill") == "WARN skill: installed (~/.claude/skills/context-sync/SKILL.md), but context-sync is not on PATH, so the commands the skill runs fail — scripts/install.sh (installs ~/.local/bin/context-sync), and put ~/.local/bin on PATH", "\(off.stdout)")

        let bin = h.dir + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin + "/context-sync", withDestinationPath: CLI.binary)
        h.env["PATH"] = bin + ":/usr/bin:/bin"
        #expect(Self.line(h.doctor(), "skill") == "OK   skill: installed (~/.claude/skills/context-sync/SKILL.md)")
    }

    @Test func credentialAdviceIsTheKeychainAndAPlainTextStoreWarns() throws {
        var h = try Home()
        h.env.removeValue(forKey: "CONTEXT_SYNC_GIT_TOKEN")
        try CLI.git(["remote", "set-url", "origin", "https://git.example.test/team/app.git"], in: h.work)
        let none = h.doctor()
        let credentials = try #require(Self.line(none, "credentials"), "\(none.stdout)")
        #expect(credentials.hasPrefix("WARN credentials: none for git.example.test"))
        #expect(credentials.contains("git-credential-libsecret") || credentials.contains("osxkeychain"), "\(credentials)")
        #expect(!none.stdout.contains("credential.helper store"))

        try CLI.git(["config", "credential.helper", "store"], in: h.work)
        let store = h.doctor()
        let warn = try #require(Self.line(store, "credential store"), "\(store.stdout)")
        #expect(warn.hasPrefix("WARN credential store: credential.helper is \"store\": the password sits in plain text in ~/.git-credentials — "))
        #expect(warn.contains("libsecret") || warn.contains("osxkeychain"))
        #expect(!store.stdout.contains("credential.helper store"))
        try CLI.git(["config", "credential.helper", "cache --timeout 600"], in: h.work)
        #expect(Self.line(h.doctor(), "credential store") == nil)
    }

    @Test func oldCronLinesAndHooksThatDiscardErrorsWarn() throws {
        let h = try Home()
        try "#!/bin/sh\necho '17 * * * * /x/context-sync run --all --quiet >/dev/null 2>&1 \(IntegrationNames.cronMarker)'\n"
            .write(toFile: h.dir + "/fake-crontab", atomically: true, encoding: .utf8)
        chmod(h.dir + "/fake-crontab", 0o755)
        try FileManager.default.createDirectory(atPath: h.home + "/.claude", withIntermediateDirectories: true)
        let old = "nohup /x/context-sync run --if-opted-in --quiet --settle 0 </dev/null >/dev/null 2>&1 & # installed by context-sync"
        try #"{"hooks": {"SessionEnd": [{"hooks": [{"type": "command", "command": "\#(old)"}]}]}}"#
            .write(toFile: h.home + "/.claude/settings.json", atomically: true, encoding: .utf8)
        let r = h.doctor()
        #expect(Self.line(r, "cron") == "WARN cron: installed by an older version: the line ends in >/dev/null 2>&1, so its errors are thrown away — context-sync install cron (replaces the line in place)", "\(r.stdout)")
        #expect(Self.line(r, "claude hook")?.hasPrefix("WARN claude hook: the SessionEnd hook in ~/.claude/settings.json was installed by an older version: it ends in >/dev/null 2>&1") == true, "\(r.stdout)")
        #expect(Self.line(r, "timer")?.hasPrefix("OK   timer: not installed; the cron schedules runs") == true, "still scheduled: \(r.stdout)")
    }
}
