#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// doctor's credential checks for the push remote: HTTP(S) credential helpers, SSH keys and agent,
/// known_hosts (split from Doctor.swift).
extension Doctor {
    func credentialChecks(url: String, repo: Repository) -> [DoctorCheck] {
        let location = RemoteLocation.parse(url)
        switch location.transport {
        case .local:
            return [DoctorCheck(.ok, "credentials", "none needed (local path)")]
        case .git:
            return [DoctorCheck(.ok, "credentials", "none needed (git://, which cannot authenticate)")]
        case .http, .https:
            return httpCredentialChecks(location, repo: repo)
        case .ssh:
            return sshCredentialChecks(location)
        }
    }

    func httpCredentialChecks(_ location: RemoteLocation, repo: Repository) -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        if location.hasPassword {
            checks.append(DoctorCheck(.warn, "remote password", "the remote URL contains a password, stored in clear in the git config",
                                      fix: "remove it from the URL (git remote set-url) and use CONTEXT_SYNC_GIT_TOKEN or a credential helper"))
        }
        var sources: [String] = []
        for name in ["CONTEXT_SYNC_GIT_TOKEN", "GIT_TOKEN"] where environment[name] != nil {
            sources.append("\(name) is set")
        }
        let helper = repo.configString("credential.helper")
        if helper != nil { sources.append("credential.helper is configured (git credential fill)") }
        if let helper, helper.split(separator: " ").first == "store" {
            checks.append(DoctorCheck(.warn, "credential store", "credential.helper is \"store\": the password sits in plain text in ~/.git-credentials",
                                      fix: keychainFix))
        }
        if location.hasPassword { sources.append("the password in the URL") }
        if sources.isEmpty {
            return checks + [DoctorCheck(.warn, "credentials", "none for \(location.host ?? "the server"): no CONTEXT_SYNC_GIT_TOKEN or GIT_TOKEN, no credential.helper",
                                         fix: keychainFix)]
        }
        var detail = "tried in order: " + sources.joined(separator: "; ")
        if location.transport == .http { detail += " (plain http: credentials travel unencrypted)" }
        return checks + [DoctorCheck(location.transport == .http ? .warn : .ok, "credentials", detail,
                                     fix: location.transport == .http ? "use an https:// URL" : nil)]
    }

    func sshCredentialChecks(_ location: RemoteLocation) -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        var usable = false  // some non-RSA key is on offer
        var rsaOnly = false

        if let sock = environment["SSH_AUTH_SOCK"] {
            switch SSHAgentProbe.query(socketPath: sock) {
            case .keys(let types) where types.isEmpty:
                checks.append(DoctorCheck(.warn, "ssh-agent", "answers but holds no keys", fix: "ssh-add ~/.ssh/id_ed25519"))
            case .keys(let types):
                let nonRSA = types.filter { !Self.isRSA($0) }
                usable = usable || !nonRSA.isEmpty
                let summary = "\(types.count) key\(types.count == 1 ? "" : "s") (\(types.joined(separator: ", ")))"
                if nonRSA.isEmpty {
                    rsaOnly = true
                    checks.append(DoctorCheck(.warn, "ssh-agent", "answers with only RSA keys: \(summary); RSA does not work with this libssh2 (it signs with ssh-rsa/SHA-1, which current servers refuse)",
                                              fix: "ssh-keygen -t ed25519, ssh-add it, and add its .pub to the server"))
                } else {
                    checks.append(DoctorCheck(.ok, "ssh-agent", "answers: \(summary)"))
                }
            case .noAnswer:
                checks.append(DoctorCheck(.warn, "ssh-agent", "SSH_AUTH_SOCK is set but nothing answers on it (context-sync skips it; plain libgit2 1.5 fails the whole push)",
                                          fix: "start the agent (eval \"$(ssh-agent)\") or unset SSH_AUTH_SOCK"))
            case .badReply:
                checks.append(DoctorCheck(.warn, "ssh-agent", "SSH_AUTH_SOCK does not answer the agent protocol",
                                          fix: "restart the agent or unset SSH_AUTH_SOCK"))
            }
        } else {
            checks.append(DoctorCheck(.ok, "ssh-agent", "not in use (SSH_AUTH_SOCK not set)"))
        }

        var files: [(shown: String, rsa: Bool)] = []
        if let k = environment["CONTEXT_SYNC_SSH_KEY"] {
            if Paths.exists(k) {
                files.append((tilde(k) + " (CONTEXT_SYNC_SSH_KEY)", Self.keyFileIsRSA(k)))
            } else {
                checks.append(DoctorCheck(.warn, "ssh keys", "CONTEXT_SYNC_SSH_KEY names a missing file: \(tilde(k))",
                                          fix: "point CONTEXT_SYNC_SSH_KEY at a private key file, or unset it"))
            }
        }
        for name in ["id_ed25519", "id_ecdsa", "id_rsa"] {
            let p = environment.home + "/.ssh/" + name
            if Paths.exists(p) { files.append((tilde(p), name == "id_rsa")) }
        }
        let nonRSAFiles = files.filter { !$0.rsa }
        usable = usable || !nonRSAFiles.isEmpty
        let generate = "ssh-keygen -t ed25519, and add ~/.ssh/id_ed25519.pub to the server"
        if files.isEmpty {
            if usable {
                checks.append(DoctorCheck(.ok, "ssh keys", "no key files in ~/.ssh (the agent's keys are used)"))
            } else if rsaOnly {
                checks.append(DoctorCheck(.warn, "ssh keys", "no key files in ~/.ssh and only RSA keys in the agent", fix: generate))
            } else {
                checks.append(DoctorCheck(.fail, "ssh keys", "no SSH credential: no agent key and none of ~/.ssh/id_ed25519, id_ecdsa, id_rsa",
                                          fix: generate))
            }
        } else {
            let list = files.map(\.shown).joined(separator: ", ")
            if !usable {
                checks.append(DoctorCheck(.warn, "ssh keys", "\(list): RSA only, and RSA does not work with this libssh2 (ssh-rsa/SHA-1 signatures, refused by current OpenSSH and GitHub)",
                                          fix: generate))
            } else {
                let note = files.contains(where: \.rsa) ? "; RSA keys are tried last and do not work with this libssh2" : ""
                checks.append(DoctorCheck(.ok, "ssh keys", "tried in order: \(list)\(note)"))
            }
        }
        if let host = location.host { checks.append(knownHostsCheck(host: host, port: location.port)) }
        return checks
    }

    static func isRSA(_ type: String) -> Bool { type == "ssh-rsa" || type.hasPrefix("ssh-rsa-cert") }

    /// Whether a private key file is RSA: its `.pub` says `ssh-rsa`, or it is a PEM RSA key.
    static func keyFileIsRSA(_ path: String) -> Bool {
        if let pub = FileManager.default.contents(atPath: path + ".pub") {
            return String(decoding: pub, as: UTF8.self).hasPrefix("ssh-rsa ")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = String(decoding: handle.readData(ofLength: 64), as: UTF8.self)
        return head.contains("BEGIN RSA PRIVATE KEY")
    }

    func knownHostsCheck(host: String, port: Int?) -> DoctorCheck {
        let path = environment.home + "/.ssh/known_hosts"
        let name = KnownHosts.lookupName(host: host, port: port)
        let scan = "ssh-keyscan -t ed25519 \(port.map { $0 != 22 ? "-p \($0) " : "" } ?? "")\(host) >> ~/.ssh/known_hosts (then check the fingerprint with the server's owner)"
        guard let file = KnownHosts.load(path) else {
            return DoctorCheck(.fail, "known_hosts", "~/.ssh/known_hosts does not exist, so libgit2 refuses \(name)", fix: scan)
        }
        let entries = file.entries(forHost: host, port: port)
        if let revoked = entries.first(where: { $0.marker == "@revoked" }) {
            return DoctorCheck(.fail, "known_hosts", "a key of \(name) is marked @revoked (line \(revoked.line))",
                               fix: "remove the revoked line or the host's other lines, then re-add the current key")
        }
        let keys = entries.filter { $0.marker == nil }
        guard let first = keys.first else {
            if !entries.isEmpty {
                return DoctorCheck(.fail, "known_hosts", "only @cert-authority lines match \(name); libssh2 does not use host certificates",
                                   fix: scan)
            }
            return DoctorCheck(.fail, "known_hosts", "no entry for \(name) in ~/.ssh/known_hosts, so libgit2 refuses the host", fix: scan)
        }
        let where_ = "line \(first.line)\(first.isHashed ? ", hashed" : "")"
        if Self.isRSA(first.keyType) {
            let other = keys.first { !Self.isRSA($0.keyType) }
            return DoctorCheck(.warn, "known_hosts", "the first key for \(name) is ssh-rsa (\(where_)): libgit2 1.5.1 then asks only for an RSA host key, which current servers no longer offer",
                               fix: other.map { "move the \($0.keyType) line (line \($0.line)) above line \(first.line)" } ?? scan)
        }
        let types = keys.map(\.keyType).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return DoctorCheck(.ok, "known_hosts", "\(name): \(types.joined(separator: ", ")) (\(where_))")
    }
}
