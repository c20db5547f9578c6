import Foundation

/// `context-sync patterns`: bullets that recur in the learnings of two or more repositories on
/// this machine, once repository paths are set aside, are candidates for user-level memory.
/// `patterns --apply` writes them to `patterns/learnings.md` of the repository named by
/// `[patterns] repo` (committed and pushed like any learnings file), and `install patterns`
/// imports that file from `~/.claude/CLAUDE.md`.
public enum SharedPatterns {
    public static let relativePath = "patterns/learnings.md"

    public struct Pattern: Sendable, Equatable {
        /// The wording kept (the best-worded of the variants without a repository path).
        public var text: String
        /// The repositories' top levels, sorted.
        public var repositories: [String]
        /// Every variant as written, one per repository.
        public var variants: [String]
    }

    /// The text compared across repositories: backticked tokens that are paths (they contain a
    /// `/`) removed, the auto-memory marker dropped.
    static func comparable(_ bullet: String) -> String {
        var t = bullet
        if t.hasSuffix(AutoMemory.marker) { t = String(t.dropLast(AutoMemory.marker.count)) }
        var out = ""
        for (i, part) in t.split(separator: "`", omittingEmptySubsequences: false).enumerated() {
            if i % 2 == 1 {
                out += part.contains("/") ? "" : "`" + part + "`"
            } else {
                out += part.split(separator: " ", omittingEmptySubsequences: false).filter { !$0.contains("/") }.joined(separator: " ")
            }
        }
        return out
    }

    /// Patterns among `learnings` (repository top level -> its bullets), each shared by at
    /// least two repositories, the most widely shared first.
    public static func find(_ learnings: [(repository: String, bullets: [String])]) -> [Pattern] {
        struct Cluster { var key: LearningDedupe.Key; var texts: [(repo: String, text: String)] }
        var clusters: [Cluster] = []
        for (repo, bullets) in learnings {
            var seenHere = Set<Int>()
            for b in bullets {
                let c = comparable(b)
                guard !LearningsDocument.normalizeForDedupe(c).isEmpty else { continue }
                let key = LearningDedupe.Key(c)
                if let i = clusters.firstIndex(where: { $0.key.isDuplicate(of: key) }) {
                    if seenHere.insert(i).inserted { clusters[i].texts.append((repo, b)) }
                } else {
                    seenHere.insert(clusters.count)
                    clusters.append(Cluster(key: key, texts: [(repo, b)]))
                }
            }
        }
        var out: [Pattern] = []
        for c in clusters {
            let repos = Set(c.texts.map(\.repo))
            guard repos.count >= 2 else { continue }
            let plain = c.texts.map(\.text).map { t in t.hasSuffix(AutoMemory.marker) ? String(t.dropLast(AutoMemory.marker.count)) : t }
            let pathless = plain.filter { comparable($0) == $0 }
            let text = (pathless.isEmpty ? [comparable(plain[0])] : pathless).reduce(into: "") { best, t in
                best = best.isEmpty ? t : LearningsTidy.bestWorded(best, t)
            }
            out.append(Pattern(text: text, repositories: repos.sorted(), variants: c.texts.map(\.text)))
        }
        return out.sorted { $0.repositories.count != $1.repositories.count ? $0.repositories.count > $1.repositories.count : $0.text < $1.text }
    }

    /// The bullets of every repository with sessions on this machine (work-tree learnings.md,
    /// read without following symlinks; unreadable ones are skipped with a note).
    public static func collect(workspace ws: Workspace) throws -> (learnings: [(repository: String, bullets: [String])], warnings: [String]) {
        let catalog = try ws.loadCatalog()
        let projects = ProjectsReport.build(catalog: catalog, detectForks: false)
        catalog.cache.save()
        var out: [(repository: String, bullets: [String])] = []
        var warnings: [String] = []
        var seen = Set<String>()
        for g in projects.groups where seen.insert(g.topLevel).inserted && Paths.isDirectory(g.topLevel) {
            do {
                guard let text = try WorkTreeFile(workdir: g.topLevel).readText(LearningsDocument.relativePath) else { continue }
                out.append((g.topLevel, LearningsDocument(parsing: text).allBullets))
            } catch let e as ContextSyncError {
                warnings.append(e.message)
            }
        }
        return (out, warnings)
    }
}
