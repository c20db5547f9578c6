#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Installs and removes context-sync's git pre-push hook (templates/pre-push).
///
/// Where: `core.hooksPath` when set (`~` expanded; a relative value is relative to the work tree
/// top, or to the git dir of a bare repository, as git does), else `<common dir>/hooks`, which
/// every linked worktree shares.
///
/// Chaining: a `pre-push` that is not context-sync's is never replaced. It is renamed to
/// `pre-push.local` (bytes and mode unchanged) and the installed script runs it first, with the
/// same arguments and stdin; `--uninstall` renames it back.
public enum HookInstaller {
    public static let hookName = "pre-push"
    /// The name a pre-existing hook gets when context-sync's script is put in front of it.
    public static let chainedName = "pre-push.local"

    public enum InstallOutcome: Equatable, Sendable {
        /// No hook was there; ours was written.
        case installed
        /// A foreign hook was renamed to `pre-push.local` and ours runs it first.
        case chained
        /// Ours was there with other content (e.g. an older binary path) and was rewritten.
        case updated
        /// Ours was there, byte for byte.
        case unchanged
    }

    public struct InstallResult: Equatable, Sendable {
        public var outcome: InstallOutcome
        public var hookPath: String
        /// The chained hook's path, when there is one.
        public var chainedPath: String?
        /// The hook went into a `core.hooksPath` from the global or system git config: git runs
        /// it for every repository that does not set its own.
        public var shared = false
    }

    public enum UninstallOutcome: Equatable, Sendable {
        /// Ours removed; `restored` tells whether `pre-push.local` went back to `pre-push`.
        case removed(restored: Bool)
        /// Ours was already gone, but a chained hook was left: it was renamed back.
        case restoredOnly
        /// The `pre-push` there is not context-sync's: left alone.
        case notOurs
        case notInstalled
    }

    public struct UninstallResult: Equatable, Sendable {
        public var outcome: UninstallOutcome
        public var hookPath: String
        public var chainedPath: String
        /// As `InstallResult.shared`.
        public var shared = false
    }

    /// The error when `core.hooksPath` comes from the global or system git config and
    /// `--global` was not given: the hook would run for every repository.
    static func sharedHooksPath(_ dir: String, removing: Bool) -> ContextSyncError {
        ContextSyncError(
            "core.hooksPath is set in your global or system git config, so \(dir)/\(hookName) runs for every repository: nothing was \(removing ? "removed" : "installed") (run again with --global to \(removing ? "remove it for all of them" : "install it for all of them"), or set core.hooksPath in this repository only)")
    }

    /// The directory git runs `repository`'s hooks from.
    public static func hooksDirectory(of repository: Repository, environment: Environment) -> String {
        if let configured = repository.configString("core.hooksPath"), !configured.isEmpty {
            var p = Config.expandTilde(configured, home: environment.home)
            if !p.hasPrefix("/") {
                let base = repository.workdir ?? repository.gitdir
                p = base + "/" + p
            }
            return Paths.normalize(p)
        }
        return repository.commondir + "/hooks"
    }

    /// True when the file at `path` is a hook context-sync installed (it carries the marker line).
    public static func isOurs(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        return String(decoding: data, as: UTF8.self).contains(IntegrationNames.hookMarker)
    }

    /// Installs the hook into the repository containing `path`. `binary` is the absolute path of
    /// the `context-sync` binary the script falls back to when it is not on PATH.
    /// `global`: go on when `core.hooksPath` comes from the global or system config (else that
    /// is refused, exit 2).
    public static func install(repositoryAt path: String, binary: String, global: Bool = false,
                               environment: Environment = .current) throws -> InstallResult {
        let repo = try Repository.discover(at: Paths.absolute(path))
        let dir = hooksDirectory(of: repo, environment: environment)
        let shared = isShared(repo)
        if shared && !global { throw sharedHooksPath(dir, removing: false) }
        var result = try install(inHooksDirectory: dir, binary: binary)
        result.shared = shared
        return result
    }

