#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One line of `context-sync doctor`.
public struct DoctorCheck: Sendable, Equatable {
    public enum Level: String, Sendable {
        case ok = "OK", warn = "WARN", fail = "FAIL"
    }

    public var level: Level
    public var name: String
    public var detail: String
    /// What to do about a WARN or FAIL.
    public var fix: String?

    public init(_ level: Level, _ name: String, _ detail: String, fix: String? = nil) {
        self.level = level
        self.name = name
        self.detail = detail
        self.fix = fix
    }

    /// `OK   <check>: <detail>` / `WARN <check>: <detail> — <fix>` / `FAIL <check>: <detail> — <fix>`
    public var line: String {
        let tag = level.rawValue + String(repeating: " ", count: 4 - level.rawValue.count)
        var s = "\(tag) \(name): \(detail)"
        if level != .ok, let fix { s += " — \(fix)" }
        return s
    }
}

/// Checks what context-sync depends on, read-only: libgit2, config, Claude Code's sessions root,
/// the repository (identity, branch, remote, the credentials libgit2 would try, the SSH host key),
/// the state and lock directories, and the installed integrations. It never prints a secret:
/// token variables are named, not shown; URLs lose their passwords.
public struct Doctor {
    public enum Platform: Sendable {
        case linux, macOS

        public static var current: Platform {
            #if os(macOS)
            return .macOS
            #else
            return .linux
            #endif
        }
    }

    public var environment: Environment
    /// `--project`: when set, a repository is required there.
    public var projectPath: String?
    /// The current directory, checked for a repository when there is no `--project`.
    public var directory: String
    /// `--claude-dir`.
    public var claudeDir: String?
    public var platform: Platform

    public init(environment: Environment = .current, projectPath: String? = nil,
                directory: String = FileManager.default.currentDirectoryPath, claudeDir: String? = nil,
                platform: Platform = .current) {
        self.environment = environment
        self.projectPath = projectPath
        self.directory = directory
        self.claudeDir = claudeDir
        self.platform = platform
    }

    /// 0 when no check failed, else 2.
    public static func exitStatus(_ checks: [DoctorCheck]) -> ExitStatus {
        checks.contains { $0.level == .fail } ? .usage : .ok
    }

    /// The lock directory (per-repository run locks) under the state directory.
    public static func lockDirectory(_ environment: Environment) -> String {
        environment.stateDirectory + "/locks"
    }

    public func run() -> [DoctorCheck] {
        var checks: [DoctorCheck] = [libgit2Check()]
        let (configCheck, config) = self.configCheck()
        checks.append(configCheck)
        let root = environment.claudeRoot(flag: claudeDir, config: config)
        checks.append(claudeRootCheck(root))
        checks.append(directoryCheck("state directory", environment.stateDirectory))
        checks.append(directoryCheck("lock directory", Self.lockDirectory(environment)))
        let repo = repositoryChecks(into: &checks)
        checks += schedulerChecks()
        checks += unattendedChecks()
        checks.append(skillCheck(root))
        if let c = claudeHookCheck(root) { checks.append(c) }
        if let repo { checks.append(hookCheck(repo)) }
        return checks
    }

    // MARK: libgit2, config, sessions root, directories

    func libgit2Check() -> DoctorCheck {
        let features = GitLibrary.features
        let detail = "\(GitLibrary.version) (\(features.isEmpty ? "no optional features" : features.joined(separator: ", ")))"
        var missing: [String] = []
        if !features.contains("https") { missing.append("https:// remotes") }
        if !features.contains("ssh") { missing.append("ssh remotes") }
        if !missing.isEmpty {
            return DoctorCheck(.warn, "libgit2", detail + ": cannot push to " + missing.joined(separator: " or "),
                               fix: "install a libgit2 built with OpenSSL/mbedTLS and libssh2 (Debian: libgit2-1.5)")
        }
        return DoctorCheck(.ok, "libgit2", detail)
    }

