// Over 400 lines: one suite for the installers' shared contract (write, rerun, uninstall, refuse), case by case.
import ContextSyncCore
import ContextSyncTestSupport
import Foundation
import Testing

/// `context-sync install ...` end to end, in a temporary HOME with fake systemctl, crontab and
/// launchctl scripts that record their arguments (the real ones are never called).
@Suite struct InstallCLITests {
    struct Sandbox {
        let dir = CLI.tempDir()
        var home: String { dir + "/home" }
        var claude: String { dir + "/claude" }
        var units: String { dir + "/config/systemd/user" }
        var log: String { dir + "/calls.log" }
        var crontabFile: String { dir + "/crontab.txt" }
        var env: [String: String] {
            TestSupport.sandboxEnvironment(dir, home: home).merging([
                "CONTEXT_SYNC_SYSTEMCTL": dir + "/bin/systemctl", "CONTEXT_SYNC_CRONTAB": dir + "/bin/crontab",
                "CONTEXT_SYNC_LAUNCHCTL": dir + "/bin/launchctl",
                "PATH": dir + "/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]) { $1 }
        }
        /// The binary as a user has it: a symlink on PATH, which the installers write (not the
        /// build folder it points into).
        var binary: String { dir + "/bin/context-sync" }

        init() throws {
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            try script("systemctl", """
                echo "systemctl $*" >> '\(log)'
                state='\(dir)/systemd-state'
                case "$2" in
                  enable) touch "$state.enabled"; [ "$3" = --now ] && touch "$state.active" ;;
                  disable) rm -f "$state.enabled"; [ "$3" = --now ] && rm -f "$state.active" ;;
                  is-enabled) [ -e "$state.enabled" ] || exit 1 ;;
                  is-active) [ -e "$state.active" ] || exit 3 ;;
                esac
                exit 0
                """)
            try script("crontab", """
                echo "crontab $*" >> '\(log)'
                table='\(crontabFile)'
                case "$1" in
                  -l) if [ -e "$table" ]; then cat "$table"; else echo "no crontab for tester" >&2; exit 1; fi ;;
                  -) cat > "$table" ;;
                  -r) rm -f "$table" ;;
                  *) exit 2 ;;
                esac
                """)
            try script("launchctl", """
                echo "launchctl $*" >> '\(log)'
                loaded='\(dir)/launchd-loaded'
                case "$1" in
                  bootstrap) touch "$loaded" ;;
                  bootout) if [ -e "$loaded" ]; then rm "$loaded"; else echo "Boot-out failed: 3: No such process" >&2; exit 3; fi ;;
                  print) [ -e "$loaded" ] || exit 113 ;;
                esac
                """)
            try FileManager.default.createSymbolicLink(atPath: binary, withDestinationPath: CLI.binary)
        }

        func script(_ name: String, _ body: String) throws {
            let path = dir + "/bin/" + name
            try FileManager.default.createDirectory(atPath: dir + "/bin", withIntermediateDirectories: true)
            try Data(("#!/bin/sh\n" + body + "\n").utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }

        func run(_ args: [String], env extra: [String: String] = [:]) throws -> CLI.Result {
            try CLI.run(["install"] + args, env: env.merging(extra) { $1 }, cwd: dir)
        }

        /// The fake tools' calls so far, one per line.
        var calls: [String] {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
        func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }
        func write(_ text: String, to path: String) throws {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }
    }

    // MARK: skill

    @Test func skillInstallIsTheTemplateAndIdempotentAndUninstalls() throws {
        let s = try Sandbox()
        let path = s.claude + "/skills/context-sync/SKILL.md"
        let r = try s.run(["skill"])
        #expect(r.status == 0)
        #expect(r.stdout == "wrote \(path)\n")
        #expect(s.bytes(path) == FileManager.default.contents(atPath: TestSupport.packageRoot + "/templates/SKILL.md"))
        let again = try s.run(["skill"])
        #expect(again.status == 0 && again.stdout == "already installed: \(path)\n")
        let un = try s.run(["skill", "--uninstall"])
        #expect(un.status == 0)
        #expect(un.stdout == "removed \(path)\nremoved \(s.claude)/skills/context-sync\nremoved \(s.claude)/skills\nremoved \(s.claude)\n")
        #expect(!FileManager.default.fileExists(atPath: s.claude))
    }

    @Test func skillRefusesAnEditedFileUnlessForced() throws {
        let s = try Sandbox()
        let other = s.dir + "/claude-other"
        let path = other + "/skills/context-sync/SKILL.md"
        try s.write("my skill\n", to: path)
        let r = try s.run(["skill", "--claude-dir", other])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("context-sync: error: \(path) exists with other content"))
        #expect(s.read(path) == "my skill\n")
        let un = try s.run(["skill", "--claude-dir", other, "--uninstall"])
        #expect(un.status == 2)
        #expect(s.read(path) == "my skill\n")
        let forced = try s.run(["skill", "--claude-dir", other, "--force"])
        #expect(forced.status == 0)
        #expect(s.read(path + ".bak") == "my skill\n")
        #expect(s.read(path) == EmbeddedTemplates.skill)
    }

    // MARK: timer

    @Test func timerInstallEnableAgainAndUninstall() throws {
        let s = try Sandbox()
        let service = s.units + "/context-sync.service", timer = s.units + "/context-sync.timer"
        let r = try s.run(["timer", "--every", "2h"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("wrote \(service)\nwrote \(timer)\nenabled context-sync.timer: runs every 2 hours (*-*-* 00/2:"))
        #expect(r.stderr.isEmpty)
        #expect(s.read(service)?.contains("\nExecStart=\(s.binary) run --all --quiet\n") == true)
        #expect(s.read(timer)?.contains("\nPersistent=true\n") == true)
        #expect(s.calls == ["systemctl --user daemon-reload", "systemctl --user enable --now context-sync.timer"])

        let again = try s.run(["timer", "--every", "2h"])
        #expect(again.status == 0)
        #expect(again.stdout == "already installed: \(service)\nalready installed: \(timer)\nalready enabled: context-sync.timer\n")
        #expect(s.calls.dropFirst(2) == ["systemctl --user is-enabled --quiet context-sync.timer",
                                         "systemctl --user is-active --quiet context-sync.timer"])

        let un = try s.run(["timer", "--uninstall"])
        #expect(un.status == 0)
        // The folders install created go too: nothing of $XDG_CONFIG_HOME was there before.
        #expect(un.stdout == "disabled context-sync.timer\nremoved \(service)\nremoved \(timer)\nremoved \(s.units)\nremoved \(s.dir)/config/systemd\nremoved \(s.dir)/config\n")
        #expect(s.calls.suffix(2) == ["systemctl --user disable --now context-sync.timer", "systemctl --user daemon-reload"])
        #expect(!FileManager.default.fileExists(atPath: s.dir + "/config"))
    }

