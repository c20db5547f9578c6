import ContextSyncCore
import Foundation

/// A clock whose `sleep` only moves its own time forward and records how long it was asked
/// to wait.
public final class ManualClock: WaitClock, @unchecked Sendable {
    private let lock = NSLock()
    private var time: Date
    private var asked: [Double] = []

    public init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        time = start
    }

    public var now: Date { lock.lock(); defer { lock.unlock() }; return time }

    /// Every wait asked for, in order.
    public var sleeps: [Double] { lock.lock(); defer { lock.unlock() }; return asked }

    public func sleep(seconds: Double) {
        lock.lock()
        asked.append(seconds)
        time = time.addingTimeInterval(max(0, seconds))
        lock.unlock()
    }
}
