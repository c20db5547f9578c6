/// `context-sync install skill`: the `/context-sync` Claude Code skill at
/// `<claude root>/skills/context-sync/SKILL.md`, written exactly as `templates/SKILL.md`.
///
/// A different file already there is left alone unless `force` is set, which first copies it to
/// `SKILL.md.bak`. An existing `SKILL.md.bak` is never overwritten: when it holds other bytes than
/// the file to replace, `force` refuses rather than lose one of them. Uninstalling removes the file only when it is ours: equal to the template or
/// carrying the `installed by context-sync` marker (an older version of the skill).
public struct SkillInstaller: Sendable {
    public var claudeRoot: String
    /// Where the folders it creates are recorded, so that uninstalling removes them (nil: not).
    public var created: CreatedDirectories?

    public init(claudeRoot: String, created: CreatedDirectories? = nil) {
        self.claudeRoot = claudeRoot
        self.created = created
    }

    public var directory: String { claudeRoot + "/" + IntegrationNames.skillFolder }
    public var path: String { directory + "/SKILL.md" }
    public var backupPath: String { path + ".bak" }
    public static var content: [UInt8] { Array(EmbeddedTemplates.skill.utf8) }

    public func install(force: Bool) throws -> InstallReport {
        var report = InstallReport()
        switch try ManagedFile.state(of: path, wanted: Self.content) {
        case .same:
            report.did("already installed: \(path)")
            return report
        case .absent:
            try created?.make(directory)
            try ManagedFile.write(Self.content, to: path)
            report.did("wrote \(path)")
        case .ours, .foreign:
            guard force else {
                throw ContextSyncError(
                    "\(path) exists with other content (edited, or from another version): not replaced; run again with --force to replace it (the old file is kept as SKILL.md.bak)")
            }
            let old = try ManagedFile.read(path) ?? []
            if let backup = try ManagedFile.read(backupPath) {
                // The first backup is never overwritten; the file being replaced must be in it.
                guard backup == old else {
                    throw ContextSyncError(
                        "\(backupPath) already holds an earlier backup and \(path) differs from it: not replaced, so neither is lost (move SKILL.md.bak away, then run again with --force)")
                }
                report.did("kept the backup \(backupPath) (it holds the same bytes)")
            } else {
                try ManagedFile.write(old, to: backupPath)
                report.did("backed up \(path) to \(backupPath)")
            }
            try ManagedFile.write(Self.content, to: path)
            report.did("wrote \(path)")
        }
        return report
    }

    public func uninstall() throws -> InstallReport {
        var report = InstallReport()
        guard try ManagedFile.uninstall(path, wanted: Self.content, into: &report) else { return report }
        if ManagedFile.removeDirectoryIfEmpty(directory) { report.did("removed \(directory)") }
        for dir in created?.removeEmpty(from: directory) ?? [] { report.did("removed \(dir)") }
        return report
    }
}
