#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An advisory `flock` on a lock file. Held until `unlock()` or deinit; the kernel drops it if the
/// process dies, so a killed run never leaves a stale lock behind.
public final class FileLock {
    public let path: String
    private var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    /// Tries to take the lock, polling (every 50 ms of `clock`) until `wait` seconds have passed.
    /// Returns nil when another process still holds it.
    public static func acquire(at path: String, wait: Double, clock: any WaitClock = SystemClock()) throws -> FileLock? {
        try AtomicFile.makeDirectories((path as NSString).deletingLastPathComponent)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ContextSyncError.io("cannot open lock file", path: path, errno: errno) }
        let deadline = clock.now.addingTimeInterval(wait)
        while true {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                let pid = "\(getpid())\n"
                ftruncate(fd, 0)
                _ = pid.withCString { write(fd, $0, strlen($0)) }
                return FileLock(path: path, fd: fd)
            }
            if errno != EWOULDBLOCK && errno != EINTR {
                let e = errno
                close(fd)
                throw ContextSyncError.io("cannot lock", path: path, errno: e)
            }
            if clock.now >= deadline {
                close(fd)
                return nil
            }
            clock.sleep(seconds: 0.05)
        }
    }

    public func unlock() {
        if fd >= 0 {
            flock(fd, LOCK_UN)
            close(fd)
            fd = -1
        }
    }

    deinit { unlock() }
}
