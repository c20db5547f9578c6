#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Clibgit2
import Foundation

/// git's own lock on the index (`<gitdir>/index.lock`, created exclusively), held by context-sync
/// from just before it moves the branch until the index holds the new entries. While we hold it
/// no other git command can write the index, so the branch and the index never disagree for a
/// user's next `git commit` to undo our commit with. A lock we left behind (a killed run) holds
/// our marker and pid, and the next run removes it when that process is gone.
final class IndexLock {
    let lockPath: String
    let indexPath: String
    private var held = true

    static let marker = "context-sync index lock pid "

    private init(lockPath: String, indexPath: String) {
        self.lockPath = lockPath
        self.indexPath = indexPath
    }

    /// The index file of `repo` (per worktree).
    static func indexPath(_ repo: Repository) throws -> String {
        var buf = git_buf()
        defer { git_buf_dispose(&buf) }
        try check(git_repository_item_path(&buf, repo.pointer, GIT_REPOSITORY_ITEM_INDEX), "git_repository_item_path(index)")
        return String(cString: buf.ptr)
    }

    /// Takes the lock, waiting up to `wait` seconds (polling every 50 ms of `clock`) for another
    /// git command to release it. Throws `ContextSyncError` with status `.locked` when it stays held.
    static func acquire(_ repo: Repository, wait: Double, clock: any WaitClock = SystemClock()) throws -> IndexLock {
        let index = try indexPath(repo)
        let lock = index + ".lock"
        removeIfStale(lock)
        let deadline = clock.now.addingTimeInterval(max(0, wait))
        var tries = 0
        while true {
            let fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
            if fd >= 0 {
                writeAll(fd, Array((marker + "\(getpid())\n").utf8))
                close(fd)
                return IndexLock(lockPath: lock, indexPath: index)
            }
            let e = errno
            tries += 1
            guard e == EEXIST, clock.now < deadline, tries < 100_000 else {
                if e == EEXIST {
                    throw ContextSyncError("git's index lock \(lock) is held (another git command is running; if none is, remove the stale lock): nothing was changed, try again later", status: .locked)
                }
                throw ContextSyncError.io("cannot create", path: lock, errno: e)
            }
            clock.sleep(seconds: 0.05)
        }
    }

    /// Removes `lock` when it is one of ours whose process is gone.
    static func removeIfStale(_ lock: String) {
        guard let data = FileManager.default.contents(atPath: lock), data.count < 200,
              let text = String(data: data, encoding: .utf8), text.hasPrefix(marker),
              let pid = Int32(text.dropFirst(marker.count).trimmingCharacters(in: .whitespacesAndNewlines)) else { return }
        if pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH { unlink(lock) }
    }

    /// Writes `index` (entries copied from the current index file, then `update` applied) to the
    /// index file while the lock is held: into a temporary index, renamed over the real one.
    func writeIndex(_ update: (OpaquePointer) throws -> Void) throws {
        let tmp = indexPath + ".context-sync-new"
        unlink(tmp)
        unlink(tmp + ".lock")
        var src: OpaquePointer?, dst: OpaquePointer?
        try check(git_index_open(&src, indexPath), "git_index_open(\(indexPath))")
        defer { git_index_free(src) }
        try check(git_index_open(&dst, tmp), "git_index_open(\(tmp))")
        defer { git_index_free(dst) }
        let version = git_index_version(src)
        if version >= 2 { _ = git_index_set_version(dst, version) }
        let n = git_index_entrycount(src)
        for i in 0..<n {
            guard let e = git_index_get_byindex(src, i) else { continue }
            try check(git_index_add(dst, e), "git_index_add")
        }
        try update(dst!)
        let rc = git_index_write(dst)
        if rc < 0 {
            unlink(tmp)
            let e = GitError.last("git_index_write", rc)
            throw ContextSyncError("cannot write the index (\(e.message))")
        }
        if rename(tmp, indexPath) != 0 {
            let e = errno
            unlink(tmp)
            throw ContextSyncError.io("cannot replace", path: indexPath, errno: e)
        }
    }

    func release() {
        guard held else { return }
        held = false
        unlink(lockPath)
    }

    deinit { release() }
}