    func configCheck() -> (DoctorCheck, Config?) {
        let path = tilde(environment.configFile)
        let config: Config
        do {
            config = try Config.load(environment: environment)
        } catch let e as ContextSyncError {
            let (detail, remedy) = Self.splitRemedy(e.message)
            return (DoctorCheck(.fail, "config", detail, fix: remedy ?? "fix or remove \(path)"), nil)
        } catch {
            return (DoctorCheck(.fail, "config", "cannot read \(path): \(error)", fix: "fix or remove \(path)"), nil)
        }
        do {
            _ = try SecretScanner(allowlist: config.secretAllowlist)
        } catch let e as ContextSyncError {
            let (detail, remedy) = Self.splitRemedy(e.message)
            return (DoctorCheck(.fail, "config", detail, fix: remedy ?? "fix the pattern in \(path)"), config)
        } catch {}
        if config.source == nil { return (DoctorCheck(.ok, "config", "\(path) not present (defaults apply)"), config) }
        if !config.warnings.isEmpty {
            // The path is in the check's name already; each warning starts with it.
            let details = config.warnings.map { w in
                w.hasPrefix(environment.configFile + ": ") ? String(w.dropFirst(environment.configFile.count + 2)) : w
            }
            return (DoctorCheck(.warn, "config", "\(path) parses, but " + details.joined(separator: "; "),
                                fix: "correct the key's name or remove it"), config)
        }
        return (DoctorCheck(.ok, "config", "\(path) parses"), config)
    }

    func claudeRootCheck(_ root: String) -> DoctorCheck {
        let shown = tilde(root)
        guard Paths.isDirectory(root) else {
            return DoctorCheck(.warn, "claude sessions", "\(shown) does not exist",
                               fix: "run Claude Code once on this machine, or set CLAUDE_CONFIG_DIR / claude_dir to its root")
        }
        do {
            let folders = try ClaudeRoot(path: root).listFolderRefs()
            return DoctorCheck(.ok, "claude sessions", "\(tilde(root + "/projects")): \(folders.count) project folder\(folders.count == 1 ? "" : "s")")
        } catch let e as ContextSyncError {
            return DoctorCheck(.fail, "claude sessions", e.message, fix: "make \(shown)/projects a readable directory")
        } catch {
            return DoctorCheck(.fail, "claude sessions", "\(error)", fix: "make \(shown)/projects a readable directory")
        }
    }

