#if canImport(Glibc)
import ContextSyncTestSupport
import Glibc
#endif
import Foundation
import Testing
@testable import ContextSyncCore

@Suite("Doctor: checks")
struct DoctorTests {
    @Test func parsesRemoteLocations() {
        let ssh = RemoteLocation.parse("ssh://git@git.example.test:2222/team/app.git")
        #expect(ssh == RemoteLocation(transport: .ssh, user: "git", host: "git.example.test", port: 2222, hasPassword: false))
        #expect(RemoteLocation.parse("git@github.com:o/r.git") == RemoteLocation(transport: .ssh, user: "git", host: "github.com", port: nil, hasPassword: false))
        #expect(RemoteLocation.parse("ssh://[::1]:22/srv/r").host == "::1")
        let https = RemoteLocation.parse("https://me:pw@Example.com/r")
        #expect(https.transport == .https && https.hasPassword && https.user == "me" && https.host == "Example.com")
        #expect(RemoteLocation.parse("git://h/r").transport == .git)
        #expect(RemoteLocation.parse("/srv/git/r.git").transport == .local)
        #expect(RemoteLocation.parse("file:///srv/git/r.git").transport == .local)
        #expect(RemoteLocation.parse("../r.git").transport == .local)
    }

    @Test func displayURLNeverShowsPasswordsOrTokenUsers() {
        #expect(RemoteLocation.displayURL("https://me:hunter2-very-long@host/r.git") == "https://me@host/r.git")
        let token = "gh" + "p_" + String(repeating: "aB3", count: 12)
        #expect(RemoteLocation.displayURL("https://\(token)@github.com/o/r") == "https://***@github.com/o/r")
        #expect(RemoteLocation.displayURL("https://x-access-token:\(token)@github.com/o/r") == "https://x-access-token@github.com/o/r")
        #expect(RemoteLocation.displayURL("git@github.com:o/r.git") == "git@github.com:o/r.git")
        #expect(RemoteLocation.displayURL("https://host/a@b") == "https://host/a@b")
    }

    @Test func agentIdentitiesAnswerIsParsed() {
        func string(_ b: [UInt8]) -> [UInt8] { [0, 0, 0, UInt8(b.count)] + b }
        let blob1 = string(Array("ssh-ed25519".utf8)) + string([1, 2, 3])
        let blob2 = string(Array("ssh-rsa".utf8)) + string([4])
        let body: [UInt8] = [0, 0, 0, 2] + string(blob1) + string(Array("me@box".utf8)) + string(blob2) + string([])
        #expect(SSHAgentProbe.parseIdentities(body) == ["ssh-ed25519", "ssh-rsa"])
        #expect(SSHAgentProbe.parseIdentities([0, 0, 0, 1, 0, 0]) == nil)
        #expect(SSHAgentProbe.query(socketPath: TestSupport.makeTempDir("agent") + "/no.sock") == .noAnswer)
    }

    /// A real ssh-agent holding one ed25519 key.
    @Test(.enabled(if: ["/usr/bin/ssh-agent", "/usr/bin/ssh-add", "/usr/bin/ssh-keygen"].allSatisfy {
        FileManager.default.isExecutableFile(atPath: $0) }, "needs ssh-agent, ssh-add and ssh-keygen (openssh-client)"))
    func queriesARealAgent() throws {
        let dir = TestSupport.makeTempDir("agent")
        let sock = dir + "/agent.sock"
        func run(_ tool: String, _ args: [String]) throws -> String {
            let r = try TestSupport.output(tool, args, environment: ["SSH_AUTH_SOCK": sock, "PATH": "/usr/bin:/bin", "HOME": dir])
            #expect(r.status == 0, "\(tool) \(args)")
            return r.stdout
        }
        let agent = try SSHAgent(in: dir)
        defer { agent.stop() }
        let first = SSHAgentProbe.query(socketPath: sock)
        #expect(first == .keys([]))
        _ = try run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", dir + "/id_ed25519"])
        #expect(try agent.add(dir + "/id_ed25519") == 0)
        #expect(SSHAgentProbe.query(socketPath: sock) == .keys(["ssh-ed25519"]))
    }

