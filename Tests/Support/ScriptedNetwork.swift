import ContextSyncCore
import Foundation

/// A `GitNetworkRunner` that answers each request from a script, in order, and records every
/// request: push policies (queueing, refusal, retry, replay) are tested without a server. A step
/// that must see the remote change first (another machine pushing in between) runs its action,
/// then performs the request for real in this process (a local-path or file:// remote).
public final class ScriptedNetworkRunner: GitNetworkRunner, @unchecked Sendable {
    public enum Step: @unchecked Sendable {
        /// Answer this without touching any repository.
        case answer(NetworkResult)
        /// Perform the request for real (`InProcessNetworkRunner`).
        case real
        /// Run the action (e.g. another machine's push), then perform the request for real.
        case realAfter(() -> Void)

        /// A transient failure, as a refused connection is classified.
        public static func networkDown(_ message: String = "127.0.0.1: connection refused") -> Step {
            .answer(NetworkResult(kind: .network, message: message))
        }
    }

    private let lock = NSLock()
    private var steps: [Step]
    private let whenDone: Step?
    private var recorded: [NetworkRequest] = []
    private let inner = InProcessNetworkRunner()

    /// `whenDone` answers every request after the script ran out; without it such a request
    /// fails (`.failed`, "the script has no answer"), which the test's outcome check shows.
    public init(_ steps: [Step], whenDone: Step? = nil) {
        self.steps = steps
        self.whenDone = whenDone
    }

    /// Every request so far, in order.
    public var requests: [NetworkRequest] { lock.lock(); defer { lock.unlock() }; return recorded }

    /// The operations so far, in order.
    public var operations: [NetworkRequest.Operation] { requests.map(\.operation) }

    /// Steps of the script not used yet.
    public var remaining: Int { lock.lock(); defer { lock.unlock() }; return steps.count }

    public func run(_ request: NetworkRequest, deadline: Double) -> NetworkResult {
        lock.lock()
        recorded.append(request)
        let step = steps.isEmpty ? whenDone : steps.removeFirst()
        lock.unlock()
        switch step {
        case .answer(let r)?:
            return r
        case .real?:
            return inner.run(request, deadline: deadline)
        case .realAfter(let action)?:
            action()
            return inner.run(request, deadline: deadline)
        case nil:
            return NetworkResult(kind: .failed, message: "ScriptedNetworkRunner: the script has no answer for request \(recorded.count) (\(request.operation))")
        }
    }
}

extension TestSupport {
    /// A bare repository `dir/remote.git` with one commit on `main` (what a server would serve).
    @discardableResult
    public static func makeBareRemote(in dir: String) throws -> String {
        let bare = dir + "/remote.git"
        try git(["init", "-q", "--bare", "-b", "main", bare], in: dir)
        try makeRepo(at: dir + "/seed", origin: bare)
        try git(["push", "-q", "origin", "main"], in: dir + "/seed")
        try FileManager.default.removeItem(atPath: dir + "/seed")
        return bare
    }
}