    @Test func uninstallKeepsFoldersThatWereThereOrHoldOtherFiles() throws {
        let s = try Sandbox()
        try s.write("[Unit]\n", to: s.dir + "/config/systemd/other.conf")
        #expect(try s.run(["timer"]).status == 0)
        let un = try s.run(["timer", "--uninstall"])
        #expect(un.stdout.hasSuffix("removed \(s.units)\n"), "\(un.stdout)")
        #expect(s.read(s.dir + "/config/systemd/other.conf") == "[Unit]\n")
        // A folder we created that now holds someone else's file stays.
        #expect(try s.run(["skill"]).status == 0)
        try s.write("mine\n", to: s.claude + "/skills/other/SKILL.md")
        let skill = try s.run(["skill", "--uninstall"])
        #expect(skill.stdout == "removed \(s.claude)/skills/context-sync/SKILL.md\nremoved \(s.claude)/skills/context-sync\n")
        #expect(s.read(s.claude + "/skills/other/SKILL.md") == "mine\n")
        try FileManager.default.removeItem(atPath: s.claude + "/skills/other")
        // Recorded, so a later uninstall still knows skills/ (and claude/) were ours.
        #expect(try s.run(["skill"]).status == 0)
        #expect(try s.run(["skill", "--uninstall"]).stdout.hasSuffix("removed \(s.claude)/skills\nremoved \(s.claude)\n"))
        #expect(!FileManager.default.fileExists(atPath: s.claude))
    }

    @Test func timerWithoutSystemctlWritesTheFilesAndWarns() throws {
        let s = try Sandbox()
        let r = try s.run(["timer"], env: ["CONTEXT_SYNC_SYSTEMCTL": s.dir + "/bin/missing"])
        #expect(r.status == 0)
        #expect(r.stdout == "wrote \(s.units)/context-sync.service\nwrote \(s.units)/context-sync.timer\n")
        #expect(r.stderr == "context-sync: warning: systemctl not found: the timer is not enabled; to enable it, run: systemctl --user daemon-reload && systemctl --user enable --now context-sync.timer\n")
        #expect(s.calls.isEmpty)
    }

