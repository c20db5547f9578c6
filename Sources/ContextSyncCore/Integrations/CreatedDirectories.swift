#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The folders the installers created (`skills/`, `systemd/user/`, `Library/LaunchAgents/`, ...),
/// one absolute path a line in `<state dir>/installed-directories`, so that uninstalling removes
/// those it made once they are empty, and never a folder that was there before or that holds
/// anything else.
public struct CreatedDirectories: Sendable {
    public var file: String

    public init(stateDirectory: String) {
        file = stateDirectory + "/installed-directories"
    }

    public var recorded: [String] {
        guard let data = FileManager.default.contents(atPath: file) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).filter { $0.hasPrefix("/") }
    }

    func save(_ dirs: [String]) throws {
        if dirs.isEmpty {
            try ManagedFile.remove(file)
        } else {
            try AtomicFile.write(dirs.joined(separator: "\n") + "\n", to: file, mode: 0o600)
        }
    }

    /// Creates `dir` and the folders above it that are missing, recording each one it created.
    func make(_ dir: String) throws {
        var missing: [String] = []
        var d = Paths.normalize(dir)
        while d.count > 1, ManagedFile.absent(d), missing.count < 64 {
            missing.append(d)
            d = (d as NSString).deletingLastPathComponent
        }
        guard !missing.isEmpty else { return }
        try AtomicFile.makeDirectories(dir)
        var all = recorded
        for m in missing.reversed() where !all.contains(m) { all.append(m) }
        try save(all)
    }

    /// Removes `dir` and then each folder above it, as long as it is one we recorded and it is
    /// empty (one already gone is forgotten); returns the folders removed. A folder that is not
    /// empty stays recorded.
    @discardableResult
    func removeEmpty(from dir: String) -> [String] {
        var all = recorded
        var removed: [String] = []
        var d = Paths.normalize(dir)
        while d.count > 1, let i = all.firstIndex(of: d), removed.count < 64 {
            if rmdir(d) == 0 {
                removed.append(d)
            } else if errno != ENOENT {
                break
            }
            all.remove(at: i)
            d = (d as NSString).deletingLastPathComponent
        }
        if all.count != recorded.count { try? save(all) }
        return removed
    }
}
