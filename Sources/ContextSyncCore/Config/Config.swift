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
///
/// [learnings]                 # the budget `tidy` keeps learnings.md within
/// max_bullets = 150
/// max_chars = 20000
///
/// [memory]                    # Claude Code's auto memory (projects/<folder>/memory/*.md)
/// harvest = true
/// exclude = ["~/src/private-*"]
///
/// [patterns]                  # where `patterns --apply` writes bullets shared by repositories
/// repo = "~/src/agent-context"
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
    /// `[learnings] max_bullets`: `tidy` keeps at most this many bullets in learnings.md.
    public var learningsMaxBullets: Int?
    /// `[learnings] max_chars`: and at most this many characters.
    public var learningsMaxChars: Int?
    /// `[memory] harvest`: read Claude Code's auto memory into learnings.md (default true).
    public var memoryHarvest: Bool?
    /// `[memory] exclude`: path globs of repositories whose auto memory is not harvested.
    public var memoryExclude: [String] = []
    /// `[patterns] repo`: the repository `patterns --apply` writes shared patterns to.
    public var patternsRepo: String?
    /// The file it was read from, nil when none existed.
    public var source: String?
    /// One line per unknown key (misspelt, or from a later version): the file, the key and the
    /// nearest valid key. Every command prints them on stderr; `doctor` reports them as WARN.
    public var warnings: [String] = []

    public init() {}

    public static func == (a: Config, b: Config) -> Bool {
        a.machine == b.machine && a.settleMinutes == b.settleMinutes && a.claudeDir == b.claudeDir
            && a.pathMap.map { $0.from + "\u{0}" + $0.to } == b.pathMap.map { $0.from + "\u{0}" + $0.to }
            && a.secretAllowlist == b.secretAllowlist && a.source == b.source && a.extractorKind == b.extractorKind
            && a.extractorCommand == b.extractorCommand && a.extractorTimeoutSeconds == b.extractorTimeoutSeconds
            && a.maxLearnings == b.maxLearnings && a.pushAttempts == b.pushAttempts
            && a.pushTimeoutSeconds == b.pushTimeoutSeconds && a.projectInclude == b.projectInclude
            && a.projectExclude == b.projectExclude && a.learningsMaxBullets == b.learningsMaxBullets
            && a.learningsMaxChars == b.learningsMaxChars && a.memoryHarvest == b.memoryHarvest
            && a.memoryExclude == b.memoryExclude && a.patternsRepo == b.patternsRepo && a.warnings == b.warnings
    }

    /// Loads the config file; a missing file is an empty config. A broken one is a clear error
    /// naming the file: unreadable, a directory in its place, a NUL byte or invalid UTF-8 in it
    /// (never defaults, never the part before the NUL), invalid TOML, a bad value. Unknown keys
    /// are not errors (a later version may add keys): they are listed in `warnings`.
    public static func load(environment: Environment) throws -> Config {
        let path = environment.configFile
        let remedy = "fix or remove the file"
        guard let bytes = try UserFile.readIfPresent(path, what: "config file", remedy: remedy) else { return Config() }
        if let line = UserFile.lineOfFirstNUL(bytes) {
            throw ContextSyncError("\(path):\(line): config file holds a NUL byte (\(remedy); it must be UTF-8 text)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ContextSyncError("\(path): config file is not valid UTF-8 (\(remedy))")
        }
        var config = try parse(text, path: path, home: environment.home)
        config.source = path
        return config
    }

    /// Every key the config knows, by table ("" is the top level; `path_map` takes any key).
    public static let knownKeys: [String: [String]] = [
        "": ["machine", "settle_minutes", "claude_dir", "path_map", "secrets", "extractor", "push", "projects",
             "learnings", "memory", "patterns"],
        "secrets": ["allow"],
        "extractor": ["kind", "command", "timeout_seconds", "max_learnings"],
        "push": ["attempts", "timeout_seconds"],
        "projects": ["include", "exclude"],
        "learnings": ["max_bullets", "max_chars"],
        "memory": ["harvest", "exclude"],
        "patterns": ["repo"],
    ]

    /// The warning for an unknown `key` of `table` ("" for the top level): the file, the key and
    /// the nearest valid key.
    static func unknownKeyWarning(_ key: String, table: String, path: String) -> String {
        let known = knownKeys[table] ?? []
        let full = table.isEmpty ? key : table + "." + key
        // Nearest: a key that one is the start of the other (`timeout` → `timeout_seconds`),
        // then the fewest edits (`atempts` → `attempts`), then the alphabet.
        let k = key.lowercased()
        func score(_ a: String) -> (Int, Int) { (a.hasPrefix(k) || k.hasPrefix(a) ? 0 : 1, editDistance(k, a)) }
        let nearest = known.min { a, b in
            let sa = score(a), sb = score(b)
            return sa != sb ? sa < sb : a < b
        }
        let suggestion = nearest.map { "did you mean `\(table.isEmpty ? $0 : table + "." + $0)`?" } ?? "no keys expected here"
        return "\(path): unknown key `\(full)` is ignored (\(suggestion))"
    }

    /// Levenshtein distance (insertions, deletions, substitutions), on characters.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[y.count]
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
        func unknown(in t: TOMLTable, table: String) {
            let known = Set(knownKeys[table] ?? [])
            for k in t.keys where !known.contains(k) { c.warnings.append(unknownKeyWarning(k, table: table, path: path)) }
        }
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
                unknown(in: t, table: key)
                if let allow = t["allow"] {
                    guard let arr = allow.array else { throw fail("secrets.allow", "an array of regex strings") }
                    for item in arr {
                        guard let s = item.string else { throw fail("secrets.allow", "an array of regex strings") }
                        c.secretAllowlist.append(s)
                    }
                }
            case "extractor":
                guard let t = value.table else { throw fail(key, "a table") }
                unknown(in: t, table: key)
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
                unknown(in: t, table: key)
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
                unknown(in: t, table: key)
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
            case "learnings":
                guard let t = value.table else { throw fail(key, "a table") }
                if let v = t["max_bullets"] {
                    guard let i = v.int, i >= 1 else { throw fail("learnings.max_bullets", "a whole number of at least 1") }
                    c.learningsMaxBullets = i
                }
                if let v = t["max_chars"] {
                    guard let i = v.int, i >= 200 else { throw fail("learnings.max_chars", "a whole number of at least 200") }
                    c.learningsMaxChars = i
                }
            case "memory":
                guard let t = value.table else { throw fail(key, "a table") }
                if let v = t["harvest"] {
                    guard let b = v.bool else { throw fail("memory.harvest", "true or false") }
                    c.memoryHarvest = b
                }
                if let v = t["exclude"] {
                    guard let arr = v.array, arr.allSatisfy({ $0.string != nil }) else { throw fail("memory.exclude", "an array of path globs") }
                    c.memoryExclude = arr.compactMap(\.string).map { expandTilde($0, home: home) }
                }
            case "patterns":
                guard let t = value.table else { throw fail(key, "a table") }
                if let v = t["repo"] {
                    guard let s = v.string, !s.isEmpty else { throw fail("patterns.repo", "a repository path") }
                    c.patternsRepo = expandTilde(s, home: home)
                }
            default:
                // Not an error (a later version may add keys), but never silent: a misspelt key
                // would otherwise leave its setting at the default without a word.
                c.warnings.append(unknownKeyWarning(key, table: "", path: path))
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
