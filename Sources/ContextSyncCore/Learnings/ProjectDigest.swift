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
        let chosen = chosenSessions(report, includeProcessed: includeProcessed)
        // Sessions are read in parallel (one per core at a time) and kept in `chosen` order, so
        // the result is the serial one.
        // Largest transcripts first, so the last one to finish is a small one.
        let files = chosen.map(\.file)
        let read = ConcurrentWork.map(files.count, largestFirst: files.map { Int($0.size) }) { i -> (events: SessionEvents?, failure: String?) in
            do { return (try SessionEvents.read(path: files[i].path, id: files[i].id), nil) }
            catch { return (nil, "\(files[i].path): \(error)") }
        }
        let events = read.compactMap(\.events)
        let warnings = read.compactMap(\.failure)
        return ProjectBatch(report: report, sessions: chosen, events: events,
                            normalizer: normalizer(report, chosen, home: home), warnings: warnings)
    }

    /// The sessions taken: status `new`, or also `processed` with `includeProcessed`.
    static func chosenSessions(_ report: ProjectSessionsReport, includeProcessed: Bool) -> [ProjectSession] {
        report.sessions.filter { $0.status == .new || (includeProcessed && $0.status == .processed) }
    }

    /// Repository roots as the sessions saw them (worktrees, and each session's checkout).
    static func normalizer(_ report: ProjectSessionsReport, _ chosen: [ProjectSession], home: String) -> PathNormalizer {
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
        return PathNormalizer(repoRoots: roots, home: home)
    }
}

/// A project's new sessions as digest pages, read only as far as the pages printed need: each
/// transcript is scanned for its timestamps (the page order), and read in full when packing
/// reaches it. The pages are the ones `DigestPages(sessions:)` makes from the whole batch.
public struct ProjectDigestPages {
    public var pages: DigestPages
    /// The sessions in page order (newest first).
    public let sessions: [ProjectSession]
    private let scanFailures: [String]
    private let readFailures: ConcurrentResults<String>

    /// `redact` must be pure: it is called from several threads at once.
    public init(report: ProjectSessionsReport, home: String, includeProcessed: Bool = false, pageChars: Int,
                redact: @escaping (String) -> String) {
        let chosen = ProjectBatch.chosenSessions(report, includeProcessed: includeProcessed)
        // The order needs every session's last activity: a scan that decodes only timestamps.
        typealias Scan = (stamp: (first: String?, last: String?)?, failure: String?)
        let scans = ConcurrentWork.map(chosen.count, largestFirst: chosen.map { Int($0.file.size) }) { i -> Scan in
            do { return (try TranscriptReader(path: chosen[i].file.path).timestamps(), nil) }
            catch { return (nil, "\(chosen[i].file.path): \(error)") }
        }
        self.scanFailures = scans.compactMap(\.failure)
        let readable = chosen.indices.filter { scans[$0].stamp != nil }
        let sessions = DigestPages.newestFirst(readable.map { let t = scans[$0].stamp!; return t.last ?? t.first }).map { chosen[readable[$0]] }
        let normalizer = ProjectBatch.normalizer(report, chosen, home: home)
        let normalize = PureFunction(apply: normalizer.normalize), redact = PureFunction(apply: redact)
        let failures = ConcurrentResults<String>(count: sessions.count)
        self.sessions = sessions
        self.readFailures = failures
        self.pages = DigestPages(count: sessions.count, pageChars: pageChars) { positions in
            ConcurrentWork.map(positions.count) { k in
                let file = sessions[positions[k]].file
                var events: SessionEvents
                do {
                    events = try SessionEvents.read(path: file.path, id: file.id)
                } catch {
                    // Gone since the scan: shown as a session without events, said, and not
                    // recorded as shown (its content was not read).
                    failures[positions[k]] = "\(file.path): \(error)"
                    events = SessionEvents(sessionId: file.id, events: [])
                }
                return Digest.block(events, normalize: normalize.apply, redact: redact.apply)
            }
        }
    }

    /// Transcripts that vanished or could not be read since they were listed: those the scan
    /// could not read, then those packing reached that could not be read in full (in page order).
    public var warnings: [String] {
        scanFailures + readFailures.values.prefix(pages.packedCount).compactMap { $0 }
    }

    /// The marks (size and mtime as listed) of the sessions with these ids, less those whose
    /// full read failed.
    public func marks(for ids: Set<String>) -> [SessionMark] {
        let failed = readFailures.values
        let unread = Set(sessions.indices.filter { failed[$0] != nil }.map { sessions[$0].file.id })
        return sessions.map(\.file).filter { ids.contains($0.id) && !unread.contains($0.id) }.map(SessionMark.init)
    }
}
