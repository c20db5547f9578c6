import Foundation

/// Text transforms of a crontab: add, replace or remove the one line carrying
/// `IntegrationNames.cronMarker`, keeping every other byte as it was.
public enum CronTable {
    /// The line `install cron` adds (without its newline). The run writes its own line to the
    /// run log; its stderr (and the shell's, should the binary be gone) is appended to
    /// `errorFile`, whose folder is created first. Without `errorFile`, stderr is discarded.
    public static func line(executable: String, schedule: Schedule, offsetMinute: Int, errorFile: String? = nil) -> String {
        let fields = schedule.cronFields(offsetMinute: offsetMinute)
        let run = "\(Quoting.crontab(executable)) run --all --quiet >/dev/null"
        guard let errorFile else { return "\(fields) \(run) 2>&1 \(IntegrationNames.cronMarker)" }
        let dir = (errorFile as NSString).deletingLastPathComponent
        return "\(fields) mkdir -p \(Quoting.crontab(dir)); \(run) 2>>\(Quoting.crontab(errorFile)) \(IntegrationNames.cronMarker)"
    }

    /// The table's lines, each with its line ending (the last one may have none).
    static func lines(_ table: String) -> [Substring] {
        // By bytes: as Characters, "\r\n" would be one grapheme that is not "\n".
        var out: [Substring] = []
        let u = table.utf8
        var start = u.startIndex
        var i = start
        while i < u.endIndex {
            let next = u.index(after: i)
            if u[i] == UInt8(ascii: "\n") {
                out.append(table[start..<next])
                start = next
            }
            i = next
        }
        if start < u.endIndex { out.append(table[start...]) }
        return out
    }

    static func isOurs(_ line: Substring) -> Bool {
        line.contains(IntegrationNames.cronMarker)
    }

    /// The lines of `table` that are ours, without their line endings.
    public static func ourLines(_ table: String) -> [String] {
        lines(table).filter(isOurs).map { $0.trimmingCharacters(in: .newlines) }
    }

    /// `table` with exactly one line of ours, equal to `line`: the first marked line is replaced
    /// in place (further marked lines are dropped), else `line` is appended (after a newline if
    /// the table did not end with one). Nil when `table` already is that way.
    public static func adding(_ line: String, to table: String) -> String? {
        let all = lines(table)
        let ours = all.filter(isOurs)
        if ours.count == 1 && (ours[0] == line + "\n" || ours[0] == line) { return nil }
        var out = ""
        var placed = false
        for l in all {
            if isOurs(l) {
                if !placed { out += line + "\n"; placed = true }
            } else {
                out += l
            }
        }
        if !placed {
            if !out.isEmpty && out.utf8.last != UInt8(ascii: "\n") { out += "\n" }
            out += line + "\n"
        }
        return out
    }

    /// `table` without our lines; nil when it has none.
    public static func removing(from table: String) -> String? {
        let all = lines(table)
        guard all.contains(where: isOurs) else { return nil }
        return all.filter { !isOurs($0) }.joined()
    }
}

/// `context-sync install cron`: one crontab line, read with `crontab -l` and written with
/// `crontab -` (`$CONTEXT_SYNC_CRONTAB` replaces the program). Every other line is kept byte for
/// byte; an unchanged table is not rewritten.
public struct CronInstaller: Sendable {
    public var executable: String
    public var schedule: Schedule
    public var offsetMinute: Int
    public var tools: SystemTools
    /// Where the line appends the run's stderr (`RunLog.stderrFileName` in the state directory).
    public var errorFile: String?

    public init(executable: String, schedule: Schedule = .hourly,
                offsetMinute: Int = Schedule.offsetMinute(hostName: MachineName.shortHostName()), tools: SystemTools,
                errorFile: String? = nil) {
        self.executable = executable
        self.schedule = schedule
        self.offsetMinute = offsetMinute
        self.tools = tools
        self.errorFile = errorFile
    }

    public var line: String {
        CronTable.line(executable: executable, schedule: schedule, offsetMinute: offsetMinute, errorFile: errorFile)
    }

    public func install() throws -> InstallReport {
        var report = InstallReport()
        guard tools.isAvailable(.crontab) else {
            throw ContextSyncError("crontab not found (install cron, or use `context-sync install timer`); or add this line to your crontab by hand: \(line)")
        }
        let table = try readTable() ?? ""
        guard let updated = CronTable.adding(line, to: table) else {
            report.did("already installed: crontab line \(line)")
            return report
        }
        let replacing = !CronTable.ourLines(table).isEmpty
        try writeTable(updated)
        report.did(replacing ? "updated the crontab line: \(line)" : "added to the crontab: \(line)")
        return report
    }

    public func uninstall() throws -> InstallReport {
        var report = InstallReport()
        guard tools.isAvailable(.crontab) else {
            throw ContextSyncError("crontab not found: nothing to remove here")
        }
        guard let table = try readTable(), let updated = CronTable.removing(from: table) else {
            report.did("not installed: no context-sync line in the crontab")
            return report
        }
        let removed = CronTable.ourLines(table)
        if updated.isEmpty {
            try crontab(["-r"], stdin: nil)
        } else {
            try writeTable(updated)
        }
        for l in removed { report.did("removed from the crontab: \(l)") }
        return report
    }

    /// The current table; nil when the user has none ("no crontab for <user>").
    func readTable() throws -> String? {
        guard let r = try tools.run(.crontab, ["-l"]) else { return nil }
        if r.succeeded { return r.stdout }
        if r.stderr.lowercased().contains("no crontab for") { return nil }
        throw ContextSyncError("crontab -l failed (status \(r.status)\(r.firstLine.isEmpty ? "" : ": " + r.firstLine)); the crontab was not changed")
    }

    func writeTable(_ table: String) throws {
        try crontab(["-"], stdin: table)
    }

    private func crontab(_ args: [String], stdin: String?) throws {
        guard let r = try tools.run(.crontab, args, stdin: stdin) else {
            throw ContextSyncError("crontab not found")
        }
        if !r.succeeded {
            throw ContextSyncError("\(commandLine(.crontab, args)) failed (status \(r.status)\(r.firstLine.isEmpty ? "" : ": " + r.firstLine)); the crontab was not changed")
        }
    }
}
