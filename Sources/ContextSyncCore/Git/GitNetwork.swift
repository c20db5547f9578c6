#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Clibgit2
import Foundation

/// One network operation (a push or a fetch), as a value that can cross a process boundary:
/// `ChildProcessNetworkRunner` sends it as JSON to `context-sync push-once` on stdin.
public struct NetworkRequest: Codable, Sendable, Equatable {
    public enum Operation: String, Codable, Sendable { case push, fetch }

    public var operation: Operation
    /// The repository: its work tree, or its git directory when bare.
    public var gitdir: String
    /// A remote name (`origin`).
    public var remote: String
    /// E.g. `refs/heads/main:refs/heads/main` for a push,
    /// `+refs/heads/main:refs/remotes/origin/main` for a fetch.
    public var refspecs: [String]
    /// A PEM file of trusted CAs for HTTPS (libgit2 1.5 reads neither `http.sslCAInfo` nor
    /// `GIT_SSL_CAINFO`; `NetworkRequest.caFile(for:environment:)` finds one).
    public var caFile: String?

    public init(operation: Operation, gitdir: String, remote: String, refspecs: [String], caFile: String? = nil) {
        self.operation = operation
        self.gitdir = gitdir
        self.remote = remote
        self.refspecs = refspecs
        self.caFile = caFile
    }
}

/// How a network operation ended.
public struct NetworkResult: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case ok
        /// The remote branch has commits we do not have (found by libgit2 before sending).
        case nonFastForward
        /// The server refused the ref update (a hook, a protected branch, a lost race).
        case rejected
        /// Every credential source was tried and refused, or none was available.
        case auth
        /// The server's TLS certificate or SSH host key is not trusted.
        case certificate
        /// Connection refused, reset, DNS, TLS handshake, ...: worth retrying.
        case network
        /// No answer before the deadline (the child process was killed).
        case timeout
        /// Anything else (not retried).
        case failed
    }

    public var kind: Kind
    public var message: String
    /// The credential sources offered, in order (`ssh-agent`, `~/.ssh/id_ed25519`, ...).
    public var tried: [String]
    /// How often libgit2 asked for credentials (bounded; tests check there is no loop).
    public var credentialCalls: Int

    public init(kind: Kind, message: String = "", tried: [String] = [], credentialCalls: Int = 0) {
        self.kind = kind
        self.message = message
        self.tried = tried
        self.credentialCalls = credentialCalls
    }

    /// True for failures a later attempt may get past.
    public var isTransient: Bool { kind == .network || kind == .timeout }
}

/// Runs one network operation; the implementations differ in how they bound its time.
public protocol GitNetworkRunner: Sendable {
    /// Runs `request`, giving up after `deadline` seconds when the runner can enforce it.
    func run(_ request: NetworkRequest, deadline: Double) -> NetworkResult
    /// The same, for a run whose environment is `environment` (the workspace's, which tests
    /// inject): a runner that starts a process gives it that environment.
    func run(_ request: NetworkRequest, deadline: Double, environment: Environment) -> NetworkResult
}

extension GitNetworkRunner {
    public func run(_ request: NetworkRequest, deadline: Double, environment: Environment) -> NetworkResult {
        run(request, deadline: deadline)
    }
}

/// Runs the operation on the calling thread. libgit2 1.5 has no network timeouts, so a stalled
/// server blocks it forever: use `ChildProcessNetworkRunner` wherever that matters. A request's
/// `caFile` is set process-wide (libgit2 has no per-operation CA option), and libssh2 reads
/// `SSH_AUTH_SOCK` and `HOME` (known_hosts) from the process environment, not `environment`.
public struct InProcessNetworkRunner: GitNetworkRunner {
    public var environment: Environment

    public init(environment: Environment = .current) {
        self.environment = environment
    }

    public func run(_ request: NetworkRequest, deadline: Double) -> NetworkResult {
        GitNetwork.perform(request, environment: environment)
    }
}

