#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Clibgit2
import Foundation

/// Per-operation state behind the callbacks: which credential sources are left (each is offered
/// once), what was tried, what the server said. Its lifetime covers the libgit2 call.
final class NetworkState {
    let url: String
    let environment: Environment
    let workdir: String
    var calls = 0
    var tried: [String] = []
    var refusals: [String] = []
    /// Text the server sent on the sideband (progress, hook output), bounded.
    var remoteOutput = ""
    var untrustedCertificate: String?
    var exhausted = false
    private var usernameOffered = false
    private var sshSources: [SSHSource]?
    private var httpSources: [HTTPSource]?
    /// The fields given to `git credential fill`, for approve/reject afterwards.
    private var helperFields: String?
    private var helperUsed = false

    enum SSHSource { case agent, keyFile(String) }
    enum HTTPSource { case token(String, String), helper }

    init(url: String, environment: Environment, workdir: String) {
        self.url = url
        self.environment = environment
        self.workdir = workdir
    }

    func acquire(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>?, usernameFromURL: String?,
                 allowed: UInt32) -> Int32 {
        calls += 1
        guard calls <= GitNetwork.maxCredentialCalls else { return give_up("too many credential requests") }
        let user = usernameFromURL ?? environment["CONTEXT_SYNC_GIT_USER"] ?? "git"
        if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
            if sshSources == nil { sshSources = discoverSSHSources() }
            while let next = sshSources?.first {
                sshSources!.removeFirst()
                switch next {
                case .agent:
                    tried.append("ssh-agent")
                    if git_credential_ssh_key_from_agent(out, user) == 0 { return 0 }
                case .keyFile(let path):
                    tried.append(displayPath(path))
                    let pub = FileManager.default.fileExists(atPath: path + ".pub") ? path + ".pub" : nil
                    let pass = environment["CONTEXT_SYNC_SSH_PASSPHRASE"]
                    if git_credential_ssh_key_new(out, user, pub, path, pass) == 0 { return 0 }
                }
            }
            return give_up("no SSH credential left")
        }
        if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
            guard !usernameOffered else { return give_up("username refused") }
            usernameOffered = true
            return git_credential_username_new(out, user)
        }
        if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 {
            if httpSources == nil {
                var s: [HTTPSource] = []
                if let t = environment["CONTEXT_SYNC_GIT_TOKEN"] { s.append(.token("CONTEXT_SYNC_GIT_TOKEN", t)) }
                else if let t = environment["GIT_TOKEN"] { s.append(.token("GIT_TOKEN", t)) }
                s.append(.helper)
                httpSources = s
            }
            while let next = httpSources?.first {
                httpSources!.removeFirst()
                switch next {
                case .token(let name, let token):
                    tried.append("token from $\(name)")
                    let u = usernameFromURL ?? environment["CONTEXT_SYNC_GIT_USER"] ?? "x-access-token"
                    if git_credential_userpass_plaintext_new(out, u, token) == 0 { return 0 }
                case .helper:
                    tried.append("git credential fill")
                    if let (u, p) = credentialFill(usernameFromURL: usernameFromURL) {
                        helperUsed = true
                        if git_credential_userpass_plaintext_new(out, u, p) == 0 { return 0 }
                    }
                }
            }
            return give_up("no HTTP credential left")
        }
        return give_up("the server asks for a credential type context-sync does not offer (\(allowed))")
    }

    private func give_up(_ why: String) -> Int32 {
        exhausted = true
        git_error_set_str(Int32(GIT_ERROR_NET.rawValue), "authentication failed: \(why)")
        return GIT_EAUTH.rawValue
    }

    /// The agent (only when its socket answers: a dead one makes libgit2 1.5.1 fail outright),
    /// then `$CONTEXT_SYNC_SSH_KEY`, `~/.ssh/id_ed25519`, `id_ecdsa`, `id_rsa`.
    private func discoverSSHSources() -> [SSHSource] {
        var s: [SSHSource] = []
        if let sock = environment["SSH_AUTH_SOCK"], Self.socketAnswers(sock) { s.append(.agent) }
        if let k = environment["CONTEXT_SYNC_SSH_KEY"], FileManager.default.fileExists(atPath: k) { s.append(.keyFile(k)) }
        for name in ["id_ed25519", "id_ecdsa", "id_rsa"] {
            let p = environment.home + "/.ssh/" + name
            if FileManager.default.fileExists(atPath: p) { s.append(.keyFile(p)) }
        }
        return s
    }

    private func displayPath(_ p: String) -> String { Paths.tilde(p, home: environment.home) }

    static func socketAnswers(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { return false }
        withUnsafeMutableBytes(of: &addr.sun_path) { buf in
            for (i, b) in bytes.enumerated() { buf[i] = b }
        }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return rc == 0
    }

    func authMessage(detail: String) -> String {
        var m = "authentication to \(url) failed"
        m += tried.isEmpty ? "; no credential was available" : "; tried: " + tried.joined(separator: ", ")
        if tried.contains(where: { $0.hasSuffix("id_rsa") }) {
            m += " (an RSA key cannot work with servers that require rsa-sha2 signatures, as current OpenSSH and GitHub do: this libssh2 signs RSA with ssh-rsa/SHA-1 only; use an ed25519 key: ssh-keygen -t ed25519)"
        } else if tried.contains("ssh-agent") {
            m += " (if the agent's key is RSA: this libssh2 signs RSA with ssh-rsa/SHA-1 only, which current servers refuse; use an ed25519 key)"
        }
        if url.hasPrefix("http") {
            m += "; set CONTEXT_SYNC_GIT_TOKEN or configure a git credential helper"
        }
        return m
    }

    // MARK: git credential fill / approve / reject

    private func credentialQuery(usernameFromURL: String?) -> String? {
        guard let u = URLComponents(string: url), let scheme = u.scheme, let host = u.host else { return nil }
        var q = "protocol=\(scheme)\nhost=\(host)\(u.port.map { ":\($0)" } ?? "")\n"
        let path = u.path.hasPrefix("/") ? String(u.path.dropFirst()) : u.path
        if !path.isEmpty { q += "path=\(path)\n" }
        if let user = usernameFromURL { q += "username=\(user)\n" }
        return q
    }

    private func credentialFill(usernameFromURL: String?) -> (String, String)? {
        guard let q = credentialQuery(usernameFromURL: usernameFromURL),
              let out = runGitCredential("fill", input: q + "\n") else { return nil }
        var user: String?, pass: String?
        for line in out.split(separator: "\n") {
            if line.hasPrefix("username=") { user = String(line.dropFirst(9)) }
            if line.hasPrefix("password=") { pass = String(line.dropFirst(9)) }
        }
        guard let user, let pass, !pass.isEmpty else { return nil }
        helperFields = out.hasSuffix("\n") ? out : out + "\n"
        return (user, pass)
    }

    /// Tells the user's credential helpers whether the credential from `git credential fill`
    /// worked (`approve`) or not (`reject`).
    func finishCredentialHelper(success: Bool, authFailed: Bool) {
        guard helperUsed, let fields = helperFields else { return }
        if success { _ = runGitCredential("approve", input: fields + "\n") }
        else if authFailed { _ = runGitCredential("reject", input: fields + "\n") }
    }

    private func runGitCredential(_ action: String, input: String) -> String? {
        var env = environment
        env.variables["GIT_TERMINAL_PROMPT"] = "0"  // never prompt on a terminal: fill fails instead
        let child = ChildProcess("/usr/bin/env", ["git", "credential", action], environment: env,
                                 directory: FileManager.default.fileExists(atPath: workdir) ? workdir : nil,
                                 input: Data(input.utf8), stdout: .capture(limit: 64 * 1024), stderr: .discard,
                                 timeout: Self.credentialTimeout)
        guard let r = try? child.run(), !r.timedOut, r.status == 0 else { return nil }
        return r.stdoutText
    }

    /// A helper that waits for a person (a browser sign-in) past this is stopped; a `push-once`
    /// child is stopped by its attempt deadline (60 s by default) anyway.
    static let credentialTimeout = 60.0
}
