/// `context-sync install patterns`: one import line for the shared patterns file in the user's
/// `<claude root>/CLAUDE.md` (Claude Code accepts `@~/…` imports there), under a marker comment
/// so `--uninstall` removes exactly those two lines. The user's file is copied to
/// `CLAUDE.md.context-sync.bak` before the first change (the first backup is kept, never
/// overwritten); a CLAUDE.md that only context-sync wrote is removed on uninstall.
public struct PatternsInstaller: Sendable {
    public var claudeRoot: String
    /// The patterns file, absolute.
    public var patternsFile: String
    public var home: String

    public static let marker = "<!-- context-sync: shared patterns from other repositories (remove with `context-sync install patterns --uninstall`) -->"

    public init(claudeRoot: String, patternsFile: String, home: String) {
        self.claudeRoot = claudeRoot
        self.patternsFile = patternsFile
        self.home = home
    }

    public var path: String { claudeRoot + "/CLAUDE.md" }
    public var backupPath: String { path + ".context-sync.bak" }

    var importLine: String { "@" + Paths.tilde(patternsFile, home: home) }

    public func install() throws -> InstallReport {
        var report = InstallReport()
        let old = try ManagedFile.read(path).map { String(decoding: $0, as: UTF8.self) }
        var lines = (old ?? "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let i = lines.firstIndex(of: Self.marker) {
            if i + 1 < lines.count, lines[i + 1] == importLine {
                report.did("already installed: \(path) imports \(importLine.dropFirst())")
                return report
            }
            if i + 1 < lines.count, lines[i + 1].hasPrefix("@") { lines.remove(at: i + 1) }
            lines.insert(importLine, at: i + 1)
        } else {
            if let old, !old.isEmpty, ManagedFile.absent(backupPath) {
                try ManagedFile.write(Array(old.utf8), to: backupPath)
                report.did("backed up \(path) to \(backupPath)")
            }
            if lines.last == "" { lines.removeLast() }
            if !lines.isEmpty && lines.last != "" { lines.append("") }
            lines += [Self.marker, importLine]
        }
        try ManagedFile.write(Array((lines.joined(separator: "\n") + "\n").utf8), to: path)
        report.did("\(old == nil ? "wrote" : "updated") \(path): imports \(importLine.dropFirst())")
        if ManagedFile.absent(patternsFile) {
            report.warnings.append("\(patternsFile) does not exist yet: run `context-sync patterns --apply`")
        }
        return report
    }

    public func uninstall() throws -> InstallReport {
        var report = InstallReport()
        guard let old = try ManagedFile.read(path).map({ String(decoding: $0, as: UTF8.self) }) else {
            report.did("not installed: no \(path)")
            return report
        }
        var lines = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let i = lines.firstIndex(of: Self.marker) else {
            report.did("not installed: \(path) has no context-sync patterns import")
            return report
        }
        let end = i + 1 < lines.count && lines[i + 1].hasPrefix("@") ? i + 2 : i + 1
        lines.removeSubrange(i..<end)
        if i > 0, i - 1 < lines.count, lines[i - 1].isEmpty, i >= lines.count || lines[i].isEmpty { lines.remove(at: i - 1) }
        let text = lines.joined(separator: "\n")
        if text.allSatisfy({ $0 == "\n" || $0 == " " }) && ManagedFile.absent(backupPath) {
            try ManagedFile.remove(path)
            report.did("removed \(path) (only context-sync's import was in it)")
        } else {
            try ManagedFile.write(Array(text.utf8), to: path)
            report.did("removed the patterns import from \(path)")
        }
        return report
    }
}
