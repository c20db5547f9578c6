import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

@Suite struct SkillInstallerTests {
    let root = TestSupport.makeTempDir("skill")
    var installer: SkillInstaller { SkillInstaller(claudeRoot: root + "/claude") }

    func read(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map(Array.init) }

    @Test func installsOnceThenReportsAlreadyInstalled() throws {
        #expect(try installer.install(force: false).actions == ["wrote \(installer.path)"])
        #expect(read(installer.path) == Array(EmbeddedTemplates.skill.utf8))
        #expect(try installer.install(force: false).actions == ["already installed: \(installer.path)"])
    }

    @Test func refusesADifferentFileUnlessForcedAndKeepsABackup() throws {
        let mine = "---\nname: context-sync\ndescription: my own\n---\n"
        TestSupport.write(mine, to: installer.path)
        #expect(throws: ContextSyncError.self) { try installer.install(force: false) }
        #expect(read(installer.path) == Array(mine.utf8))
        let report = try installer.install(force: true)
        #expect(report.actions == ["backed up \(installer.path) to \(installer.backupPath)", "wrote \(installer.path)"])
        #expect(read(installer.backupPath) == Array(mine.utf8))
        #expect(read(installer.path) == Array(EmbeddedTemplates.skill.utf8))
    }

    @Test func uninstallRemovesOnlyOurFile() throws {
        TestSupport.write("my own skill\n", to: installer.path)
        #expect(throws: ContextSyncError.self) { try installer.uninstall() }
        #expect(read(installer.path) == Array("my own skill\n".utf8))

        // An older version of ours (it carries the marker) is ours to remove.
        TestSupport.write("---\nname: context-sync\n---\n<!-- \(IntegrationNames.installedMarker) -->\nold\n", to: installer.path)
        let report = try installer.uninstall()
        #expect(report.actions == ["removed \(installer.path)", "removed \(installer.directory)"])
        #expect(!Paths.exists(installer.directory))
        #expect(try installer.uninstall().actions == ["not installed: \(installer.path)"])
    }

    @Test func uninstallKeepsTheFolderWhenOtherFilesAreInIt() throws {
        _ = try installer.install(force: false)
        TestSupport.write("notes\n", to: installer.directory + "/notes.md")
        #expect(try installer.uninstall().actions == ["removed \(installer.path)"])
        #expect(Paths.exists(installer.directory + "/notes.md"))
    }
}

@Suite struct SystemdTimerInstallerTests {
    let dir = TestSupport.makeTempDir("systemd") + "/systemd/user"
    let fake = FakeTools()

    func installer(every: String = "1h", executable: String = "/usr/bin/context-sync") throws -> SystemdTimerInstaller {
        SystemdTimerInstaller(unitDirectory: dir, executable: executable, schedule: try Schedule.parse(every),
                              offsetMinute: 17, tools: fake.tools)
    }