/// The libgit2 side of a push or fetch: callbacks for credentials (each source tried once),
/// certificates and the server's per-ref verdict, and a classification of the outcome.
public enum GitNetwork {
    /// libgit2 asks again after every refusal; past this many calls the operation is ended.
    static let maxCredentialCalls = 12

    /// Performs `request` in this process. Never throws: every failure is a `NetworkResult`.
    /// In-process operations run one at a time: the CA file is a process-wide libgit2 option,
    /// and two operations setting it at once corrupt libgit2's TLS state (a double free).
    static let serial = NSLock()

    public static func perform(_ request: NetworkRequest, environment: Environment) -> NetworkResult {
        serial.lock()
        defer { serial.unlock() }
        return performSerially(request, environment: environment)
    }

    static func performSerially(_ request: NetworkRequest, environment: Environment) -> NetworkResult {
        GitLibrary.ensureInitialized()
        if let ca = request.caFile {
            if cs_git_set_ssl_cert_file(ca) < 0 {
                return NetworkResult(kind: .failed, message: "cannot use CA file \(ca): \(GitError.last("git_libgit2_opts", -1).message)")
            }
        }
        let repo: Repository
        do { repo = try Repository.open(exactly: request.gitdir) } catch {
            return NetworkResult(kind: .failed, message: "\(error)")
        }
        var remote: OpaquePointer?
        if git_remote_lookup(&remote, repo.pointer, request.remote) < 0 {
            return NetworkResult(kind: .failed, message: "no remote named '\(request.remote)' (\(GitError.last("git_remote_lookup", -1).message))")
        }
        defer { git_remote_free(remote) }
        let url: String = {
            if request.operation == .push, let p = git_remote_pushurl(remote) { return String(cString: p) }
            return git_remote_url(remote).map { String(cString: $0) } ?? request.remote
        }()
        let workdir = repo.workdir ?? request.gitdir
        if let missing = missingLocalPath(url, relativeTo: workdir) {
            // libgit2 says "unsupported URL protocol" for a path that does not exist, which reads
            // as a network problem and was retried and queued on every run: it cannot succeed.
            return NetworkResult(kind: .failed, message: "the remote '\(request.remote)' is the local path \(missing), which does not exist (fix it with `git remote set-url \(request.remote) URL`, or create the repository there)")
        }
        let state = NetworkState(url: url, environment: environment, workdir: workdir)
        let payload = Unmanaged.passUnretained(state).toOpaque()

        let cStrings = request.refspecs.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        var ptrs: [UnsafeMutablePointer<CChar>?] = cStrings
        let rc: Int32 = ptrs.withUnsafeMutableBufferPointer { buf in
            var specs = git_strarray(strings: buf.baseAddress, count: buf.count)
            switch request.operation {
            case .push:
                var o = git_push_options()
                git_push_options_init(&o, UInt32(GIT_PUSH_OPTIONS_VERSION))
                install(&o.callbacks, payload: payload)
                o.proxy_opts.type = GIT_PROXY_AUTO
                return git_remote_push(remote, &specs, &o)
            case .fetch:
                var o = git_fetch_options()
                git_fetch_options_init(&o, UInt32(GIT_FETCH_OPTIONS_VERSION))
                install(&o.callbacks, payload: payload)
                o.proxy_opts.type = GIT_PROXY_AUTO
                return git_remote_fetch(remote, &specs, &o, "context-sync: fetch")
            }
        }
        let error = rc < 0 ? GitError.last(request.operation == .push ? "git_remote_push" : "git_remote_fetch", rc) : nil
        withExtendedLifetime(state) {}
        let result = classify(rc: rc, error: error, state: state, url: url)
        state.finishCredentialHelper(success: result.kind == .ok, authFailed: result.kind == .auth)
        return result
    }

