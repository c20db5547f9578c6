#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// File-system side of `context-sync scan`: which files a path stands for (reading them is
/// `SecretScanner.scan(reading:)`, streamed).
public enum SecretScanFiles {
    /// The files `paths` stand for, in order: a file stands for itself; a directory for every
    /// regular file below it (sorted, recursively), skipping `.git` directories and symbolic
    /// links (so a link cycle cannot loop and nothing outside the tree is read). Binary files
    /// are skipped later, when their content is read (`scan(reading:file:skipBinary:)`).
    ///
    /// - Throws: `ContextSyncError` (usage) for a path that does not exist or cannot be listed.
    public static func expand(_ paths: [String]) throws -> [(path: String, explicit: Bool)] {
        var out: [(String, Bool)] = []
        for path in paths {
            var st = stat()
            guard stat(path, &st) == 0 else {
                throw ContextSyncError.io("cannot scan", path: path, errno: errno)
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                try walk(path, into: &out)
            } else {
                out.append((path, true))
            }
        }
        return out
    }

    private static func walk(_ dir: String, into out: inout [(String, Bool)]) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        } catch {
            throw ContextSyncError("cannot list directory \(dir) (check its permissions)")
        }
        for name in names {
            let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                if name == ".git" { continue }
                try walk(path, into: &out)
            case S_IFREG:
                out.append((path, false))
            default:
                continue  // symbolic links, sockets, devices
            }
        }
    }
}
