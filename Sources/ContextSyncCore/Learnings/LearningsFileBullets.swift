import Foundation

/// The bullets already in a project's `.claude/learnings.md` (any section, any machine).
public enum LearningsFileBullets {
    /// Read without following a symlink (a linked learnings.md is refused later by the write
    /// path; here it counts as empty rather than reading the link's target).
    public static func read(projectRoot: String) -> [String] {
        guard let bytes = try? WorkTreeFile(workdir: projectRoot).read(LearningsDocument.relativePath) else { return [] }
        return LearningsDocument(parsing: String(decoding: bytes, as: UTF8.self)).allBullets
    }
}

/// The machine name: flag, else `$CONTEXT_SYNC_MACHINE`, else config, else the short host name.
public enum MachineName {
    public static func resolve(flag: String?, environment: Environment, config: Config) throws -> String {
        let name = flag ?? environment["CONTEXT_SYNC_MACHINE"] ?? config.machine ?? shortHostName()
        guard !name.isEmpty, !name.contains("\n"), !name.contains(")"), !name.contains("(") else {
            throw ContextSyncError("invalid machine name \"\(name)\" (use letters, digits, dots and dashes)")
        }
        return name
    }

    /// This machine's host name up to the first dot (`gethostname`, no DNS lookup).
    public static func shortHostName() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buf.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return String(name.split(separator: ".").first ?? "localhost")
    }

    /// Today's local date as YYYY-MM-DD.
    public static func today(_ date: Date = Date()) -> String {
        var t = time_t(date.timeIntervalSince1970)
        var tm = tm()
        localtime_r(&t, &tm)
        let m = tm.tm_mon + 1, d = tm.tm_mday
        return "\(tm.tm_year + 1900)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
    }
}