    static func install(_ cb: inout git_remote_callbacks, payload: UnsafeMutableRawPointer) {
        cb.payload = payload
        cb.sideband_progress = { text, length, payload in
            let state = Unmanaged<NetworkState>.fromOpaque(payload!).takeUnretainedValue()
            if let text, length > 0, state.remoteOutput.count < 64 * 1024 {
                let bytes = UnsafeRawBufferPointer(start: text, count: Int(length))
                state.remoteOutput += String(decoding: bytes, as: UTF8.self)
            }
            return 0
        }
        cb.credentials = { out, url, user, allowed, payload in
            let state = Unmanaged<NetworkState>.fromOpaque(payload!).takeUnretainedValue()
            return state.acquire(out, usernameFromURL: user.map { String(cString: $0) }, allowed: allowed)
        }
        cb.certificate_check = { cert, valid, host, payload in
            let state = Unmanaged<NetworkState>.fromOpaque(payload!).takeUnretainedValue()
            if valid == 0 {
                state.untrustedCertificate = cert.map { $0.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 } ?? false ? "ssh" : "tls"
            }
            return GIT_PASSTHROUGH.rawValue  // libgit2's own verdict (known_hosts, CA chain)
        }
        cb.push_update_reference = { ref, status, payload in
            let state = Unmanaged<NetworkState>.fromOpaque(payload!).takeUnretainedValue()
            if let status {
                state.refusals.append("\(ref.map { String(cString: $0) } ?? "?"): \(String(cString: status))")
            }
            return 0
        }
    }

    static func classify(rc: Int32, error: GitError?, state: NetworkState, url: String) -> NetworkResult {
        let remoteSaid = remoteText(state.remoteOutput).map { " (the server said: \($0))" } ?? ""
        var r = classifyError(rc: rc, error: error, state: state, url: url, remoteSaid: remoteSaid)
        // A refusal, a failure or an authentication problem: the server's own words say why.
        if error != nil, r.kind == .failed || r.kind == .auth || r.kind == .rejected { r.message += remoteSaid }
        return r
    }

    static func classifyError(rc: Int32, error: GitError?, state: NetworkState, url: String, remoteSaid: String) -> NetworkResult {
        var r = NetworkResult(kind: .ok, tried: state.tried, credentialCalls: state.calls)
        guard let error else {
            if !state.refusals.isEmpty {
                r.kind = .rejected
                r.message = "\(url) refused the push: " + state.refusals.joined(separator: "; ") + remoteSaid
            }
            return r
        }
        let message = error.message
        if rc == GIT_ENONFASTFORWARD.rawValue {
            r.kind = .nonFastForward
            r.message = message
        } else if rc == GIT_EAUTH.rawValue || state.exhausted || message.contains("authentication") && error.errorClass == GIT_ERROR_SSH.rawValue {
            r.kind = .auth
            r.message = state.authMessage(detail: message)
        } else if rc == GIT_ECERTIFICATE.rawValue || state.untrustedCertificate != nil {
            r.kind = .certificate
            if state.untrustedCertificate == "ssh" || url.hasPrefix("ssh://") || !url.contains("://") {
                r.message = "the SSH host key of \(url) is not trusted (\(message)); add it to ~/.ssh/known_hosts, ed25519 line first (e.g. ssh-keyscan -t ed25519 -p PORT HOST >> ~/.ssh/known_hosts)"
            } else {
                r.message = "the TLS certificate of \(url) is not trusted (\(message)); set CONTEXT_SYNC_CA_FILE or http.sslCAInfo to a PEM file with its CA"
            }
        } else if [GIT_ERROR_NET, GIT_ERROR_SSH, GIT_ERROR_OS, GIT_ERROR_HTTP, GIT_ERROR_SSL].map({ Int32($0.rawValue) }).contains(error.errorClass)
                    || rc == GIT_EEOF.rawValue {
            r.kind = .network
            r.message = "\(url): \(message)"
        } else {
            r.kind = .failed
            r.message = "\(url): \(error.description)"
        }
        return r
    }
}
