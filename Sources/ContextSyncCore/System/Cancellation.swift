#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGTERM / SIGINT / SIGHUP (a closed terminal) during a run: remembered instead of killing the process mid-commit (which
/// could leave libgit2's `index.lock` or a ref lock behind and break the user's next git
/// command). `ProjectRun` checks `requested` before it writes anything and stops there; once
/// writing has begun it finishes the commit. A second signal exits at once.
public enum Cancellation {
    nonisolated(unsafe) private static var signals: sig_atomic_t = 0

    /// True once SIGTERM, SIGINT or SIGHUP arrived after `install()`.
    public static var requested: Bool { signals > 0 }

    /// Installs the handlers (idempotent).
    public static func install() {
        // A parent may have blocked these (a blocked mask is inherited across exec): unblock
        // them, or the signal would wait unseen until the run ends.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGHUP)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for s in [SIGTERM, SIGINT, SIGHUP] {
            signal(s) { sig in
                Cancellation.signals += 1
                if Cancellation.signals > 1 { _exit(128 + sig) }
            }
        }
    }
}