    @Test func installWritesBothUnitsReloadsAndEnables() throws {
        let i = try installer()
        let report = try i.install()
        #expect(report.actions == ["wrote \(i.servicePath)", "wrote \(i.timerPath)",
                                   "enabled context-sync.timer: runs hourly (*-*-* *:17:00)"])
        #expect(report.warnings.isEmpty)
        #expect(fake.arguments(of: "systemctl") == ["--user daemon-reload", "--user enable --now context-sync.timer"])
        #expect(try String(contentsOfFile: i.servicePath, encoding: .utf8) == i.serviceText)
        #expect(try String(contentsOfFile: i.timerPath, encoding: .utf8) == i.timerText)
    }

    @Test func secondInstallChangesNothing() throws {
        let i = try installer()
        _ = try i.install()
        let before = fake.calls.count
        let report = try i.install()
        #expect(report.actions == ["already installed: \(i.servicePath)", "already installed: \(i.timerPath)",
                                   "already enabled: context-sync.timer"])
        #expect(fake.calls.dropFirst(before).allSatisfy { $0.arguments.contains("is-enabled") || $0.arguments.contains("is-active") })
    }

    @Test func aDisabledTimerIsEnabledAgain() throws {
        let i = try installer()
        _ = try i.install()
        fake.enabled = false
        fake.active = false
        #expect(try i.install().actions.last == "enabled context-sync.timer: runs hourly (*-*-* *:17:00)")
        #expect(fake.enabled && fake.active)
    }

    @Test func anotherScheduleUpdatesTheTimerAndRestartsIt() throws {
        _ = try installer().install()
        let i = try installer(every: "30m")
        let report = try i.install()
        #expect(report.actions.prefix(2) == ["already installed: \(i.servicePath)", "updated \(i.timerPath)"])
        #expect(fake.arguments(of: "systemctl").suffix(3) == ["--user daemon-reload", "--user enable --now context-sync.timer",
                                                              "--user restart context-sync.timer"])
        #expect(try String(contentsOfFile: i.timerPath, encoding: .utf8).contains("OnCalendar=*-*-* *:17/30:00"))
    }

    @Test func refusesAForeignUnitAndWritesNothing() throws {
        let i = try installer()
        TestSupport.write("[Timer]\nOnCalendar=daily\n", to: i.timerPath)
        #expect(throws: ContextSyncError.self) { try i.install() }
        #expect(!Paths.exists(i.servicePath))
        #expect(fake.calls.isEmpty)
        #expect(throws: ContextSyncError.self) { try i.uninstall() }
        #expect(Paths.exists(i.timerPath))
    }

    @Test func withoutSystemctlTheFilesAreWrittenWithAWarning() throws {
        fake.available = []
        let i = try installer()
        let report = try i.install()
        #expect(report.actions == ["wrote \(i.servicePath)", "wrote \(i.timerPath)"])
        #expect(report.warnings == ["systemctl not found: the timer is not enabled; to enable it, run: systemctl --user daemon-reload && systemctl --user enable --now context-sync.timer"])
    }

    @Test func aFailingSystemctlIsAWarningWithTheCommandToRun() throws {
        fake.failing = ["--user daemon-reload"]
        let i = try installer()
        let report = try i.install()
        #expect(report.actions == ["wrote \(i.servicePath)", "wrote \(i.timerPath)"])
        #expect(report.warnings.count == 1)
        #expect(report.warnings[0].contains("systemctl --user daemon-reload failed (status 1: Failed to connect to bus: No medium found)"))
        #expect(report.warnings[0].hasSuffix("run by hand: systemctl --user daemon-reload && systemctl --user enable --now context-sync.timer"))
        #expect(!fake.enabled)
    }

    @Test func uninstallDisablesRemovesAndReloads() throws {
        let i = try installer()
        _ = try i.install()
        let before = fake.calls.count
        let report = try i.uninstall()
        #expect(report.actions == ["disabled context-sync.timer", "removed \(i.servicePath)", "removed \(i.timerPath)"])
        #expect(fake.calls.dropFirst(before).map { $0.arguments.joined(separator: " ") }
                == ["--user disable --now context-sync.timer", "--user daemon-reload"])
        #expect(!Paths.exists(i.servicePath) && !Paths.exists(i.timerPath))
        #expect(!fake.enabled)
        let again = try i.uninstall()
        #expect(again.actions == ["not installed: \(i.servicePath)", "not installed: \(i.timerPath)"])
    }

    @Test func uninstallRemovesOurUnitsWrittenForAnotherBinary() throws {
        _ = try installer(executable: "/old/context-sync").install()
        let i = try installer()
        #expect(try i.uninstall().actions.contains("removed \(i.servicePath)"))
    }

    @Test func execStartQuotesAPathWithSpaces() throws {
        let i = try installer(executable: "/home/a b/context-sync")
        #expect(i.serviceText.contains("\nExecStart=\"/home/a b/context-sync\" run --all --quiet\n"))
    }
}

@Suite struct CronInstallerTests {
    let fake = FakeTools()

    func installer(every: String = "1h", executable: String = "/usr/bin/context-sync") throws -> CronInstaller {
        CronInstaller(executable: executable, schedule: try Schedule.parse(every), offsetMinute: 17, tools: fake.tools)
    }