    @Test func timerNeverOverwritesAForeignUnit() throws {
        let s = try Sandbox()
        let service = s.units + "/context-sync.service"
        try s.write("[Service]\nExecStart=/bin/true\n", to: service)
        let r = try s.run(["timer"])
        #expect(r.status == 2)
        #expect(r.stderr == "context-sync: error: refusing to overwrite \(service): it was not written by context-sync (move it away or remove it yourself, then run again)\n")
        #expect(s.read(service) == "[Service]\nExecStart=/bin/true\n")
        #expect(!FileManager.default.fileExists(atPath: s.units + "/context-sync.timer"))
        #expect(s.calls.isEmpty)
    }

    @Test func badEveryIsAUsageError() throws {
        let s = try Sandbox()
        let r = try s.run(["timer", "--every", "45m"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("context-sync: error: --every 45m is not supported"))
        #expect(!FileManager.default.fileExists(atPath: s.units))
    }

    // MARK: cron

    @Test func cronKeepsTheUsersLinesAndUninstallRestoresTheBytes() throws {
        let s = try Sandbox()
        let original = "# my jobs\nMAILTO=\"\"\n*/5 * * * * date +\\%s >> /tmp/d.log\n@reboot /home/me/up.sh\n"
        try s.write(original, to: s.crontabFile)
        let r = try s.run(["cron"])
        #expect(r.status == 0, "\(r.stderr)")
        let table = try #require(s.read(s.crontabFile))
        #expect(table.hasPrefix(original))
        let added = String(table.dropFirst(original.count))
        let state = s.dir + "/state/context-sync"
        #expect(added.hasSuffix(" mkdir -p \(state); \(s.binary) run --all --quiet >/dev/null 2>>\(state)/unattended.err \(IntegrationNames.cronMarker)\n"), "\(added)")
        let minute = try #require(Int(added.prefix(while: { $0 != " " })))
        #expect((0..<60).contains(minute))
        #expect(added.hasPrefix("\(minute) * * * * "))
        #expect(r.stdout == "added to the crontab: \(added.dropLast())\n")

        let again = try s.run(["cron"])
        #expect(again.status == 0)
        #expect(again.stdout.hasPrefix("already installed: crontab line "))
        #expect(s.calls == ["crontab -l", "crontab -", "crontab -l"])

        let un = try s.run(["cron", "--uninstall"])
        #expect(un.status == 0)
        #expect(un.stdout == "removed from the crontab: \(added.dropLast())\n")
        #expect(s.bytes(s.crontabFile) == Data(original.utf8))
    }

    @Test func cronWithNoCrontabLeavesNoneAfterUninstall() throws {
        let s = try Sandbox()
        #expect(try s.run(["cron", "--every", "30m"]).status == 0)
        let line = try #require(s.read(s.crontabFile))
        #expect(line.range(of: #"^\d+,\d+ \* \* \* \* "#, options: .regularExpression) != nil)
        #expect(try s.run(["cron", "--uninstall"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: s.crontabFile))
        #expect(s.calls.last == "crontab -r")
        let none = try s.run(["cron", "--uninstall"])
        #expect(none.status == 0 && none.stdout == "not installed: no context-sync line in the crontab\n")
    }

    // MARK: launchd

    static let mac = ["CONTEXT_SYNC_PLATFORM": "macos"]

    @Test func eachSchedulerRefusesTheOtherPlatformAndWritesNothing() throws {
        let s = try Sandbox()
        let launchd = try s.run(["launchd"], env: ["CONTEXT_SYNC_PLATFORM": "linux"])
        #expect(launchd.status == 2)
        #expect(launchd.stdout == "")
        #expect(launchd.stderr == "context-sync: error: install launchd is for macOS, and this is Linux: nothing was written (use `context-sync install timer` instead)\n")
        #expect(!FileManager.default.fileExists(atPath: s.home + "/Library"))
        let timer = try s.run(["timer"], env: Self.mac)
        #expect(timer.status == 2)
        #expect(timer.stderr == "context-sync: error: install timer is for Linux, and this is macOS: nothing was written (use `context-sync install launchd` instead)\n")
        #expect(!FileManager.default.fileExists(atPath: s.units))
        #expect(s.calls.isEmpty)
        #if os(Linux)
        // Without the override, the detected system decides.
        #expect(try s.run(["launchd"]).status == 2)
        #endif
    }

    @Test func launchdWritesLoadsAndUnloads() throws {
        let s = try Sandbox()
        let plist = s.home + "/Library/LaunchAgents/dev.context-sync.run.plist"
        let uid = getuid()
        let r = try s.run(["launchd"], env: Self.mac)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "wrote \(plist)\nloaded dev.context-sync.run (gui/\(uid)): runs hourly\n")
        let text = try #require(s.read(plist))
        #expect(text.contains("<string>\(s.binary)</string>\n\t\t<string>run</string>\n\t\t<string>--all</string>\n\t\t<string>--quiet</string>"))
        #expect(text.contains("<key>StartInterval</key>\n\t<integer>3600</integer>"))
        #expect(text.contains("<string>\(s.home)/Library/Logs/context-sync.log</string>"))
        #expect(s.calls == ["launchctl bootstrap gui/\(uid) \(plist)"])

        let again = try s.run(["launchd"], env: Self.mac)
        #expect(again.stdout == "already installed: \(plist)\nalready loaded: dev.context-sync.run\n")

        let un = try s.run(["launchd", "--uninstall"], env: Self.mac)
        #expect(un.status == 0)
        #expect(un.stdout == "unloaded dev.context-sync.run\nremoved \(plist)\nremoved \(s.home)/Library/LaunchAgents\nremoved \(s.home)/Library/Logs\nremoved \(s.home)/Library\n")
        #expect(!FileManager.default.fileExists(atPath: s.home + "/Library"))
        #expect(s.calls.last == "launchctl bootout gui/\(uid)/dev.context-sync.run")
        #expect(!FileManager.default.fileExists(atPath: plist))
    }

