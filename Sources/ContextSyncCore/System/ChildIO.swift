#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Waits for one child on a thread of its own (a blocking `waitpid`), then writes a byte to
/// `wake` so the `poll` loop in `ChildIO` learns of it with the pipes it watches.
final class ChildReaper: @unchecked Sendable {
    let pid: pid_t
    private let wake: Int32
    private let lock = NSLock()
    private var _ending: ChildProcess.Ending?

    init(pid: pid_t, wake: Int32) {
        self.pid = pid
        self.wake = wake
    }

    /// How the child ended; nil while it runs.
    var ending: ChildProcess.Ending? { lock.withLock { _ending } }

    func start() {
        Thread.detachNewThread { [self] in
            var status: Int32 = 0
            var r: pid_t = -1
            // Each EINTR is a signal delivered to this thread; they do not come forever.
            for _ in 0..<10_000 {
                r = waitpid(pid, &status, 0)
                if r >= 0 || errno != EINTR { break }
            }
            let ending = r == pid ? Self.decode(status) : .exited(-1)
            lock.withLock { _ending = ending }
            var byte: UInt8 = 1
            _ = write(wake, &byte, 1)
            close(wake)
        }
    }

    static func decode(_ status: Int32) -> ChildProcess.Ending {
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }
}

/// The parent's side of a running child: stdin written, stdout and stderr read, all in one
/// `poll` loop, and the timeout's signals sent to the process group.
struct ChildIO {
    struct Sink {
        var fd: Int32
        var limit: Int
        var kept = Data()
        var dropped = 0
        var open = true
    }

    var stdinFD: Int32?
    var pending: Data
    var written = 0
    var stdout: Sink?
    var stderr: Sink?
    var wake: Int32
    var wakeOpen = true

    /// Iterations of the loop at most (each reads up to `chunk` bytes or passes a timed event):
    /// a child that prints without end and has no timeout is stopped here.
    static let maxIterations = 1 << 24
    static let chunk = 64 * 1024
    /// How long a killed child may take to be reaped before the loop gives up on it.
    static let reapBound = 5.0

    init(stdin: (Int32, Data)?, stdout: (Int32, Int)?, stderr: (Int32, Int)?, wake: Int32) {
        stdinFD = stdin?.0
        pending = stdin?.1 ?? Data()
        self.stdout = stdout.map { Sink(fd: $0.0, limit: $0.1) }
        self.stderr = stderr.map { Sink(fd: $0.0, limit: $0.1) }
        self.wake = wake
        if pending.isEmpty { closeStdin() }
    }

    /// Runs until the child ended and its pipes are drained (or `drainGrace` passed); returns
    /// whether the timeout stopped it.
    mutating func run(pid: pid_t, reaper: ChildReaper, timeout: Double?, killGrace: Double, drainGrace: Double) -> Bool {
        let start = Self.now()
        let deadline = timeout.map { start + max(0, $0) }
        var timedOut = false
        var killAt: Double?, killed = false, giveUpAt: Double?
        var exitedAt: Double?
        func sigkill(_ now: Double) {
            kill(-pid, SIGKILL)
            killed = true
            giveUpAt = now + Self.reapBound
        }
        for iteration in 0..<Self.maxIterations {
            let now = Self.now()
            if iteration == Self.maxIterations - 1, exitedAt == nil {
                timedOut = true
                sigkill(now)
                break
            }
            if let deadline, !timedOut, exitedAt == nil, now >= deadline {
                timedOut = true
                if killGrace > 0 {
                    kill(-pid, SIGTERM)
                    killAt = now + killGrace
                } else {
                    sigkill(now)
                }
            }
            // Once the leader is gone, whatever else is left in its group goes at once.
            if timedOut, !killed, let at = killAt, now >= at || exitedAt != nil { sigkill(now) }
            if let exitedAt {
                if stdout?.open != true && stderr?.open != true { break }
                if now >= exitedAt + drainGrace { break }
            } else if let giveUpAt, now >= giveUpAt {
                break
            }

            var fds: [pollfd] = []
            if wakeOpen { fds.append(pollfd(fd: wake, events: Int16(POLLIN), revents: 0)) }
            if let fd = stdinFD { fds.append(pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)) }
            for sink in [stdout, stderr] where sink?.open == true {
                fds.append(pollfd(fd: sink!.fd, events: Int16(POLLIN), revents: 0))
            }
            let next = [timedOut ? nil : deadline, killed ? nil : killAt, exitedAt.map { $0 + drainGrace }, giveUpAt]
                .compactMap { $0 }.min()
            let waitMS = next.map { Int32(min(max(0, ($0 - now) * 1000).rounded(.up), 60_000)) } ?? -1
            let rc = poll(&fds, nfds_t(fds.count), waitMS)
            if rc < 0 && errno != EINTR { break }
            guard rc > 0 else { continue }
            for p in fds where p.revents != 0 {
                if p.fd == wake {
                    var byte: UInt8 = 0
                    _ = read(wake, &byte, 1)
                    close(wake)
                    wakeOpen = false
                    exitedAt = Self.now()
                    closeStdin()  // nobody reads it any more
                } else if p.fd == stdinFD {
                    writeStdin()
                } else if p.fd == stdout?.fd {
                    Self.drain(&stdout!)
                } else if p.fd == stderr?.fd {
                    Self.drain(&stderr!)
                }
            }
        }
        return timedOut
    }

    mutating func writeStdin() {
        guard let fd = stdinFD else { return }
        let n = pending.withUnsafeBytes { buf -> Int in
            let rest = buf.count - written
            return rest > 0 ? write(fd, buf.baseAddress! + written, min(rest, Self.chunk)) : 0
        }
        if n > 0 { written += n }
        if written >= pending.count || (n < 0 && errno != EAGAIN && errno != EINTR) { closeStdin() }
    }

    mutating func closeStdin() {
        if let fd = stdinFD { close(fd) }
        stdinFD = nil
    }

    /// Reads what is there; past the limit it is counted, not kept.
    static func drain(_ sink: inout Sink) {
        var buffer = [UInt8](repeating: 0, count: chunk)
        let n = buffer.withUnsafeMutableBytes { read(sink.fd, $0.baseAddress, $0.count) }
        if n > 0 {
            let keep = min(n, max(0, sink.limit - sink.kept.count))
            if keep > 0 { sink.kept.append(contentsOf: buffer[0..<keep]) }
            sink.dropped += n - keep
        } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
            close(sink.fd)
            sink.open = false
        }
    }

    mutating func closeAll() {
        closeStdin()
        if wakeOpen { close(wake); wakeOpen = false }
        if stdout?.open == true { close(stdout!.fd); stdout!.open = false }
        if stderr?.open == true { close(stderr!.fd); stderr!.open = false }
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
