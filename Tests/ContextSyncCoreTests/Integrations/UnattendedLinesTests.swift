import Foundation
import Testing
@testable import ContextSyncCore

/// The cron line and the SessionEnd hook command keep the run's stderr in the state folder;
/// paths with spaces and `%` stay one word for sh (and for cron).
@Suite("Unattended lines")
struct UnattendedLinesTests {
    @Test func cronLineAppendsStderrToTheStateFolder() {
        let line = CronTable.line(executable: "/usr/bin/context-sync", schedule: .hourly, offsetMinute: 7,
                                  errorFile: "/home/a b/.local/state/context-sync/unattended.err")
        #expect(line == "7 * * * * mkdir -p '/home/a b/.local/state/context-sync'; /usr/bin/context-sync run --all --quiet >/dev/null 2>>'/home/a b/.local/state/context-sync/unattended.err' \(IntegrationNames.cronMarker)")
        let percent = CronTable.line(executable: "/x/cs", schedule: .hourly, offsetMinute: 7, errorFile: "/s%d/unattended.err")
        #expect(percent.contains("mkdir -p '/s\\%d'; ") && percent.contains("2>>'/s\\%d/unattended.err' "))
        // Still ours: an old line is found and replaced by the new one.
        let old = CronTable.line(executable: "/x/cs", schedule: .hourly, offsetMinute: 7)
        #expect(old.hasSuffix(" >/dev/null 2>&1 \(IntegrationNames.cronMarker)"))
        #expect(CronTable.adding(line, to: "MAILTO=x\n" + old + "\n") == "MAILTO=x\n" + line + "\n")
    }

    @Test func hookCommandAppendsStderrToTheStateFolder() {
        let command = ClaudeSettings.hookCommand(executable: "/usr/bin/context-sync", errorFile: "/home/a b/state/unattended.err")
        #expect(command == "mkdir -p '/home/a b/state'; nohup /usr/bin/context-sync run --if-opted-in --quiet --settle 0 </dev/null >/dev/null 2>>'/home/a b/state/unattended.err' & # installed by context-sync")
        #expect(ClaudeSettings.isOurs(command))
    }

    @Test func systemctlOutputSplitsItsChangesFromTheError() {
        let out = SystemctlOutput(ToolResult(status: 1, stderr: "Created symlink /a → /b.\nFailed to start context-sync.timer: Unit not found.\n"))
        #expect(out.changes == ["Created symlink /a → /b."])
        #expect(out.error == "Failed to start context-sync.timer: Unit not found.")
        #expect(SystemctlOutput(ToolResult(status: 0, stderr: "Removed \"/a\".\n")).error == nil)
    }
}
