import ContextSyncCore
import Foundation

enum Format {
    static func bytes(_ n: Int64) -> String {
        let d = Double(n)
        if d < 1024 { return "\(n) B" }
        if d < 1024 * 1024 { return String(format: "%.1f KB", d / 1024) }
        if d < 1024 * 1024 * 1024 { return String(format: "%.1f MB", d / 1024 / 1024) }
        return String(format: "%.2f GB", d / 1024 / 1024 / 1024)
    }

    static func localTime(nanos: Int64) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: Date(timeIntervalSince1970: Double(nanos) / 1e9))
    }

    static func iso(nanos: Int64) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date(timeIntervalSince1970: Double(nanos) / 1e9))
    }

    /// `~`-abbreviated path for display.
    static func tilde(_ path: String, home: String) -> String {
        if let rel = Paths.relative(path, to: home) { return rel.isEmpty ? "~" : "~/" + rel }
        return path
    }

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