    @Test func installsKeepsOtherLinesAndIsIdempotent() throws {
        let table = "MAILTO=me\n0 1 * * * /bin/backup\n"
        fake.crontab = table
        let i = try installer()
        #expect(try i.install().actions == ["added to the crontab: \(i.line)"])
        #expect(fake.crontab == table + i.line + "\n")
        let writes = fake.arguments(of: "crontab").filter { $0 == "-" }.count
        #expect(try i.install().actions == ["already installed: crontab line \(i.line)"])
        #expect(fake.arguments(of: "crontab").filter { $0 == "-" }.count == writes)
        #expect(try i.uninstall().actions == ["removed from the crontab: \(i.line)"])
        #expect(fake.crontab == table)
    }

    @Test func noCrontabCountsAsEmptyAndUninstallRemovesTheTableAgain() throws {
        let i = try installer()
        _ = try i.install()
        #expect(fake.crontab == i.line + "\n")
        _ = try i.uninstall()
        #expect(fake.crontab == nil)
        #expect(fake.arguments(of: "crontab").last == "-r")
        #expect(try i.uninstall().actions == ["not installed: no context-sync line in the crontab"])
    }

    @Test func anotherScheduleReplacesTheLine() throws {
        fake.crontab = "@daily a\n"
        _ = try installer().install()
        let i = try installer(every: "15m")
        #expect(try i.install().actions == ["updated the crontab line: \(i.line)"])
        #expect(fake.crontab == "@daily a\n2,17,32,47 * * * * /usr/bin/context-sync run --all --quiet >/dev/null 2>&1 \(IntegrationNames.cronMarker)\n")
    }

    @Test func anUnreadableCrontabChangesNothing() throws {
        fake.crontab = "x\n"
        fake.failing = ["-l"]
        #expect(throws: ContextSyncError.self) { try installer().install() }
        #expect(fake.crontab == "x\n")
        #expect(!fake.arguments(of: "crontab").contains("-"))
    }

    @Test func withoutCrontabItFailsWithTheLineToAddByHand() throws {
        fake.available = []
        let i = try installer()
        do {
            _ = try i.install()
            Issue.record("installed without crontab")
        } catch let e as ContextSyncError {
            #expect(e.message.hasSuffix(i.line))
        }
    }
}

@Suite struct LaunchdInstallerTests {
    let home = TestSupport.makeTempDir("launchd")
    let fake = FakeTools()

    func installer(executable: String = "/opt/homebrew/bin/context-sync", every: String = "1h") throws -> LaunchdInstaller {
        LaunchdInstaller(home: home, executable: executable, schedule: try Schedule.parse(every), userID: 501, tools: fake.tools)
    }

