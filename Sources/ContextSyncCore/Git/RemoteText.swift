import Foundation

/// What GitNetwork checks before it asks libgit2, and what it makes of the server's own words.
extension GitNetwork {
    /// The absolute path a remote URL names when it is a filesystem path (`/srv/r.git`,
    /// `../r.git`, `file:///srv/r.git`) that does not exist; nil for any other URL (`host:path`
    /// is scp-like ssh, as in git) and for a path that exists.
    static func missingLocalPath(_ url: String, relativeTo workdir: String) -> String? {
        var path: String
        if url.hasPrefix("file://") {
            path = String(url.dropFirst("file://".count))
            path = path.removingPercentEncoding ?? path
        } else if url.hasPrefix("/") {
            path = url
        } else if url.contains("://") {
            return nil
        } else if let colon = url.firstIndex(of: ":"), !url[..<colon].contains("/") {
            return nil  // scp-like `[user@]host:path`
        } else {
            path = workdir + "/" + url
        }
        guard !path.isEmpty else { return nil }
        let absolute = Paths.normalize(path)
        return Paths.exists(absolute) ? nil : absolute
    }

    /// What the server printed on the sideband (a pre-receive hook's output, "remote: ..." lines
    /// in git): at most the last `maxRemoteLines` lines that are not progress counters,
    /// control characters dropped, secrets redacted.
    static let maxRemoteLines = 6

    static func remoteText(_ raw: String) -> String? {
        let progress = ["Counting objects", "Compressing objects", "Writing objects", "Resolving deltas",
                        "Enumerating objects", "Total ", "Delta compression", "Unpacking objects"]
        var lines: [String] = []
        // Colour codes (ESC [ ... letter) go first, then any other control character.
        let plain = raw.replacingOccurrences(of: "\u{1b}\\[[0-9;?]*[A-Za-z]", with: "", options: .regularExpression)
        for piece in plain.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var line = String(piece.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7f || $0 == "\t" })
            line = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("remote: ") { line = String(line.dropFirst(8)) }
            guard !line.isEmpty, !progress.contains(where: { line.hasPrefix($0) }) else { continue }
            if lines.last != line { lines.append(String(line.prefix(300))) }
        }
        guard !lines.isEmpty else { return nil }
        return remoteRedactor.redact(lines.suffix(maxRemoteLines).joined(separator: " | "))
    }

    private static let remoteRedactor = SecretScanner()
}
