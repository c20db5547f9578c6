import ArgumentParser
import ContextSyncCore
import Foundation

struct SessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List the Claude Code sessions of a repository and whether each is new.",
        discussion: """
            Finds every session on this machine whose launch directory is the repository's top \
            level, one of its subdirectories, or one of its worktrees, by reading the `cwd` inside \
            each transcript (folder names are never decoded).

            STATUS
              new        never processed, or grown since it was processed
              processed  already processed at its current size
              active     written to within the settle window (--settle): skipped for now

            EXAMPLES
              context-sync sessions
              context-sync sessions --project ~/src/app --json
              context-sync sessions --claude-dir /mnt/backup/.claude --settle 0
            """
    )

    @Option(help: ArgumentHelp("The repository (any directory inside it, or a worktree). Default: the current directory.",
                               valueName: "PATH"))
    var project: String?

    @OptionGroup var sessionOptions: SessionOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        try runReportingErrors {
            let ws = try Workspace(claudeDir: sessionOptions.claudeDir, settleMinutes: sessionOptions.settle)
            let report = try ws.projectSessions(projectPath: project)
            if json {
                FileHandleOutput.stdout.write(Self.json(report, ws: ws).serialized(pretty: true) + "\n")
            } else {
                FileHandleOutput.stdout.write(Self.text(report, ws: ws))
            }
            for w in report.warnings { printWarning("skipped unreadable transcript: \(w)") }
            return .ok
        }
    }

    static func text(_ r: ProjectSessionsReport, ws: Workspace) -> String {
        let home = ws.environment.home
        var out = ""
        let id = r.project.identity
        out += "Project:  \(id.key)"
        if let url = id.remoteURL { out += "  (origin \(url))" }
        out += "\n"
        out += "Checkout: \(Format.tilde(r.project.topLevel, home: home))"
        if let b = r.project.branch { out += "  [\(b)]" }
        out += "\n"
        if r.project.worktrees.count > 1 {
            out += "Worktrees: " + r.project.worktrees.dropFirst().map { Format.tilde($0, home: home) }.joined(separator: ", ") + "\n"
        }
        out += "Sessions: \(Format.tilde(ws.root.projectsPath, home: home))\n"
        let counts = Dictionary(grouping: r.sessions, by: \.status).mapValues(\.count)
        out += "          \(r.sessions.count) found: \(counts[.new] ?? 0) new, \(counts[.processed] ?? 0) processed, \(counts[.active] ?? 0) active\n"
        if r.sessions.isEmpty {
            out += "\nNo Claude Code sessions of this repository on this machine.\n"
            return out
        }
        out += "\n"
        out += Format.pad("STATUS", 10) + Format.pad("SESSION", 38) + Format.pad("MODIFIED", 17) + Format.pad("SIZE", 10)
            + Format.pad("PROMPTS", 8) + Format.pad("TOOLS", 6) + Format.pad("ERRORS", 7) + "FROM / TITLE\n"
        for s in r.sessions {
            let sum = s.summary
            var line = Format.pad(s.status.rawValue, 10) + Format.pad(s.file.id, 38)
            line += Format.pad(Format.localTime(nanos: s.file.mtimeNanos), 17) + Format.pad(Format.bytes(s.file.size), 10)
            line += Format.pad(sum.map { String($0.humanPrompts) } ?? "-", 8)
            line += Format.pad(sum.map { String($0.toolCalls) } ?? "-", 6)
            line += Format.pad(sum.map { String($0.toolErrors) } ?? "-", 7)
            line += s.placement.label
            if let t = sum?.title { line += "  " + Format.truncate(t, 50) }
            out += line + "\n"
        }
        return out
    }

    static func json(_ r: ProjectSessionsReport, ws: Workspace) -> JSONValue {
        var root = JSONObjectBuilder()
        root.set("schemaVersion", JSONOutput.schemaVersion)
        var p = JSONObjectBuilder()
        p.set("identity", Format.identityJSON(r.project.identity))
        p.set("topLevel", r.project.topLevel)
        p.set("worktrees", .array(r.project.worktrees.map(JSONValue.string)))
        p.set("branch", r.project.branch)
        root.set("project", p.value)
        root.set("claudeRoot", ws.root.path)
        root.set("statePath", r.statePath)
        root.set("settleMinutes", ws.settleSeconds / 60)
        root.set("sessions", .array(r.sessions.map { s in
            var b = JSONObjectBuilder()
            b.set("sessionId", s.file.id)
            b.set("status", s.status.rawValue)
            b.set("path", s.file.path)
            b.set("folder", s.file.folder)
            b.set("cwd", s.head.cwd)
            if s.head.rawCwd != s.head.cwd { b.set("originalCwd", s.head.rawCwd) }
            b.set("worktree", s.placement.worktree)
            b.set("subdirectory", s.placement.subdirectory)
            b.set("size", s.file.size)
            b.set("modified", Format.iso(nanos: s.file.mtimeNanos))
            if let sum = s.summary {
                b.set("branch", sum.branch)
                b.set("version", sum.version)
                b.set("title", sum.title)
                b.set("firstTimestamp", sum.firstTimestamp)
                b.set("lastTimestamp", sum.lastTimestamp)
                var c = JSONObjectBuilder()
                c.set("humanPrompts", sum.humanPrompts)
                c.set("toolCalls", sum.toolCalls)
                c.set("toolErrors", sum.toolErrors)
                c.set("interrupts", sum.interrupts)
                c.set("compactions", sum.compactions)
                c.set("records", sum.records)
                c.set("malformedLines", sum.malformedLines)
                b.set("counts", c.value)
            }
            b.set("subagents", .array(s.subagents.map(JSONValue.string)))
            return b.value
        }))
        root.set("warnings", .array(r.warnings.map(JSONValue.string)))
        return root.value
    }
}
