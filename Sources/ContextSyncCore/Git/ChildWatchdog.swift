#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Clibgit2
import Foundation

/// Keeps a `push-once` child from outliving its purpose. The parent kills it at the deadline,
/// but a parent that is itself killed (SIGKILL, SIGHUP of a closed terminal) cannot: then the
/// child, blocked in libgit2 against a stalled server, would live on. So the child
/// - asks the kernel for SIGKILL when its parent dies (Linux `PR_SET_PDEATHSIG`), and also
///   watches `getppid()` (other systems, and the race before the request took effect);
/// - arms its own alarm at the deadline the parent passed (plus a grace second), whose default
///   action ends the process.
public enum ChildWatchdog {
    /// The parent's pid, as the parent saw itself.
    public static let parentVariable = "CONTEXT_SYNC_PARENT_PID"
    /// The attempt's deadline in seconds.
    public static let deadlineVariable = "CONTEXT_SYNC_ATTEMPT_DEADLINE"

    /// The variables a parent sets for a child that must not outlive it or `deadline`.
    public static func childEnvironment(deadline: Double) -> [String: String] {
        [parentVariable: String(getpid()), deadlineVariable: String(deadline)]
    }

    /// Installs the watchdog in the child, from the variables the parent set (nothing when they
    /// are absent: run by hand).
    public static func install(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let deadline = environment[deadlineVariable].flatMap(Double.init).flatMap { $0 > 0 && $0 < 86_400 ? $0 : nil }
        if let d = deadline {
            // A parent's blocked signal mask is inherited across exec: unblock the alarm.
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGALRM)
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
            signal(SIGALRM, SIG_DFL)
            alarm(UInt32(d.rounded(.up)) + 1)
        }
        guard let parent = environment[parentVariable].flatMap(Int32.init), parent > 1 else { return }
        _ = cs_set_parent_death_signal(SIGKILL)
        if getppid() != parent { _exit(137) }
        // Watching is needed only until the alarm ends the child (when there is a deadline).
        let ticks = deadline.map { Int(($0.rounded(.up) + 2) / 0.2) } ?? Int.max
        Thread.detachNewThread {
            for _ in 0..<ticks {
                usleep(200_000)
                if getppid() != parent { _exit(137) }
            }
        }
    }
}