    @Test func installWritesThePlistAndBootstraps() throws {
        let i = try installer()
        let report = try i.install()
        #expect(report.actions == ["wrote \(home)/Library/LaunchAgents/dev.context-sync.run.plist",
                                   "loaded dev.context-sync.run (gui/501): runs hourly"])
        #expect(fake.arguments(of: "launchctl") == ["bootstrap gui/501 \(i.plistPath)"])
        let plist = try String(contentsOfFile: i.plistPath, encoding: .utf8)
        #expect(plist.contains("<string>/opt/homebrew/bin/context-sync</string>\n\t\t<string>run</string>\n\t\t<string>--all</string>\n\t\t<string>--quiet</string>"))
        #expect(Paths.isDirectory(home + "/Library/Logs"))
        #expect(try i.install().actions == ["already installed: \(i.plistPath)", "already loaded: dev.context-sync.run"])
        #expect(fake.arguments(of: "launchctl").last == "print gui/501/dev.context-sync.run")
    }

    @Test func anUpdatedPlistIsBootedOutAndLoadedAgain() throws {
        _ = try installer().install()
        let i = try installer(every: "30m")
        #expect(try i.install().actions.first == "updated \(i.plistPath)")
        #expect(fake.arguments(of: "launchctl").suffix(2) == ["bootout gui/501/dev.context-sync.run", "bootstrap gui/501 \(i.plistPath)"])
        #expect(try String(contentsOfFile: i.plistPath, encoding: .utf8).contains("<integer>1800</integer>"))
    }

    @Test func withoutLaunchctlTheFileIsWrittenWithAWarning() throws {
        fake.available = []
        let i = try installer(executable: "/Users/a&b/context-sync")
        let report = try i.install()
        #expect(report.actions == ["wrote \(i.plistPath)"])
        #expect(report.warnings.first?.hasPrefix("launchctl is not available on this system") == true)
        #expect(try String(contentsOfFile: i.plistPath, encoding: .utf8).contains("<string>/Users/a&amp;b/context-sync</string>"))
    }

    @Test func uninstallBootsOutAndRemovesOnlyOurPlist() throws {
        let i = try installer()
        TestSupport.write("<plist/>\n", to: i.plistPath)
        #expect(throws: ContextSyncError.self) { try i.install() }
        #expect(throws: ContextSyncError.self) { try i.uninstall() }
        try FileManager.default.removeItem(atPath: i.plistPath)
        _ = try i.install()
        #expect(try i.uninstall().actions == ["unloaded dev.context-sync.run", "removed \(i.plistPath)"])
        #expect(!Paths.exists(i.plistPath))
        #expect(try i.uninstall().actions == ["not installed: \(i.plistPath)"])
    }
}

@Suite struct SkillBackupTests {
    @Test func forceNeverOverwritesAnEarlierBackup() throws {
        let installer = SkillInstaller(claudeRoot: TestSupport.makeTempDir("skill-bak") + "/claude")
        TestSupport.write("first edit\n", to: installer.path)
        _ = try installer.install(force: true)
        #expect(try String(contentsOfFile: installer.backupPath, encoding: .utf8) == "first edit\n")
        TestSupport.write("second edit\n", to: installer.path)
        #expect(throws: ContextSyncError.self) { try installer.install(force: true) }
        #expect(try String(contentsOfFile: installer.backupPath, encoding: .utf8) == "first edit\n")
        #expect(try String(contentsOfFile: installer.path, encoding: .utf8) == "second edit\n")
        TestSupport.write("first edit\n", to: installer.path)
        #expect(try installer.install(force: true).actions == ["kept the backup \(installer.backupPath) (it holds the same bytes)", "wrote \(installer.path)"])
    }
}

@Suite struct ClaudeHookInstallerTests {
    let root = TestSupport.makeTempDir("claude-hook") + "/claude"
    var installer: ClaudeHookInstaller { ClaudeHookInstaller(claudeRoot: root, executable: "/usr/bin/context-sync") }

