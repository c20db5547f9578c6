#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One line of the unattended run log: what `run --all` or `run --if-opted-in` did in one
/// repository (or, with `project` "-", why the whole run stopped before reaching any).
public struct RunLogEntry: Sendable, Equatable {
    /// ISO 8601, UTC.
    public var time: String
    /// `all` or `if-opted-in`.
    public var mode: String
    /// The repository's top level ("-" when the run failed before any repository).
    public var project: String
    public var identity: String?
    /// `committed`, `pushed`, `queued`, `push-stopped`, `no-new-learnings`, `nothing-new`,
    /// `dry-run`, `secret`, `locked`, `skipped` or `error`.
    public var outcome: String
    public var exitCode: Int
    public var sessions: Int
    public var added: Int
    /// One line, redacted; nil when the run went well.
    public var error: String?

    public init(time: String = RunLog.now(), mode: String, project: String, identity: String? = nil, outcome: String,
                exitCode: Int, sessions: Int = 0, added: Int = 0, error: String? = nil) {
        self.time = time
        self.mode = mode
        self.project = project
        self.identity = identity
        self.outcome = outcome
        self.exitCode = exitCode
        self.sessions = sessions
        self.added = added
        self.error = error
    }

    /// A failed run: a secret stopped it (1) or an error (2). Queued (3) and locked (4) retry
    /// on their own at the next run.
    public var failed: Bool { exitCode == 1 || exitCode == 2 }

    public var json: JSONValue {
        var b = JSONObjectBuilder()
        b.set("time", time)
        b.set("mode", mode)
        b.set("project", project)
        b.set("identity", identity)
        b.set("outcome", outcome)
        b.set("exitCode", exitCode)
        b.set("sessions", sessions)
        b.set("added", added)
        b.set("error", error)
        return b.value
    }

    init?(json v: JSONValue) {
        guard let time = v["time"]?.string, let project = v["project"]?.string, let outcome = v["outcome"]?.string,
              let code = v["exitCode"]?.number else { return nil }
        self.init(time: time, mode: v["mode"]?.string ?? "?", project: project, identity: v["identity"]?.string,
                  outcome: outcome, exitCode: Int(code), sessions: Int(v["sessions"]?.number ?? 0),
                  added: Int(v["added"]?.number ?? 0), error: v["error"]?.string)
    }
}

/// `$XDG_STATE_HOME/context-sync/runs.log`: one JSON object per line, appended (O_APPEND, one
/// write per line, never through a symlink) and rotated by size to `runs.log.1` (one old file
/// kept). The caller redacts; `append` also cuts the error to one line of at most 300 characters.
public struct RunLog: Sendable {
    public static let fileName = "runs.log"
    /// `install cron` and `install claude-hook` send the run's stderr here.
    public static let stderrFileName = "unattended.err"
    public var path: String
    public var maxBytes: Int

    public init(path: String, maxBytes: Int = 1 << 20) {
        self.path = path
        self.maxBytes = maxBytes
    }

    public init(stateDirectory: String, maxBytes: Int = 1 << 20) {
        self.init(path: stateDirectory + "/" + Self.fileName, maxBytes: maxBytes)
    }

    public var rotatedPath: String { path + ".1" }

    public static func now() -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date())
    }

    /// Appends `entry` as one line. Rotates first when the file has reached `maxBytes`.
    public func append(_ entry: RunLogEntry) throws {
        var e = entry
        e.error = e.error.map(Self.oneLine)
        let dir = (path as NSString).deletingLastPathComponent
        try AtomicFile.makeDirectories(dir)
        Self.rotate(path, maxBytes: maxBytes)
        let line = Array((e.json.serialized(pretty: false) + "\n").utf8)
        var fd: Int32
        repeat {
            fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0o600)
        } while fd < 0 && errno == EINTR
        guard fd >= 0 else {
            if errno == ELOOP {
                throw ContextSyncError("\(path) is a symbolic link: not written through (remove it; context-sync creates the file)")
            }
            throw ContextSyncError.io("cannot append to", path: path, errno: errno)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw ContextSyncError("\(path) is not a regular file (move it away; context-sync creates the file)")
        }
        let failed = writeAll(fd, line)
        if failed != 0 { throw ContextSyncError.io("cannot append to", path: path, errno: failed) }
    }

    /// Renames `path` to `path.1` (replacing it) when `path` is a regular file of `maxBytes` or
    /// more. Used for the run log and the stderr file the installed lines append to.
    public static func rotate(_ path: String, maxBytes: Int) {
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, Int(st.st_size) >= maxBytes else { return }
        _ = rename(path, path + ".1")
    }

    /// At most 300 characters of the first non-empty line.
    static func oneLine(_ s: String) -> String {
        let first = s.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let t = first.trimmingCharacters(in: .whitespaces)
        return t.count > 300 ? String(t.prefix(299)) + "…" : t
    }

    /// What `recent` read.
    public struct Recent: Sendable, Equatable {
        public var entries: [RunLogEntry]
        /// Lines that are not entries (a torn write, an edit): skipped.
        public var unreadable: Int
        /// False when neither file exists.
        public var exists: Bool
    }

    /// The last `limit` entries, oldest first, from `runs.log.1` and `runs.log`.
    public func recent(_ limit: Int) throws -> Recent {
        var entries: [RunLogEntry] = []
        var unreadable = 0
        var exists = false
        for p in [rotatedPath, path] {
            guard let bytes = try UserFile.readIfPresent(p, what: "run log", remedy: "move it away; the next unattended run starts a new one") else { continue }
            exists = true
            for line in bytes.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
                if let v = try? JSONParser.parse(Array(line)), let e = RunLogEntry(json: v) {
                    entries.append(e)
                } else {
                    unreadable += 1
                }
            }
        }
        return Recent(entries: Array(entries.suffix(max(0, limit))), unreadable: unreadable, exists: exists)
    }
}