    static func home() -> (String, Environment) {
        let dir = TestSupport.makeTempDir("doctor")
        let env = Environment(["HOME": dir, "PATH": "/usr/bin:/bin", "XDG_CONFIG_HOME": dir + "/.config",
                               "XDG_STATE_HOME": dir + "/.local/state", "CONTEXT_SYNC_CRONTAB": dir + "/no-crontab"])
        return (dir, env)
    }

    @Test func directoriesMustBeWritableDirectories() throws {
        let (dir, env) = Self.home()
        let doctor = Doctor(environment: env, directory: dir)
        #expect(doctor.directoryCheck("state directory", dir + "/a/b").level == .ok)
        #expect(doctor.directoryCheck("state directory", dir + "/a/b").detail.contains("will be created"))
        try FileManager.default.createDirectory(atPath: dir + "/made", withIntermediateDirectories: true)
        #expect(doctor.directoryCheck("state directory", dir + "/made").detail == "~/made writable")
        TestSupport.write("x", to: dir + "/file")
        let notDir = doctor.directoryCheck("state directory", dir + "/file")
        #expect(notDir.level == .fail)
        #expect(doctor.directoryCheck("state directory", dir + "/file/below").level == .fail)
    }

    /// root may write anywhere, so a read-only directory is only read-only for another user.
    @Test(.enabled(if: geteuid() != 0, "root may write into a read-only directory"))
    func readOnlyDirectoryFails() throws {
        let (dir, env) = Self.home()
        let doctor = Doctor(environment: env, directory: dir)
        try FileManager.default.createDirectory(atPath: dir + "/ro", withIntermediateDirectories: true)
        chmod(dir + "/ro", 0o500)
        defer { chmod(dir + "/ro", 0o700) }
        #expect(doctor.directoryCheck("state directory", dir + "/ro").level == .fail)
    }

