#if canImport(Glibc)
import Glibc
#endif
import ContextSyncCore
import Foundation
import Testing

@Suite("CLI: doctor")
struct DoctorCLITests {
    static let keyBlob = "AAAAC3NzaC1lZDI1NTE5AAAAIGx0ZXN0LWtleS1ub3QtcmVhbC0wMTIzNDU2Nzg5YWJj"
    static let token = "cs-test-token-" + "Zq8vR2mX5wL1nB7k"

    /// A temp HOME with Claude's root (two project folders), a config file, fake SSH keys, a
    /// known_hosts with a plain and a hashed line, a fake crontab with the context-sync line, and a
    /// repository whose origin is an ssh URL on port 2222.
    struct Home {
        let dir: String
        let home: String
        let work: String
        var env: [String: String]

        init() throws {
            dir = CLI.tempDir()
            home = dir + "/home"
            work = dir + "/app"
            var e = ProcessInfo.processInfo.environment.filter {
                !$0.key.hasPrefix("CONTEXT_SYNC_") && !$0.key.hasPrefix("GIT_") && !$0.key.hasPrefix("XDG_")
                    && $0.key != "SSH_AUTH_SOCK" && $0.key != "CLAUDE_CONFIG_DIR"
            }
            e["HOME"] = home
            e["GIT_CONFIG_NOSYSTEM"] = "1"
            e["PATH"] = "/usr/bin:/bin"
            e["CONTEXT_SYNC_CRONTAB"] = dir + "/fake-crontab"
            e["CONTEXT_SYNC_GIT_TOKEN"] = DoctorCLITests.token
            env = e
            let fm = FileManager.default
            for d in [home + "/.claude/projects/-home-me-app", home + "/.claude/projects/-home-me-lib", home + "/.ssh",
                      home + "/.config/context-sync"] {
                try fm.createDirectory(atPath: d, withIntermediateDirectories: true)
            }
            try "[secrets]\nallow = [\"^example-[0-9]+$\"]\n".write(toFile: home + "/.config/context-sync/config.toml", atomically: true, encoding: .utf8)
            try "-----BEGIN OPENSSH PRIVATE KEY-----\nnot a real key\n-----END OPENSSH PRIVATE KEY-----\n"
                .write(toFile: home + "/.ssh/id_ed25519", atomically: true, encoding: .utf8)
            try "-----BEGIN RSA PRIVATE KEY-----\nnot a real key\n-----END RSA PRIVATE KEY-----\n"
                .write(toFile: home + "/.ssh/id_rsa", atomically: true, encoding: .utf8)
            try knownHosts(hashedHost: "[git.example.test]:2222")
            try "#!/bin/sh\n[ \"$1\" = -l ] || exit 9\necho '*/30 * * * * context-sync run --all --quiet \(IntegrationNames.cronMarker)'\n"
                .write(toFile: dir + "/fake-crontab", atomically: true, encoding: .utf8)
            chmod(dir + "/fake-crontab", 0o755)

            try fm.createDirectory(atPath: work, withIntermediateDirectories: true)
            for args in [["init", "-q", "-b", "main"], ["commit", "-q", "--allow-empty", "-m", "init"],
                         ["remote", "add", "origin", "ssh://git@git.example.test:2222/team/app.git"],
                         ["config", "branch.main.remote", "origin"], ["config", "branch.main.merge", "refs/heads/main"]] {
                try CLI.git(args, in: work)
            }
        }

        /// Line 1: a plain github.com line; line 2: `hashedHost` hashed as OpenSSH does.
        func knownHosts(hashedHost: String) throws {
            let salt: [UInt8] = (0..<20).map { UInt8($0 * 7 % 256) }
            let hashed = "|1|" + Data(salt).base64EncodedString() + "|"
                + Data(SHA1.hmac(key: salt, message: Array(hashedHost.utf8))).base64EncodedString()
            try "github.com ssh-ed25519 \(DoctorCLITests.keyBlob)\n\(hashed) ssh-ed25519 \(DoctorCLITests.keyBlob)\n"
                .write(toFile: home + "/.ssh/known_hosts", atomically: true, encoding: .utf8)
        }

        func doctor(_ args: [String] = [], cwd: String? = nil) -> CLIProcess.Result {
            CLIProcess.run([CLI.binary, "doctor"] + args, env: env, cwd: cwd ?? work)
        }
    }

