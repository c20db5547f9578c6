import Foundation
import TOMLKit

/// `$XDG_CONFIG_HOME/context-sync/config.toml`. Every key is optional.
///
/// ```toml
/// machine = "laptop"          # machine name in learnings headings (default: short host name)
/// settle_minutes = 15         # a session written to within this window is still active
/// claude_dir = "~/.claude"    # Claude Code's root (default: $CLAUDE_CONFIG_DIR, else ~/.claude)
///
/// [path_map]                  # rewrite foreign path prefixes of copied sessions
/// "/Users/me/code" = "/home/me/src"
///
/// [secrets]
/// allow = ["^example-token-[0-9]+$"]   # regexes of values never reported
///
/// [extractor]
/// kind = "heuristic"          # or "command" / "claude"
/// command = "llm -m my-model" # for kind = "command"
/// timeout_seconds = 300
/// max_learnings = 10
///
/// [push]
/// attempts = 3                # tries per push (exponential backoff with jitter between them)
/// timeout_seconds = 60        # deadline of each network attempt
///
/// [projects]                  # which repositories `run --all` may commit to (globs on the path)
/// include = ["~/src/*"]
/// exclude = ["~/src/secret-*"]
/// ```
public struct Config: Sendable, Equatable {
    public var machine: String?
    public var settleMinutes: Double?
    public var claudeDir: String?
    /// Prefix rewrites, longest `from` first.
    public var pathMap: [(from: String, to: String)] = []
    public var secretAllowlist: [String] = []
    /// `[extractor] kind`: heuristic (default), command or claude.
    public var extractorKind: String?
    /// `[extractor] command`: the shell command for kind = "command".
    public var extractorCommand: String?
    public var extractorTimeoutSeconds: Double?
    /// `[extractor] max_learnings`: at most this many learnings per run.
    public var maxLearnings: Int?
    /// `[push] attempts`: tries per push.
    public var pushAttempts: Int?
    /// `[push] timeout_seconds`: deadline of each network attempt.
    public var pushTimeoutSeconds: Double?
    /// `[projects] include`: path globs of repositories `run --all` opts in (tilde expanded).
    public var projectInclude: [String] = []
    /// `[projects] exclude`: path globs `run --all` never touches, even when otherwise opted in.
    public var projectExclude: [String] = []
    /// The file it was read from, nil when none existed.
    public var source: String?

    public init() {}

    public static func == (a: Config, b: Config) -> Bool {
        a.machine == b.machine && a.settleMinutes == b.settleMinutes && a.claudeDir == b.claudeDir
            && a.pathMap.map { $0.from + "\u{0}" + $0.to } == b.pathMap.map { $0.from + "\u{0}" + $0.to }
            && a.secretAllowlist == b.secretAllowlist && a.source == b.source && a.extractorKind == b.extractorKind
            && a.extractorCommand == b.extractorCommand && a.extractorTimeoutSeconds == b.extractorTimeoutSeconds
            && a.maxLearnings == b.maxLearnings && a.pushAttempts == b.pushAttempts
            && a.pushTimeoutSeconds == b.pushTimeoutSeconds && a.projectInclude == b.projectInclude
            && a.projectExclude == b.projectExclude
    }

    /// Loads the config file; a missing file is an empty config, a broken one a clear error.
    public static func load(environment: Environment) throws -> Config {
        let path = environment.configFile
        guard let data = FileManager.default.contents(atPath: path) else { return Config() }
        var config = try parse(String(decoding: data, as: UTF8.self), path: path, home: environment.home)
        config.source = path
        return config
    }