    @Test func backsUpOnlyWhenChanging() throws {
        let i = installer
        let original = "{\n  \"model\": \"opus\"\n}\n"
        TestSupport.write(original, to: i.settingsPath)
        let report = try i.install()
        #expect(report.actions == ["backed up \(i.settingsPath) to \(i.backupPath)",
                                   "added the SessionEnd hook to \(i.settingsPath): \(i.command)"])
        #expect(try String(contentsOfFile: i.backupPath, encoding: .utf8) == original)
        try FileManager.default.removeItem(atPath: i.backupPath)
        #expect(try i.install().actions == ["already installed: SessionEnd hook in \(i.settingsPath)"])
        #expect(!Paths.exists(i.backupPath))
        _ = try i.uninstall()
        #expect(try String(contentsOfFile: i.settingsPath, encoding: .utf8) == original)
    }

    @Test func noSettingsFileIsCreatedWithoutABackup() throws {
        let i = installer
        #expect(try i.install().actions == ["added the SessionEnd hook to \(i.settingsPath): \(i.command)"])
        #expect(!Paths.exists(i.backupPath))
        #expect(try i.uninstall().actions == ["removed \(i.settingsPath) (context-sync created it; it held only the hook)"])
        #expect(!Paths.exists(i.settingsPath))
        // Settings the user added since are kept, in a file that stays.
        _ = try i.install()
        let added = try String(contentsOfFile: i.settingsPath, encoding: .utf8)
        TestSupport.write(added.replacingOccurrences(of: "{\n  \"hooks\"", with: "{\n  \"model\": \"opus\",\n  \"hooks\""), to: i.settingsPath)
        #expect(try i.uninstall().actions == ["removed the context-sync SessionEnd hook from \(i.settingsPath)"])
        #expect(try String(contentsOfFile: i.settingsPath, encoding: .utf8) == "{\n  \"model\": \"opus\"\n}\n")
    }

    @Test func keepsTheFirstBackupAndDropsItWhenTheFileIsBackToIt() throws {
        let i = installer
        let original = "{\"n\": 12345678901234567890, \"hooks\": {}}"
        TestSupport.write(original, to: i.settingsPath)
        _ = try i.install()
        let moved = ClaudeHookInstaller(claudeRoot: root, executable: "/opt/context-sync")
        #expect(try moved.install().actions == ["kept the first backup \(i.backupPath) (the file as it was before context-sync changed it)",
                                                 "updated the SessionEnd hook in \(i.settingsPath): \(moved.command)"])
        #expect(try String(contentsOfFile: i.backupPath, encoding: .utf8) == original)
        #expect(try moved.uninstall().actions == ["removed the context-sync SessionEnd hook from \(i.settingsPath)",
                                                   "removed \(i.backupPath) (\(i.settingsPath) is back to those bytes)"])
        #expect(try String(contentsOfFile: i.settingsPath, encoding: .utf8) == original)
        #expect(!Paths.exists(i.backupPath))
    }

    @Test func keepsTheBackupWhenTheFileChangedSinceInstall() throws {
        let i = installer
        TestSupport.write("{\"model\": \"opus\"}\n", to: i.settingsPath)
        _ = try i.install()
        let now = try String(contentsOfFile: i.settingsPath, encoding: .utf8)
        TestSupport.write(now.replacingOccurrences(of: "\"opus\"", with: "\"sonnet\""), to: i.settingsPath)
        let report = try i.uninstall()
        #expect(report.actions.last?.hasPrefix("kept \(i.backupPath)") == true)
        #expect(try String(contentsOfFile: i.settingsPath, encoding: .utf8) == "{\"model\": \"sonnet\"}\n")
        #expect(try String(contentsOfFile: i.backupPath, encoding: .utf8) == "{\"model\": \"opus\"}\n")
    }

    @Test func invalidJSONIsLeftUntouched() throws {
        let i = installer
        TestSupport.write("{\"model\": \"opus\",,}\n", to: i.settingsPath)
        do {
            _ = try i.install()
            Issue.record("accepted invalid JSON")
        } catch let e as ContextSyncError {
            #expect(e.message == "\(i.settingsPath) is not valid JSON (line 1): fix it, then run again (nothing was changed)")
        }
        #expect(try String(contentsOfFile: i.settingsPath, encoding: .utf8) == "{\"model\": \"opus\",,}\n")
        #expect(!Paths.exists(i.backupPath))
        #expect(throws: ContextSyncError.self) { try i.uninstall() }
        #expect(try String(contentsOfFile: i.settingsPath, encoding: .utf8) == "{\"model\": \"opus\",,}\n")
    }

    @Test func aSymlinkedSettingsFileStaysASymlink() throws {
        let i = installer
        let dotfiles = TestSupport.makeTempDir("dotfiles") + "/settings.json"
        TestSupport.write("{}\n", to: dotfiles)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: i.settingsPath, withDestinationPath: dotfiles)
        _ = try i.install()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: i.settingsPath) == dotfiles)
        #expect(try ClaudeSettings.ourCommands(in: Array(Data(contentsOf: URL(fileURLWithPath: dotfiles))), file: dotfiles) == [i.command])
    }

    @Test func keepsTheFileMode() throws {
        let i = installer
        TestSupport.write("{}\n", to: i.settingsPath)
        chmod(i.settingsPath, 0o600)
        _ = try i.install()
        let mode = try FileManager.default.attributesOfItem(atPath: i.settingsPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