    /// True when the hooks directory comes from a `core.hooksPath` outside the repository's config.
    static func isShared(_ repo: Repository) -> Bool {
        guard let configured = repo.configString("core.hooksPath"), !configured.isEmpty else { return false }
        return repo.isSetOutsideRepository("core.hooksPath")
    }

    public static func install(inHooksDirectory dir: String, binary: String) throws -> InstallResult {
        let hook = dir + "/" + hookName
        let chained = dir + "/" + chainedName
        let script = PrePushTemplate.rendered(binary: binary)
        try AtomicFile.makeDirectories(dir, mode: 0o755)
        let hasChained = exists(chained)
        guard exists(hook) else {
            try AtomicFile.write(script, to: hook, mode: 0o755)
            return InstallResult(outcome: .installed, hookPath: hook, chainedPath: hasChained ? chained : nil)
        }
        if isDirectory(hook) {
            throw ContextSyncError("\(hook) is a directory, not a hook script (move it away, then run `context-sync install hook` again)")
        }
        if isOurs(hook) {
            let current = FileManager.default.contents(atPath: hook).map { [UInt8]($0) }
            if current == Array(script.utf8) && isExecutable(hook) {
                return InstallResult(outcome: .unchanged, hookPath: hook, chainedPath: hasChained ? chained : nil)
            }
            try AtomicFile.write(script, to: hook, mode: 0o755)
            return InstallResult(outcome: .updated, hookPath: hook, chainedPath: hasChained ? chained : nil)
        }
        // A foreign hook: keep it, run it first.
        if hasChained {
            throw ContextSyncError(
                "\(hook) is not context-sync's hook and \(chained) already exists, so the hook cannot be chained without losing one of them (merge them into one file, then run `context-sync install hook` again)")
        }
        if rename(hook, chained) != 0 {
            throw ContextSyncError.io("cannot rename the existing hook to \(chainedName):", path: hook, errno: errno)
        }
        do {
            try AtomicFile.write(script, to: hook, mode: 0o755)
        } catch {
            _ = rename(chained, hook)  // put the user's hook back as it was
            throw error
        }
        return InstallResult(outcome: .chained, hookPath: hook, chainedPath: chained)
    }

    /// Removes context-sync's hook from the repository containing `path` and gives a chained hook
    /// its name back. A `pre-push` that is not ours is left alone.
    public static func uninstall(repositoryAt path: String, global: Bool = false,
                                 environment: Environment = .current) throws -> UninstallResult {
        let repo = try Repository.discover(at: Paths.absolute(path))
        let dir = hooksDirectory(of: repo, environment: environment)
        let shared = isShared(repo)
        if shared && !global { throw sharedHooksPath(dir, removing: true) }
        var result = try uninstall(inHooksDirectory: dir)
        result.shared = shared
        return result
    }

    public static func uninstall(inHooksDirectory dir: String) throws -> UninstallResult {
        let hook = dir + "/" + hookName
        let chained = dir + "/" + chainedName
        let result = { (o: UninstallOutcome) in UninstallResult(outcome: o, hookPath: hook, chainedPath: chained) }
        if exists(hook) {
            guard isOurs(hook) else { return result(.notOurs) }
            let hasChained = exists(chained)
            if hasChained {
                // rename() replaces our script in one step: there is never a moment without a hook.
                if rename(chained, hook) != 0 {
                    throw ContextSyncError.io("cannot rename \(chainedName) back to \(hookName):", path: chained, errno: errno)
                }
            } else if unlink(hook) != 0 {
                throw ContextSyncError.io("cannot remove", path: hook, errno: errno)
            }
            return result(.removed(restored: hasChained))
        }
        if exists(chained) && !isOurs(chained) {
            if rename(chained, hook) != 0 {
                throw ContextSyncError.io("cannot rename \(chainedName) back to \(hookName):", path: chained, errno: errno)
            }
            return result(.restoredOnly)
        }
        return result(.notInstalled)
    }

    /// lstat: a dangling symlink still counts as a hook that is there.
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    static func isDirectory(_ path: String) -> Bool { Paths.isDirectory(path) }

    static func isExecutable(_ path: String) -> Bool { access(path, X_OK) == 0 }
}