    func directoryCheck(_ name: String, _ path: String) -> DoctorCheck {
        let shown = tilde(path)
        if Paths.exists(path) {
            guard Paths.isDirectory(path) else {
                return DoctorCheck(.fail, name, "\(shown) is not a directory", fix: "move the file away")
            }
            var template = Array("\(path)/.doctor-XXXXXX".utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else {
                let why = String(cString: strerror(errno))
                return DoctorCheck(.fail, name, "\(shown) is not writable (\(why))", fix: "chmod u+rwx \(shown) or fix its owner")
            }
            close(fd)
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
            return DoctorCheck(.ok, name, "\(shown) writable")
        }
        var parent = (path as NSString).deletingLastPathComponent
        while !parent.isEmpty && parent != "/" && !Paths.exists(parent) {
            parent = (parent as NSString).deletingLastPathComponent
        }
        if parent.isEmpty { parent = "/" }
        if Paths.isDirectory(parent) && access(parent, W_OK | X_OK) == 0 {
            return DoctorCheck(.ok, name, "\(shown) will be created on first use (\(tilde(parent)) is writable)")
        }
        return DoctorCheck(.fail, name, "\(shown) cannot be created: \(tilde(parent)) is not a writable directory",
                           fix: "create \(shown) with write permission, or set XDG_STATE_HOME")
    }

    /// Splits `message (what to do)` — the shape of `ContextSyncError` messages — into the two.
    static func splitRemedy(_ message: String) -> (String, String?) {
        guard message.hasSuffix(")"), let open = message.range(of: " (", options: .backwards) else { return (message, nil) }
        let remedy = message[open.upperBound..<message.index(before: message.endIndex)]
        guard !remedy.contains("("), !remedy.isEmpty else { return (message, nil) }
        return (String(message[..<open.lowerBound]), String(remedy))
    }

    // MARK: repository

    /// Appends the repository checks; returns the repository when there is one.
    func repositoryChecks(into checks: inout [DoctorCheck]) -> Repository? {
        let start = projectPath.map(Paths.absolute) ?? directory
        let repo: Repository
        let project: ProjectContext
        do {
            repo = try ProjectContext.repository(at: start)
            project = try ProjectContext.open(repository: repo)
        } catch let e as ContextSyncError where projectPath == nil && e == .notARepository(start) {
            checks.append(DoctorCheck(.ok, "repository", "none at \(tilde(start)) (repository checks skipped; pass --project PATH)"))
            return nil
        } catch let e as ContextSyncError {
            let (detail, remedy) = Self.splitRemedy(e.message)
            checks.append(DoctorCheck(.fail, "repository", detail, fix: remedy ?? "pass --project PATH of a git checkout"))
            return nil
        } catch {
            checks.append(DoctorCheck(.fail, "repository", "\(error)", fix: "pass --project PATH of a git checkout"))
            return nil
        }
        checks.append(DoctorCheck(.ok, "repository", "\(tilde(project.topLevel)) (identity \(project.identity.key), from \(project.identity.source.rawValue))"))
        checks.append(learningsCheck(project.topLevel))

        // The same refusals `run` makes (detached, unborn, operation in progress, shallow).
        do {
            try repo.preflight(forPush: true)
            checks.append(DoctorCheck(.ok, "branch", project.branch ?? "?"))
        } catch let e as ContextSyncError {
            // Preflight messages read "<state>: <what to do>".
            let parts = e.message.components(separatedBy: ": ")
            let detail = parts.count > 1 ? parts.dropLast().joined(separator: ": ") : e.message
            checks.append(DoctorCheck(.warn, "branch", detail, fix: parts.count > 1 ? parts.last! : "check out a branch"))
        } catch {
            checks.append(DoctorCheck(.warn, "branch", "\(error)", fix: "check out a branch"))
        }

        // Where `run` would push: the upstream, else origin with the same branch name.
        let target = (try? repo.head()).flatMap { try? LearningsPush.pushTarget(repo, head: $0) }
        guard let remote = target?.remote ?? (repo.remoteNames.contains("origin") ? "origin" : nil) else {
            checks.append(DoctorCheck(.warn, "remote", "none: learnings are committed but never pushed",
                                      fix: "git remote add origin URL"))
            return repo
        }
        guard let url = repo.configString("remote.\(remote).pushurl") ?? repo.configString("remote.\(remote).url") else {
            checks.append(DoctorCheck(.fail, "remote", "remote \(remote) has no URL", fix: "git remote set-url \(remote) URL"))
            return repo
        }
        var detail = "\(remote) \(RemoteLocation.displayURL(url))"
        if let target, let branch = project.branch {
            let short = String(target.remoteRef.dropFirst("refs/heads/".count))
            detail += repo.configString("branch.\(branch).merge") != nil
                ? " (upstream \(remote)/\(short))" : " (no upstream: pushes go to \(remote)/\(short))"
        }
        if let missing = GitNetwork.missingLocalPath(url, relativeTo: repo.workdir ?? repo.gitdir) {
            checks.append(DoctorCheck(.fail, "remote", "\(detail): the local path \(tilde(missing)) does not exist",
                                      fix: "git remote set-url \(remote) URL, or create the repository there"))
            return repo
        }
        checks.append(DoctorCheck(.ok, "remote", detail))
        checks += credentialChecks(url: url, repo: repo)
        return repo
    }

    // MARK: integrations

    func skillCheck(_ root: String) -> DoctorCheck {
        let skill = root + "/" + IntegrationNames.skillFolder + "/SKILL.md"
        if Paths.exists(skill) {
            guard Self.findExecutable("context-sync", path: environment["PATH"]) != nil else {
                return DoctorCheck(.warn, "skill", "installed (\(tilde(skill))), but context-sync is not on PATH, so the commands the skill runs fail",
                                   fix: "scripts/install.sh (installs ~/.local/bin/context-sync), and put ~/.local/bin on PATH")
            }
            return DoctorCheck(.ok, "skill", "installed (\(tilde(skill)))")
        }
        return DoctorCheck(.warn, "skill", "not installed (no \(tilde(skill)))", fix: "context-sync install skill")
    }

    func hookCheck(_ repo: Repository) -> DoctorCheck {
        let dir = HookInstaller.hooksDirectory(of: repo, environment: environment)
        let hook = dir + "/" + HookInstaller.hookName
        let chained = dir + "/" + HookInstaller.chainedName
        guard HookInstaller.exists(hook) else {
            return DoctorCheck(.warn, "pre-push hook", "not installed in \(tilde(dir))", fix: "context-sync install hook")
        }
        guard HookInstaller.isOurs(hook) else {
            return DoctorCheck(.warn, "pre-push hook", "\(tilde(hook)) is another tool's hook",
                               fix: "context-sync install hook (keeps it as \(HookInstaller.chainedName) and runs it first)")
        }
        guard access(hook, X_OK) == 0 else {
            return DoctorCheck(.warn, "pre-push hook", "\(tilde(hook)) is not executable, so git skips it", fix: "context-sync install hook")
        }
        let text = FileManager.default.contents(atPath: hook).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let fallback = text.split(separator: "\n").first { $0.hasPrefix("fallback='") }
            .map { String($0.dropFirst("fallback='".count).dropLast()).replacingOccurrences(of: #"'\''"#, with: "'") }
        let onPath = Self.findExecutable("context-sync", path: environment["PATH"]) != nil
        if !onPath, fallback.map({ access($0, X_OK) != 0 }) ?? true {
            return DoctorCheck(.warn, "pre-push hook", "installed, but context-sync is not on PATH and \(fallback.map(tilde) ?? "the script's fallback path") is gone, so the hook checks nothing",
                               fix: "put context-sync on PATH, or run context-sync install hook again")
        }
        var detail = "installed (\(tilde(hook)))"
        if HookInstaller.exists(chained) { detail += "; runs \(HookInstaller.chainedName) first" }
        return DoctorCheck(.ok, "pre-push hook", detail)
    }

    func tilde(_ path: String) -> String { Paths.tilde(path, home: environment.home) }
}

extension Doctor {
    /// learnings.md: how many bullets, against the budget, and how many are stale.
    func learningsCheck(_ topLevel: String) -> DoctorCheck {
        let name = "learnings"
        do {
            guard let text = try WorkTreeFile(workdir: topLevel).readText(LearningsDocument.relativePath) else {
                return DoctorCheck(.ok, name, "no \(LearningsDocument.relativePath) yet")
            }
            let bullets = LearningsDocument(parsing: text).allBullets.count
            let stale = try StaleBullets.find(projectPath: topLevel).count
            let config = (try? Config.load(environment: environment)) ?? Config()
            let options = LearningsTidy.Options(maxBullets: config.learningsMaxBullets ?? 150, maxChars: config.learningsMaxChars ?? 20_000)
            let detail = "\(bullets) bullet\(bullets == 1 ? "" : "s"), \(text.count) characters, \(stale) stale"
            if stale > 0 || LearningsTidy.isOverBudget(text, options: options) {
                return DoctorCheck(.warn, name, detail + (LearningsTidy.isOverBudget(text, options: options)
                                                          ? " (over the budget of \(options.maxBullets) bullets / \(options.maxChars) characters)" : ""),
                                   fix: "context-sync stale; context-sync tidy --dry-run, then context-sync tidy")
            }
            return DoctorCheck(.ok, name, detail)
        } catch let e as ContextSyncError {
            return DoctorCheck(.fail, name, e.message, fix: "fix \(LearningsDocument.relativePath) as the message says")
        } catch {
            return DoctorCheck(.fail, name, "\(error)", fix: "fix \(LearningsDocument.relativePath)")
        }
    }
}
