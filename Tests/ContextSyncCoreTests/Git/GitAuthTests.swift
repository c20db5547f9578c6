import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// Credentials and certificates against smart HTTP(S) (lighttpd + git-http-backend, basic auth)
/// and OpenSSH on loopback, each with a throwaway HOME.
@Suite("Git: credentials and certificates")
struct GitAuthTests {
    /// A HOME with no git config, credential store or ssh keys.
    func emptyHome(_ s: LoopbackServers, _ name: String) throws -> String {
        let h = s.dir + "/" + name
        try FileManager.default.createDirectory(atPath: h, withIntermediateDirectories: true)
        return h
    }

    /// Environment for git and the child: throwaway HOME, no system/global config surprises.
    func env(home: String, _ extra: [String: String] = [:]) -> [String: String] {
        var e = ["HOME": home, "XDG_CONFIG_HOME": home + "/.config", "GIT_CONFIG_NOSYSTEM": "1",
                 "CONTEXT_SYNC_GIT_TOKEN": "", "GIT_TOKEN": "", "SSH_AUTH_SOCK": ""]
        for (k, v) in extra { e[k] = v }
        return e
    }

    /// A clone from the bare path whose origin is then pointed at `url`.
    /// A new passphrase-less key pair at `path` (`ssh-keygen` with `type` arguments).
    func makeKey(_ type: [String], at path: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-keygen")
        p.arguments = ["-q"] + type + ["-N", "", "-f", path]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "ssh-keygen \(type) failed")
    }

    func checkout(_ s: LoopbackServers, _ url: String, name: String = "laptop") throws -> String {
        let dir = s.dir + "/" + name
        try GitTestSupport.clone(s.bareRepo, to: dir)
        try TestSupport.git(["remote", "set-url", "origin", url], in: dir)
        return dir
    }

    func sync(_ dir: String, _ childEnv: [String: String], bullets: [String] = ["via the network"],
              caFile: String? = nil) throws -> SyncResult? {
        guard let runner = GitTestSupport.runner(childEnv) else { return nil }
        var parentEnv = childEnv
        if let caFile { parentEnv["CONTEXT_SYNC_CA_FILE"] = caFile }
        return try LearningsSync.writeAndSync(repository: dir, newBullets: bullets,
                                              options: GitTestSupport.options(runner, environment: parentEnv))
    }

    @Test func httpWithTokenFromEnvironment() throws {
        let s = try LoopbackServers("http-token")
        defer { s.stop() }
        guard s.start("http") else { return }
        let dir = try checkout(s, s.httpURL)
        let home = try emptyHome(s, "home")
        guard let r = try sync(dir, env(home: home, ["CONTEXT_SYNC_GIT_TOKEN": s.httpPassword, "CONTEXT_SYNC_GIT_USER": "tester"]))
        else { return }
        guard case .committed(let oid, pushed: true) = r.outcome else { Issue.record("\(r.outcome) \(r.log)"); return }
        #expect(try TestSupport.git(["rev-parse", "main"], in: s.bareRepo) == oid)
    }

    @Test func httpWithGitCredentialHelper() throws {
        let s = try LoopbackServers("http-helper")
        defer { s.stop() }
        guard s.start("http") else { return }
        let dir = try checkout(s, s.httpURL)
        let home = try emptyHome(s, "home")
        let port = s.ports["http"]!
        TestSupport.write("[credential]\n\thelper = store\n", to: home + "/.gitconfig")
        TestSupport.write("http://tester:\(s.httpPassword)@127.0.0.1:\(port)\n", to: home + "/.git-credentials")
        guard let r = try sync(dir, env(home: home)) else { return }
        guard case .committed(_, pushed: true) = r.outcome else { Issue.record("\(r.outcome) \(r.log)"); return }
        #expect(try GitTestSupport.remoteLearnings(s.bareRepo).contains("- via the network"))
    }

    @Test func httpWrongCredentialsStopWithoutALoop() throws {
        let s = try LoopbackServers("http-wrong")
        defer { s.stop() }
        guard s.start("http") else { return }
        let dir = try checkout(s, s.httpURL)
        let home = try emptyHome(s, "home")
        // A wrong token and a credential store with a wrong password: both are tried once.
        TestSupport.write("[credential]\n\thelper = store\n", to: home + "/.gitconfig")
        TestSupport.write("http://tester:wrong-password@127.0.0.1:\(s.ports["http"]!)\n", to: home + "/.git-credentials")
        let childEnv = env(home: home, ["CONTEXT_SYNC_GIT_TOKEN": "wrong-token", "CONTEXT_SYNC_GIT_USER": "tester"])
        guard let runner = GitTestSupport.runner(childEnv) else { return }
        // One network operation directly: the callback count is bounded.
        let repo = try Repository.discover(at: dir)
        let raw = runner.run(NetworkRequest(operation: .push, gitdir: repo.gitdir, remote: "origin",
                                            refspecs: ["refs/heads/main:refs/heads/main"]), deadline: 30)
        #expect(raw.kind == .auth, "\(raw)")
        #expect(raw.tried == ["token from $CONTEXT_SYNC_GIT_TOKEN", "git credential fill"])
        #expect(raw.credentialCalls <= 3)
        #expect(raw.message.contains("authentication to http://127.0.0.1:"), "\(raw.message)")
        // git credential reject removed the wrong password from the store.
        let store = (try? String(contentsOfFile: home + "/.git-credentials", encoding: .utf8)) ?? ""
        #expect(!store.contains("wrong-password"))
        // Through the sync: stopped, one try, the commit stays local.
        guard let r = try sync(dir, childEnv) else { return }
        guard case .pushStopped(_, let reason) = r.outcome else { Issue.record("\(r.outcome)"); return }
        #expect(reason.contains("tried: token from $CONTEXT_SYNC_GIT_TOKEN"))
        #expect(r.log.filter { $0.hasPrefix("push ") }.count == 1)
    }

    @Test func httpsWithAThrowawayCA() throws {
        let s = try LoopbackServers("https")
        defer { s.stop() }
        guard s.start("http") else { return }
        let dir = try checkout(s, s.httpsURL)
        let home = try emptyHome(s, "home")
        let childEnv = env(home: home, ["CONTEXT_SYNC_GIT_TOKEN": s.httpPassword, "CONTEXT_SYNC_GIT_USER": "tester"])
        // Without the CA: a certificate error, not retried.
        guard let bad = try sync(dir, childEnv) else { return }
        guard case .pushStopped(_, let reason) = bad.outcome else { Issue.record("\(bad.outcome)"); return }
        #expect(reason.contains("certificate"), "\(reason)")
        #expect(bad.log.filter { $0.hasPrefix("push ") }.count == 1)
        // With it: pushed (the commit made above goes out now).
        guard let good = try sync(dir, childEnv, bullets: ["second"], caFile: s.caFile) else { return }
        guard case .committed(let oid, pushed: true) = good.outcome else { Issue.record("\(good.outcome) \(good.log)"); return }
        #expect(try TestSupport.git(["rev-parse", "main"], in: s.bareRepo) == oid)
        #expect(try GitTestSupport.remoteLearnings(s.bareRepo).contains("- second"))
    }

    @Test func sshWithAnEd25519KeyFile() throws {
        let s = try LoopbackServers("ssh")
        defer { s.stop() }
        guard s.start("sshd") else { return }
        let dir = try checkout(s, s.sshURL)
        let home = s.sshHome
        try FileManager.default.copyItem(atPath: s.clientKey, toPath: home + "/.ssh/id_ed25519")
        // A dead agent socket is skipped (libgit2 1.5.1 would otherwise fail outright).
        guard let r = try sync(dir, env(home: home, ["SSH_AUTH_SOCK": s.dir + "/no-agent.sock"])) else { return }
        guard case .committed(let oid, pushed: true) = r.outcome else {
            let log = (try? String(contentsOfFile: s.dir + "/sshd.log", encoding: .utf8)) ?? ""
            Issue.record("\(r.outcome) \(r.log)\nsshd.log:\n\(log.suffix(1500))")
            return
        }
        #expect(try TestSupport.git(["rev-parse", "main"], in: s.bareRepo) == oid)
    }

    @Test func sshThroughAnAgent() throws {
        let s = try LoopbackServers("ssh-agent")
        defer { s.stop() }
        guard s.start("sshd") else { return }
        let dir = try checkout(s, s.sshURL)
        let agent = try SSHAgent(in: s.dir)
        defer { agent.stop() }
        let sock = agent.socket
        #expect(try agent.add(s.clientKey) == 0)
        guard let runner = GitTestSupport.runner(env(home: s.sshHome, ["SSH_AUTH_SOCK": sock])) else { return }
        let repo = try Repository.discover(at: dir)
        try TestSupport.git(["commit", "-q", "--allow-empty", "-m", "context-sync: via agent"], in: dir)
        let raw = runner.run(NetworkRequest(operation: .push, gitdir: repo.workdir!, remote: "origin",
                                            refspecs: ["refs/heads/main:refs/heads/main"]), deadline: 30)
        #expect(raw.kind == .ok, "\(raw)")
        #expect(raw.tried == ["ssh-agent"])
    }

    @Test func sshWithAnUnknownKeyStopsNamingWhatWasTried() throws {
        let s = try LoopbackServers("ssh-wrong")
        defer { s.stop() }
        guard s.start("sshd") else { return }
        let dir = try checkout(s, s.sshURL)
        let home = s.sshHome
        // A key the server does not know.
        try makeKey(["-t", "ed25519"], at: home + "/.ssh/id_ed25519")
        guard let runner = GitTestSupport.runner(env(home: home)) else { return }
        let repo = try Repository.discover(at: dir)
        let raw = runner.run(NetworkRequest(operation: .push, gitdir: repo.gitdir, remote: "origin",
                                            refspecs: ["refs/heads/main:refs/heads/main"]), deadline: 30)
        #expect(raw.kind == .auth, "\(raw)")
        #expect(raw.tried == ["~/.ssh/id_ed25519"])
        #expect(raw.credentialCalls <= 4)
        #expect(raw.message.contains("tried: ~/.ssh/id_ed25519"), "\(raw.message)")
    }

    @Test func sshRSAKeyFailureExplainsWhy() throws {
        let s = try LoopbackServers("ssh-rsa")
        defer { s.stop() }
        guard s.start("sshd") else { return }
        let dir = try checkout(s, s.sshURL)
        let home = s.sshHome
        try makeKey(["-t", "rsa", "-b", "2048"], at: home + "/.ssh/id_rsa")
        // The server knows the key: it still refuses the SHA-1 signature libssh2 1.10 makes.
        let pub = try String(contentsOfFile: home + "/.ssh/id_rsa.pub", encoding: .utf8)
        let keys = try String(contentsOfFile: s.dir + "/authorized_keys", encoding: .utf8)
        TestSupport.write(keys + pub, to: s.dir + "/authorized_keys")
        guard let r = try sync(dir, env(home: home)) else { return }
        switch r.outcome {
        case .pushStopped(_, let reason):
            #expect(reason.contains("tried: ~/.ssh/id_rsa"), "\(reason)")
            #expect(reason.contains("ed25519"), "\(reason)")
        case .committed(_, pushed: true):
            // A libssh2 that signs with rsa-sha2 (1.11+) gets through: fine too.
            break
        default:
            Issue.record("\(r.outcome)")
        }
    }

    @Test func sshUnknownHostKeyIsACertificateError() throws {
        let s = try LoopbackServers("ssh-host")
        defer { s.stop() }
        guard s.start("sshd") else { return }
        let dir = try checkout(s, s.sshURL)
        let home = s.sshHome
        try FileManager.default.copyItem(atPath: s.clientKey, toPath: home + "/.ssh/id_ed25519")
        try FileManager.default.removeItem(atPath: home + "/.ssh/known_hosts")
        guard let r = try sync(dir, env(home: home)) else { return }
        guard case .pushStopped(_, let reason) = r.outcome else { Issue.record("\(r.outcome)"); return }
        #expect(reason.contains("known_hosts"), "\(reason)")
    }
}