    public static func parse(_ text: String, path: String, home: String) throws -> Config {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw ContextSyncError(
                "\(path):\(e.source.begin.line):\(e.source.begin.column): invalid TOML: \(e.description) (fix or remove the file)")
        }
        var c = Config()
        func fail(_ key: String, _ expected: String) -> ContextSyncError {
            ContextSyncError("\(path): `\(key)` must be \(expected) (fix the value or remove the key)")
        }
        for key in table.keys {
            let value = table[key]!
            switch key {
            case "machine":
                guard let s = value.string, !s.isEmpty else { throw fail(key, "a non-empty string") }
                c.machine = s
            case "settle_minutes":
                if let i = value.int { c.settleMinutes = Double(i) } else if let d = value.double { c.settleMinutes = d } else {
                    throw fail(key, "a number of minutes")
                }
                if c.settleMinutes! < 0 { throw fail(key, "zero or more") }
            case "claude_dir":
                guard let s = value.string else { throw fail(key, "a path string") }
                c.claudeDir = expandTilde(s, home: home)
            case "path_map":
                guard let t = value.table else { throw fail(key, "a table of \"from\" = \"to\" paths") }
                for from in t.keys {
                    guard let to = t[from]?.string else { throw fail("path_map.\(from)", "a path string") }
                    c.pathMap.append((from: Paths.normalize(expandTilde(from, home: home)),
                                      to: Paths.normalize(expandTilde(to, home: home))))
                }
                c.pathMap.sort { $0.from.count > $1.from.count }
            case "secrets":
                guard let t = value.table else { throw fail(key, "a table") }
                if let allow = t["allow"] {
                    guard let arr = allow.array else { throw fail("secrets.allow", "an array of regex strings") }
                    for item in arr {
                        guard let s = item.string else { throw fail("secrets.allow", "an array of regex strings") }
                        c.secretAllowlist.append(s)
                    }
                }
            case "extractor":
                guard let t = value.table else { throw fail(key, "a table") }
                if let k = t["kind"] {
                    guard let s = k.string, ["heuristic", "command", "claude"].contains(s) else {
                        throw fail("extractor.kind", "\"heuristic\", \"command\" or \"claude\"")
                    }
                    c.extractorKind = s
                }
                if let cmd = t["command"] {
                    guard let s = cmd.string, !s.isEmpty else { throw fail("extractor.command", "a non-empty command string") }
                    c.extractorCommand = s
                }
                if let v = t["timeout_seconds"] {
                    guard let d = v.double ?? v.int.map(Double.init), d > 0 else { throw fail("extractor.timeout_seconds", "a positive number") }
                    c.extractorTimeoutSeconds = d
                }
                if let v = t["max_learnings"] {
                    guard let i = v.int, i >= 1 else { throw fail("extractor.max_learnings", "a whole number of at least 1") }
                    c.maxLearnings = i
                }
            case "push":
                guard let t = value.table else { throw fail(key, "a table") }
                if let v = t["attempts"] {
                    guard let i = v.int, i >= 1, i <= 20 else { throw fail("push.attempts", "a whole number from 1 to 20") }
                    c.pushAttempts = i
                }
                if let v = t["timeout_seconds"] {
                    guard let d = v.double ?? v.int.map(Double.init), d > 0 else { throw fail("push.timeout_seconds", "a positive number") }
                    c.pushTimeoutSeconds = d
                }
            case "projects":
                guard let t = value.table else { throw fail(key, "a table") }
                for (k, name) in [("include", "projects.include"), ("exclude", "projects.exclude")] {
                    guard let v = t[k] else { continue }
                    guard let arr = v.array else { throw fail(name, "an array of path globs") }
                    var globs: [String] = []
                    for item in arr {
                        guard let g = item.string, !g.isEmpty else { throw fail(name, "an array of path globs") }
                        globs.append(expandTilde(g, home: home))
                    }
                    if k == "include" { c.projectInclude = globs } else { c.projectExclude = globs }
                }
            default:
                // Unknown keys are kept for forward compatibility (later versions add keys).
                continue
            }
        }
        return c
    }

    /// Applies the path map to an absolute path (longest matching prefix wins).
    /// Windows paths (`C:\Users\me\src\app`) match whatever their separators and letter case.
    public func mapPath(_ path: String) -> String {
        let windows = Paths.isWindows(path)
        let p = windows ? Paths.windowsCanonical(path) : path
        for (from, to) in pathMap {
            let inside = windows ? Paths.isInside(p.lowercased(), root: from.lowercased()) : Paths.isInside(p, root: from)
            guard inside else { continue }
            let rest = p.utf8.count == from.utf8.count ? "" : String(p.utf8.dropFirst(from.utf8.count + 1))!
            return rest.isEmpty ? to : (to == "/" ? "/" + rest : to + "/" + rest)
        }
        return path
    }

    static func expandTilde(_ s: String, home: String) -> String {
        if s == "~" { return home }
        if s.hasPrefix("~/") { return home + String(s.dropFirst(1)) }
        return s
    }
}
