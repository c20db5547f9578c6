import ArgumentParser
import ContextSyncCore
import Foundation

struct ProjectsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projects",
        abstract: "List every project with Claude Code sessions on this machine, grouped by repository.",
        discussion: """
            Folders of subdirectories and worktrees are listed under their repository. A launch \
            directory that no longer exists is marked missing; one outside any git work tree is \
            marked not-git. Repositories are grouped by identity: the normalised origin URL, else \
            the root commit, else the path. Two identities sharing a root commit are reported as forks.

            EXAMPLES
              context-sync projects
              context-sync projects --json
              context-sync projects --claude-dir /tmp/sample-claude
            """
    )

    @OptionGroup var claudeDirOption: ClaudeDirOption
    var claudeDir: String? { claudeDirOption.path }

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        try runReportingErrors {
            let ws = try Workspace(claudeDir: claudeDir, settleMinutes: nil)
            let catalog = try ws.loadCatalog()
            let report = ProjectsReport.build(catalog: catalog)
            catalog.cache.save()
            if json {
                FileHandleOutput.stdout.write(Self.json(report, ws: ws).serialized(pretty: true) + "\n")
            } else {
                FileHandleOutput.stdout.write(Self.text(report, ws: ws))
            }
            for w in report.warnings { printWarning("skipped unreadable transcript: \(w)") }
            return .ok
        }
    }

    static func text(_ r: ProjectsReport, ws: Workspace) -> String {
        let home = ws.environment.home
        var out = "Sessions root: \(Format.tilde(ws.root.projectsPath, home: home))\n"
        if r.groups.isEmpty && r.notGit.isEmpty && r.missing.isEmpty && r.unknown.isEmpty {
            return out + "No Claude Code sessions found.\n"
        }
        func folderLine(_ f: ProjectsReport.FolderEntry, label: String?) -> String {
            var s = "    " + Format.pad(label ?? (f.cwd.map { Format.tilde($0, home: home) } ?? "?"), 34)
            s += Format.pad("\(f.sessions) session" + (f.sessions == 1 ? "" : "s"), 13)
            s += Format.pad(Format.bytes(f.bytes), 10)
            if f.lastModifiedNanos > 0 { s += Format.localTime(nanos: f.lastModifiedNanos) + "  " }
            s += f.folder
            return s + "\n"
        }
        for g in r.groups {
            out += "\n\(g.identity.key)  [\(g.identity.source.rawValue)]  \(g.sessions) session" + (g.sessions == 1 ? "" : "s") + "\n"
            out += "  checkout \(Format.tilde(g.topLevel, home: home))\n"
            for f in g.folders { out += folderLine(f, label: f.placement) }
        }
        for (title, list) in [("not a git repository", r.notGit), ("missing (directory no longer exists)", r.missing),
                              ("unknown (no cwd recorded)", r.unknown)] where !list.isEmpty {
            out += "\n\(title)\n"
            for f in list { out += folderLine(f, label: nil) }
        }
        for (root, keys) in r.forks.sorted(by: { $0.key < $1.key }) {
            out += "\nnote: \(keys.joined(separator: ", ")) share root commit \(root.prefix(12)) (forks: kept apart)\n"
        }
        return out
    }

    static func json(_ r: ProjectsReport, ws: Workspace) -> JSONValue {
        func folder(_ f: ProjectsReport.FolderEntry, kind: ProjectsReport.Kind) -> JSONValue {
            var b = JSONObjectBuilder()
            b.set("folder", f.folder)
            b.set("cwd", f.cwd)
            b.set("kind", kind.rawValue)
            b.set("placement", f.placement)
            b.set("sessions", f.sessions)
            b.set("bytes", f.bytes)
            if f.lastModifiedNanos > 0 { b.set("lastModified", Format.iso(nanos: f.lastModifiedNanos)) }
            return b.value
        }
        var root = JSONObjectBuilder()
        root.set("schemaVersion", JSONOutput.schemaVersion)
        root.set("claudeRoot", ws.root.path)
        root.set("projects", .array(r.groups.map { g in
            var b = JSONObjectBuilder()
            b.set("identity", Format.identityJSON(g.identity))
            b.set("topLevel", g.topLevel)
            b.set("sessions", g.sessions)
            b.set("folders", .array(g.folders.map { folder($0, kind: .repository) }))
            return b.value
        }))
        root.set("notGit", .array(r.notGit.map { folder($0, kind: .notGit) }))
        root.set("missing", .array(r.missing.map { folder($0, kind: .missing) }))
        root.set("unknown", .array(r.unknown.map { folder($0, kind: .unknown) }))
        root.set("forks", .array(r.forks.sorted(by: { $0.key < $1.key }).map { root, keys in
            var b = JSONObjectBuilder()
            b.set("rootCommit", root)
            b.set("identities", .array(keys.map(JSONValue.string)))
            return b.value
        }))
        root.set("warnings", .array(r.warnings.map(JSONValue.string)))
        return root.value
    }
}
