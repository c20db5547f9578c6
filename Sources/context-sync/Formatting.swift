import ContextSyncCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What every `--json` output carries: `"schemaVersion": 1` first in each top-level object (each
/// element of `run --all --json`'s array, each line of `scan --json`). Raise it when a key changes
/// meaning or goes away; adding a key does not. README "JSON output" lists the shapes.
enum JSONOutput {
    static let schemaVersion = 1
}

enum Format {
    static func bytes(_ n: Int64) -> String {
        let d = Double(n)
        if d < 1024 { return "\(n) B" }
        if d < 1024 * 1024 { return String(format: "%.1f KB", d / 1024) }
        if d < 1024 * 1024 * 1024 { return String(format: "%.1f MB", d / 1024 / 1024) }
        return String(format: "%.2f GB", d / 1024 / 1024 / 1024)
    }

    /// `YYYY-MM-DD HH:MM` in local time (libc: a Foundation DateFormatter costs ~0.1 ms per row).
    static func localTime(nanos: Int64) -> String {
        var t = time_t(nanos / 1_000_000_000)
        var tm = tm()
        localtime_r(&t, &tm)
        return "\(tm.tm_year + 1900)-\(two(tm.tm_mon + 1))-\(two(tm.tm_mday)) \(two(tm.tm_hour)):\(two(tm.tm_min))"
    }

    /// ISO-8601 UTC with milliseconds, like Claude Code's own timestamps.
    static func iso(nanos: Int64) -> String {
        var t = time_t(nanos / 1_000_000_000)
        var tm = tm()
        gmtime_r(&t, &tm)
        let ms = Int((nanos % 1_000_000_000) / 1_000_000)
        let msText = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return "\(tm.tm_year + 1900)-\(two(tm.tm_mon + 1))-\(two(tm.tm_mday))T\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec)).\(msText)Z"
    }

    private static func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// `~`-abbreviated path for display.
    static func tilde(_ path: String, home: String) -> String { Paths.tilde(path, home: home) }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    static func truncate(_ s: String, _ width: Int) -> String {
        let oneLine = s.replacingOccurrences(of: "\n", with: " ")
        return oneLine.count <= width ? oneLine : String(oneLine.prefix(width - 1)) + "…"
    }

    static func identityJSON(_ id: ProjectIdentity) -> JSONValue {
        var b = JSONObjectBuilder()
        b.set("key", id.key)
        b.set("source", id.source.rawValue)
        b.set("remoteURL", id.remoteURL)
        b.set("rootCommit", id.rootCommit)
        return b.value
    }
}