    @Test func launchdWithoutLaunchctlStillWritesTheFile() throws {
        let s = try Sandbox()
        let r = try s.run(["launchd"], env: Self.mac.merging(["CONTEXT_SYNC_LAUNCHCTL": s.dir + "/bin/missing"]) { $1 })
        #expect(r.status == 0)
        #expect(FileManager.default.fileExists(atPath: s.home + "/Library/LaunchAgents/dev.context-sync.run.plist"))
        #expect(r.stderr.hasPrefix("context-sync: warning: launchctl is not available on this system"))
    }

    // MARK: claude-hook

    static let settings = """
        {
          "model": "opus",
          "env": {
            "FOO": "bar"
          },
          "hooks": {
            "PreToolUse": [
              {
                "matcher": "Bash",
                "hooks": [
                  {
                    "type": "command",
                    "command": "check-bash"
                  }
                ]
              }
            ]
          },
          "includeCoAuthoredBy": false
        }

        """

    @Test func claudeHookMergesIsIdempotentAndUninstallRestoresTheBytes() throws {
        let s = try Sandbox()
        let path = s.claude + "/settings.json"
        try s.write(Self.settings, to: path)
        let r = try s.run(["claude-hook"])
        #expect(r.status == 0, "\(r.stderr)")
        let state = s.dir + "/state/context-sync"
        let command = "mkdir -p \(state); nohup \(s.binary) run --if-opted-in --quiet --settle 0 </dev/null >/dev/null 2>>\(state)/unattended.err & # installed by context-sync"
        #expect(r.stdout == "backed up \(path) to \(path).context-sync.bak\nadded the SessionEnd hook to \(path): \(command)\n")
        #expect(s.read(path + ".context-sync.bak") == Self.settings)
        let v = try JSONParser.parse(try #require(s.read(path)))
        #expect(v.object?.keys == ["model", "env", "hooks", "includeCoAuthoredBy"])
        #expect(v["hooks"]?.object?.keys == ["PreToolUse", "SessionEnd"])
        #expect(v["hooks"]?["PreToolUse"]?.array?.first?["hooks"]?.array?.first?["command"]?.string == "check-bash")
        #expect(v["hooks"]?["SessionEnd"]?.array?.first?["hooks"]?.array?.first?["command"]?.string == command)
        let installed = s.bytes(path)

        let again = try s.run(["claude-hook"])
        #expect(again.status == 0 && again.stdout == "already installed: SessionEnd hook in \(path)\n")
        #expect(s.bytes(path) == installed)

        let un = try s.run(["claude-hook", "--uninstall"])
        #expect(un.status == 0)
        #expect(un.stdout == "removed the context-sync SessionEnd hook from \(path)\nremoved \(path).context-sync.bak (\(path) is back to those bytes)\n")
        #expect(s.bytes(path) == Data(Self.settings.utf8))
        #expect(!FileManager.default.fileExists(atPath: path + ".context-sync.bak"))
    }

    @Test func claudeHookWithNoSettingsLeavesNothingAfterUninstall() throws {
        let s = try Sandbox()
        let path = s.claude + "/settings.json"
        #expect(try s.run(["claude-hook"]).stdout.hasPrefix("added the SessionEnd hook to \(path)"))
        let un = try s.run(["claude-hook", "--uninstall"])
        #expect(un.stdout == "removed \(path) (context-sync created it; it held only the hook)\nremoved \(s.claude)\n")
        #expect(!FileManager.default.fileExists(atPath: s.claude))
    }

    @Test func claudeHookRefusesInvalidJSONAndChangesNothing() throws {
        let s = try Sandbox()
        let path = s.claude + "/settings.json"
        try s.write("{\n  \"model\": \"opus\"\n  \"env\": {}\n}\n", to: path)
        let r = try s.run(["claude-hook"])
        #expect(r.status == 2)
        #expect(r.stderr == "context-sync: error: \(path) is not valid JSON (line 3): fix it, then run again (nothing was changed)\n")
        #expect(r.stdout.isEmpty)
        #expect(s.read(path) == "{\n  \"model\": \"opus\"\n  \"env\": {}\n}\n")
        #expect(!FileManager.default.fileExists(atPath: path + ".context-sync.bak"))
    }

    // MARK: the stable path

    @Test func withoutAPathEntryTheInstalledCopyInLocalBinIsWritten() throws {
        let s = try Sandbox()
        let local = s.home + "/.local/bin/context-sync"
        try FileManager.default.createDirectory(atPath: s.home + "/.local/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLI.binary, toPath: local)
        let r = try s.run(["cron"], env: ["PATH": "/usr/bin:/bin"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        #expect(s.read(s.crontabFile)?.contains(" \(local) run --all --quiet") == true)
    }

    @Test func onlyTheBuildFolderIsWrittenWithAWarning() throws {
        let s = try Sandbox()
        let real = URL(fileURLWithPath: CLI.binary).resolvingSymlinksInPath().path
        let r = try s.run(["cron"], env: ["PATH": "/usr/bin:/bin"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(s.read(s.crontabFile)?.contains(" \(real) run --all --quiet") == true)
        if real.contains("/.build/") {
            #expect(r.stderr == "context-sync: warning: \(real) is inside a build folder: the integration breaks when the build is cleaned or the clone deleted; install the binary with scripts/install.sh (or pass --binary PATH)\n")
        }
    }

    @Test func installScriptCopiesTheBinaryToThePrefix() throws {
        let s = try Sandbox()
        let prefix = s.dir + "/prefix/bin"
        let r = CLIProcess.run(["/bin/bash", TestSupport.packageRoot + "/scripts/install.sh", "--prefix", prefix, "--binary", CLI.binary],
                               env: s.env, cwd: s.dir)
        #expect(r.status == 0, "\(r.stderr)")
        let installed = prefix + "/context-sync"
        let attrs = try FileManager.default.attributesOfItem(atPath: installed)
        #expect(attrs[.type] as? FileAttributeType == .typeRegular)
        #expect(FileManager.default.contentsEqual(atPath: installed, andPath: CLI.binary))
        #expect(FileManager.default.isExecutableFile(atPath: installed))
        #expect(r.stdout.contains("installed \(installed)"))
        #expect(r.stdout.contains("not on your PATH"))
        let bad = CLIProcess.run(["/bin/bash", TestSupport.packageRoot + "/scripts/install.sh", "--prefix"], env: s.env, cwd: s.dir)
        #expect(bad.status == 2)
    }

    @Test func binaryOptionIsWrittenAsGiven() throws {
        let s = try Sandbox()
        let link = s.dir + "/bin/other-context-sync"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: CLI.binary)
        #expect(try s.run(["claude-hook", "--binary", link]).status == 0)
        #expect(s.read(s.claude + "/settings.json")?.contains("nohup \(link) run --if-opted-in --quiet --settle 0") == true)
        let bad = try s.run(["cron", "--binary", s.dir + "/nope"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--binary \(s.dir)/nope: not an executable file"))
        #expect(s.calls.isEmpty)
    }
}