    @Test func schedulersWarnOnlyWhenNothingSchedulesRuns() throws {
        let (dir, env) = Self.home()
        func byName(_ checks: [DoctorCheck]) -> [String: DoctorCheck] {
            Dictionary(checks.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        }
        var none = byName(Doctor(environment: env, directory: dir, platform: .linux).schedulerChecks())
        #expect(none["timer"]?.level == .warn && none["timer"]?.fix == "context-sync install timer")
        #expect(none["cron"]?.level == .warn)
        #expect(none["launchd"] == nil)

        // A fake crontab that lists the context-sync line.
        let fake = dir + "/no-crontab"
        TestSupport.write("#!/bin/sh\n[ \"$1\" = -l ] || exit 9\necho '*/30 * * * * context-sync run --all --quiet \(IntegrationNames.cronMarker)'\n", to: fake)
        chmod(fake, 0o755)
        none = byName(Doctor(environment: env, directory: dir, platform: .linux).schedulerChecks())
        #expect(none["cron"]?.level == .ok && none["cron"]?.detail.contains("installed") == true)
        #expect(none["timer"]?.level == .ok && none["timer"]?.detail == "not installed; the cron schedules runs")

        // macOS: launchd instead of the timer.
        TestSupport.write("#!/bin/sh\necho 'no crontab for you' >&2\nexit 1\n", to: fake)
        TestSupport.write("<plist/>", to: dir + "/Library/LaunchAgents/\(IntegrationNames.launchdLabel).plist")
        let mac = byName(Doctor(environment: env, directory: dir, platform: .macOS).schedulerChecks())
        #expect(mac["timer"] == nil)
        #expect(mac["launchd"]?.level == .ok)
        #expect(mac["cron"]?.level == .ok && mac["cron"]?.detail == "not installed; the launchd schedules runs")

        // Linux with both unit files: the timer.
        TestSupport.write("[Timer]\n", to: dir + "/.config/systemd/user/\(IntegrationNames.systemdTimer)")
        let half = byName(Doctor(environment: env, directory: dir, platform: .linux).schedulerChecks())
        #expect(half["timer"]?.level == .warn && half["timer"]?.detail.contains("half installed") == true)
        TestSupport.write("[Service]\n", to: dir + "/.config/systemd/user/\(IntegrationNames.systemdService)")
        let timer = byName(Doctor(environment: env, directory: dir, platform: .linux).schedulerChecks())
        #expect(timer["timer"]?.level == .ok)
        #expect(timer["cron"]?.level == .ok)
    }

    @Test func knownHostsCheckExplainsTheRSAFirstPitfall() throws {
        let (dir, env) = Self.home()
        let doctor = Doctor(environment: env, directory: dir)
        #expect(doctor.knownHostsCheck(host: "h.example", port: nil).level == .fail)
        let key = KnownHostsTests.key
        TestSupport.write("h.example ssh-rsa \(key)\nh.example ssh-ed25519 \(key)\n", to: dir + "/.ssh/known_hosts")
        let rsaFirst = doctor.knownHostsCheck(host: "h.example", port: nil)
        #expect(rsaFirst.level == .warn)
        #expect(rsaFirst.fix == "move the ssh-ed25519 line (line 2) above line 1")
        TestSupport.write("h.example ssh-ed25519 \(key)\nh.example ssh-rsa \(key)\n", to: dir + "/.ssh/known_hosts")
        #expect(doctor.knownHostsCheck(host: "h.example", port: nil).line == "OK   known_hosts: h.example: ssh-ed25519, ssh-rsa (line 1)")
        #expect(doctor.knownHostsCheck(host: "h.example", port: 2200).level == .fail)
        #expect(doctor.knownHostsCheck(host: "h.example", port: 2200).fix?.hasPrefix("ssh-keyscan -t ed25519 -p 2200 h.example") == true)
    }

    @Test func sshCredentialsPreferNonRSAAndFailWithNone() throws {
        let (dir, env) = Self.home()
        let location = RemoteLocation.parse("git@h.example:o/r.git")
        func lines(_ e: Environment) -> [String: DoctorCheck] {
            Dictionary(Doctor(environment: e, directory: dir).sshCredentialChecks(location).map { ($0.name, $0) },
                       uniquingKeysWith: { a, _ in a })
        }
        #expect(lines(env)["ssh keys"]?.level == .fail)
        #expect(lines(env)["ssh-agent"]?.detail == "not in use (SSH_AUTH_SOCK not set)")
        TestSupport.write("-----BEGIN OPENSSH PRIVATE KEY-----\nfake\n", to: dir + "/.ssh/id_rsa")
        let rsa = lines(env)["ssh keys"]
        #expect(rsa?.level == .warn && rsa?.fix?.contains("ssh-keygen -t ed25519") == true)
        TestSupport.write("-----BEGIN OPENSSH PRIVATE KEY-----\nfake\n", to: dir + "/.ssh/id_ed25519")
        #expect(lines(env)["ssh keys"]?.line == "OK   ssh keys: tried in order: ~/.ssh/id_ed25519, ~/.ssh/id_rsa; RSA keys are tried last and do not work with this libssh2")
        var dead = env.variables
        dead["SSH_AUTH_SOCK"] = dir + "/gone.sock"
        #expect(lines(Environment(dead))["ssh-agent"]?.level == .warn)
    }

    @Test func exitStatusIsTwoOnlyWhenSomethingFailed() {
        #expect(Doctor.exitStatus([DoctorCheck(.ok, "a", "x"), DoctorCheck(.warn, "b", "y", fix: "z")]) == .ok)
        #expect(Doctor.exitStatus([DoctorCheck(.fail, "a", "x", fix: "z")]) == .usage)
        #expect(DoctorCheck(.warn, "b", "y", fix: "z").line == "WARN b: y — z")
        #expect(DoctorCheck(.ok, "b", "y", fix: "ignored").line == "OK   b: y")
    }
}