    @Test func aHealthyMachinePrintsOneLinePerCheckAndExitsZero() throws {
        let h = try Home()
        let r = h.doctor()
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        for expected in [
            "OK   config: ~/.config/context-sync/config.toml parses",
            "OK   claude sessions: ~/.claude/projects: 2 project folders",
            "OK   state directory: ~/.local/state/context-sync will be created on first use (~ is writable)",
            "OK   repository: \(h.work) (identity git.example.test:2222/team/app, from remote)",
            "OK   branch: main",
            "OK   remote: origin ssh://git@git.example.test:2222/team/app.git (upstream origin/main)",
            "OK   ssh-agent: not in use (SSH_AUTH_SOCK not set)",
            "OK   ssh keys: tried in order: ~/.ssh/id_ed25519, ~/.ssh/id_rsa; RSA keys are tried last and do not work with this libssh2",
            "OK   known_hosts: [git.example.test]:2222: ssh-ed25519 (line 2, hashed)",
            "OK   cron: installed (crontab has the context-sync line)",
            "OK   timer: not installed; the cron schedules runs",
            "WARN skill: not installed (no ~/.claude/skills/context-sync/SKILL.md) — context-sync install skill",
            "WARN pre-push hook: not installed in \(h.work)/.git/hooks — context-sync install hook",
        ] {
            #expect(lines.contains(expected), "missing line: \(expected)\n\(r.stdout)")
        }
        #expect(lines.first?.hasPrefix("OK   libgit2: ") == true)
        #expect(lines.allSatisfy { $0.hasPrefix("OK   ") || $0.hasPrefix("WARN ") || $0.hasPrefix("FAIL ") })
        #expect(!r.stdout.contains(Self.token))

        // Installing the hook turns its WARN into OK; --project works from elsewhere.
        _ = CLIProcess.run([CLI.binary, "install", "hook"], env: h.env, cwd: h.work)
        let after = h.doctor(["--project", h.work], cwd: h.dir)
        #expect(after.stdout.contains("OK   pre-push hook: installed (\(h.work)/.git/hooks/pre-push)"), "\(after.stdout)")
    }

    @Test func anUnknownHostAndRSAOnlyKeysFailAndWarn() throws {
        let h = try Home()
        try FileManager.default.removeItem(atPath: h.home + "/.ssh/id_ed25519")
        try h.knownHosts(hashedHost: "other.example.test")
        let r = h.doctor()
        #expect(r.status == 2, "\(r.stdout)")
        #expect(r.stdout.contains("FAIL known_hosts: no entry for [git.example.test]:2222 in ~/.ssh/known_hosts, so libgit2 refuses the host — ssh-keyscan -t ed25519 -p 2222 git.example.test >> ~/.ssh/known_hosts"))
        #expect(r.stdout.contains("WARN ssh keys: ~/.ssh/id_rsa: RSA only, and RSA does not work with this libssh2"))
        #expect(r.stdout.contains("ssh-keygen -t ed25519"))

        let json = h.doctor(["--json"])
        #expect(json.status == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["failures"] as? Int == 1)
        let checks = try #require(object["checks"] as? [[String: Any]])
        let known = checks.first { $0["check"] as? String == "known_hosts" }
        #expect(known?["status"] as? String == "fail")
        #expect((known?["fix"] as? String)?.hasPrefix("ssh-keyscan") == true)
        #expect(checks.first { $0["check"] as? String == "branch" }?["fix"] == nil)
    }

    @Test func httpsRemotesNameTheCredentialSourcesButNeverPrintThem() throws {
        let h = try Home()
        let password = "pw-" + "Hq3sT9vLx2"
        try CLI.git(["remote", "set-url", "origin", "https://me:\(password)@git.example.test/team/app.git"], in: h.work)
        let r = h.doctor()
        #expect(r.stdout.contains("OK   remote: origin https://me@git.example.test/team/app.git (upstream origin/main)"), "\(r.stdout)")
        #expect(r.stdout.contains("CONTEXT_SYNC_GIT_TOKEN is set"))
        #expect(r.stdout.contains("WARN remote password: the remote URL contains a password"))
        #expect(!r.stdout.contains(password) && !r.stdout.contains(Self.token))
        #expect(!r.stdout.contains("known_hosts"))
        #expect(r.status == 0)

        var noToken = h.env
        noToken.removeValue(forKey: "CONTEXT_SYNC_GIT_TOKEN")
        try CLI.git(["remote", "set-url", "origin", "https://git.example.test/team/app.git"], in: h.work)
        let bare = CLIProcess.run([CLI.binary, "doctor"], env: noToken, cwd: h.work)
        #expect(bare.stdout.contains("WARN credentials: none for git.example.test"), "\(bare.stdout)")
        try CLI.git(["config", "credential.helper", "store"], in: h.work)
        let helper = CLIProcess.run([CLI.binary, "doctor"], env: noToken, cwd: h.work)
        #expect(helper.stdout.contains("OK   credentials: tried in order: credential.helper is configured"), "\(helper.stdout)")
    }

    @Test func aBrokenConfigOrAMissingRepositoryFails() throws {
        let h = try Home()
        try "[secrets\n".write(toFile: h.home + "/.config/context-sync/config.toml", atomically: true, encoding: .utf8)
        let r = h.doctor()
        #expect(r.status == 2)
        #expect(r.stdout.contains("FAIL config: ~/.config/context-sync/config.toml") || r.stdout.contains("FAIL config: \(h.home)/.config/context-sync/config.toml"), "\(r.stdout)")
        #expect(r.stdout.contains("invalid TOML"))

        try "".write(toFile: h.home + "/.config/context-sync/config.toml", atomically: true, encoding: .utf8)
        let outside = h.doctor(cwd: h.dir)
        #expect(outside.status == 0, "\(outside.stdout)")
        #expect(outside.stdout.contains("OK   repository: none at \(h.dir)"))
        let missing = h.doctor(["--project", h.dir + "/nope"], cwd: h.dir)
        #expect(missing.status == 2)
        #expect(missing.stdout.contains("FAIL repository: no such directory"))
    }
}
