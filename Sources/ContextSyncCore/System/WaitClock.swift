#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The time and the waits of the loops that poll or back off (push retries, the run lock, git's
/// index lock). Production uses `SystemClock`; tests pass a clock whose `sleep` only moves its
/// own time forward, so a policy with seconds of backoff is checked in milliseconds.
public protocol WaitClock: Sendable {
    /// The current time, as this clock sees it.
    var now: Date { get }
    /// Waits `seconds` (nothing for zero or less).
    func sleep(seconds: Double)
}

/// The wall clock and a real `usleep`.
public struct SystemClock: WaitClock {
    public init() {}

    public var now: Date { Date() }

    public func sleep(seconds: Double) {
        usleep(UInt32(max(0, seconds) * 1_000_000))
    }
}
