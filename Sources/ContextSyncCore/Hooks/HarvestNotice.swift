/// The one line the pre-push hook adds to the push output when its harvest committed learnings
/// locally, so that a commit the user did not make never appears silently:
/// `context-sync: committed N learnings locally; your next push carries them`.
enum HarvestNotice {
    /// The commit HEAD points at in the repository at `top`; nil when it cannot be read.
    static func head(at top: String) -> String? {
        (try? Repository.discover(at: top))?.referenceTarget("HEAD")?.description
    }

    /// The line for the learnings (bullets added to `.claude/learnings.md`) in the commits HEAD
    /// gained since `before`; nil when there are none.
    static func line(at top: String, before: String?) -> String? {
        guard let before, let repo = try? Repository.discover(at: top),
              let after = repo.referenceTarget("HEAD")?.description, after != before else { return nil }
        let moved = PushedRef(localRef: "HEAD", localOid: after, remoteRef: "HEAD", remoteOid: before)
        guard let commits = try? OutgoingChanges.outgoingCommits(in: repo, refs: [moved], remote: "") else { return nil }
        let count = bullets(in: repo, commits: Array(commits.prefix(1000)))
        guard count > 0 else { return nil }
        return "context-sync: committed \(count) learning\(count == 1 ? "" : "s") locally; your next push carries them"
    }
}

extension HarvestNotice {
    /// The top-level bullets (`- `) the commits add to `.claude/learnings.md`.
    static func bullets(in repo: Repository, commits: [String]) -> Int {
        bullets(in: commits.flatMap { c in
            (try? OutgoingChanges.addedLines(in: repo, commit: c, paths: [OutgoingChanges.contextFiles[0]])) ?? []
        })
    }

    /// The bullet lines (`- `, after any indentation) among `additions`.
    static func bullets(in additions: [AddedLines]) -> Int {
        additions.reduce(0) { n, added in
            n + added.lines.filter { String(decoding: $0, as: UTF8.self).trimmingPrefix(while: { $0 == " " }).hasPrefix("- ") }.count
        }
    }
}

private extension String {
    func trimmingPrefix(while drop: (Character) -> Bool) -> Substring {
        self[...].drop(while: drop)
    }
}
