#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Which repositories an unattended run may commit to: `run --all` (timer, cron, launchd) and
/// `run --if-opted-in` (the SessionEnd hook, the pre-push harvest). context-sync never starts
/// committing into every repository on the disk unasked; a repository is opted in when
/// 1. its path matches none of `[projects] exclude` (exclusion always wins), and
/// 2. its path matches a `[projects] include` glob, or it already has `.claude/learnings.md`,
///    or context-sync already ran there (its state file exists: `run`, `apply` or `digest`).
public enum OptIn {
    public struct Decision: Sendable, Equatable {
        public var optedIn: Bool
        public var reason: String
        /// Refused by `[projects] exclude` (which wins over every other rule).
        public var excluded = false
    }

    public static func decide(topLevel: String, identity: ProjectIdentity, config: Config,
                              stateDirectory: String) -> Decision {
        if let g = config.projectExclude.first(where: { matches(glob: $0, path: topLevel) }) {
            return Decision(optedIn: false, reason: "excluded by [projects] exclude \"\(g)\"", excluded: true)
        }
        if let g = config.projectInclude.first(where: { matches(glob: $0, path: topLevel) }) {
            return Decision(optedIn: true, reason: "included by [projects] include \"\(g)\"")
        }
        // A regular file reached without following a symlink: a committed link to a file outside
        // the repository does not opt it in.
        if (try? WorkTreeFile(workdir: topLevel).check(LearningsDocument.relativePath)) == true {
            return Decision(optedIn: true, reason: "has \(LearningsDocument.relativePath)")
        }
        if FileManager.default.fileExists(atPath: ProjectState.path(for: identity, stateDirectory: stateDirectory)) {
            return Decision(optedIn: true, reason: "context-sync ran here before")
        }
        return Decision(optedIn: false, reason: "not opted in (run context-sync there once, or add it to [projects] include)")
    }

    /// The decision for the repository containing `path` (any directory inside it or one of its
    /// worktrees), as `run --if-opted-in` makes it: a linked worktree is opted in when it or the
    /// main worktree is; an exclusion of either wins. `notARepository` when `path` is in none.
    public static func decide(projectAt path: String, config: Config, stateDirectory: String) throws
        -> (topLevel: String, decision: Decision)
    {
        let project = try ProjectContext.open(at: path)
        let first = decide(topLevel: project.topLevel, identity: project.identity, config: config,
                           stateDirectory: stateDirectory)
        guard let main = project.worktrees.first, main != project.topLevel else { return (project.topLevel, first) }
        if first.excluded { return (project.topLevel, first) }
        let other = decide(topLevel: main, identity: project.identity, config: config, stateDirectory: stateDirectory)
        if other.excluded { return (project.topLevel, other) }
        return (project.topLevel, first.optedIn ? first : other)
    }

    /// Shell-style glob on a path: `*`, `?` and `[...]` stay within one path component, `**`
    /// crosses them. A trailing `/` in the glob is ignored.
    public static func matches(glob: String, path: String) -> Bool {
        var g = glob
        while g.count > 1 && g.hasSuffix("/") { g.removeLast() }
        if g.contains("**") {
            // fnmatch without FNM_PATHNAME lets `*` cross `/`; `**` then means the same.
            let single = g.replacingOccurrences(of: "**", with: "*")
            return fnmatch(single, path, 0) == 0
        }
        return fnmatch(g, path, FNM_PATHNAME) == 0
    }
}
