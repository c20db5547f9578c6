import Foundation

/// The new sessions of a project, read as events, with the path normaliser that fits them.
public struct ProjectBatch: Sendable {
    public var report: ProjectSessionsReport
    /// The sessions taken (status `new`), oldest first.
    public var sessions: [ProjectSession]
    public var events: [SessionEvents]
    public var normalizer: PathNormalizer
    /// Transcripts that vanished or could not be read since they were listed.
    public var warnings: [String]

    /// The sessions whose events were read (the ones a digest shows and a run marks processed),
    /// at the size and mtime they were listed with.
    public var readSessions: [SessionMark] {
        let read = Set(events.map(\.sessionId))
        return sessions.map(\.file).filter { read.contains($0.id) }.map(SessionMark.init)
    }

    /// Reads the project's new sessions (all non-active ones with `includeProcessed`).
    public static func load(report: ProjectSessionsReport, home: String, includeProcessed: Bool = false) -> ProjectBatch {
        let chosen = report.sessions.filter { $0.status == .new || (includeProcessed && $0.status == .processed) }
        var roots = report.project.worktrees
        for s in chosen {
            guard let raw = s.head.rawCwd else { continue }
            let sub = s.placement.subdirectory
            if sub.isEmpty {
                roots.append(raw)
            } else if raw.hasSuffix("/" + sub) {
                roots.append(String(raw.dropLast(sub.count + 1)))
            }
        }
        // Sessions are read in parallel (one per core at a time) and kept in `chosen` order, so
        // the result is the serial one.
        let read = ConcurrentResults<SessionEvents>(count: chosen.count)
        let failed = ConcurrentResults<String>(count: chosen.count)
        let files = chosen.map(\.file)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            do {
                read[i] = try SessionEvents.read(path: files[i].path, id: files[i].id)
            } catch {
                failed[i] = "\(files[i].path): \(error)"
            }
        }
        let events = read.values.compactMap { $0 }
        let warnings = failed.values.compactMap { $0 }
        return ProjectBatch(report: report, sessions: chosen, events: events,
                            normalizer: PathNormalizer(repoRoots: roots, home: home), warnings: warnings)
    }
}
