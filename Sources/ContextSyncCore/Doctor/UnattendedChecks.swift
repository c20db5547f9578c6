#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The doctor's checks of what happens when nobody watches: pushes still queued, the last
/// unattended runs (from the run log) and whether the systemd timer is enabled and when it runs.
extension Doctor {
    /// How far back a failed unattended run still warns.
    static let failureWindow: TimeInterval = 14 * 24 * 3600

    func unattendedChecks() -> [DoctorCheck] {
        let recent = try? RunLog(stateDirectory: environment.stateDirectory).recent(500)
        return [queuedPushesCheck(recent?.entries ?? []), lastRunCheck(recent)]
    }

    /// Every project state under `State/` with a pending push. The repository's path comes from
    /// the run log (the state knows only the identity).
    func queuedPushesCheck(_ log: [RunLogEntry]) -> DoctorCheck {
        let dir = environment.stateDirectory + "/projects"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { $0.hasSuffix(".json") && !$0.hasSuffix(".pending-commit.json") && !$0.hasSuffix(".memory.json") }
            .sorted().prefix(2000)
        var paths: [String: String] = [:]
        for e in log where e.project != "-" { if let id = e.identity { paths[id] = e.project } }
        var queued: [(shown: String, fix: String)] = []
        for name in names {
            guard let state = try? ProjectState.load(from: dir + "/" + name, identity: ""), let branch = state.pendingPush else { continue }
            if let path = paths[state.identity] {
                let cd = Quoting.shell(path) == path ? tilde(path) : Quoting.shell(path)
                queued.append(("\(tilde(path)) (branch \(branch))", "cd \(cd) && context-sync run"))
            } else {
                queued.append(("\(state.identity) (branch \(branch))", "context-sync run in that repository"))
            }
        }
        guard !queued.isEmpty else { return DoctorCheck(.ok, "queued pushes", "none") }
        let n = queued.count
        return DoctorCheck(.warn, "queued pushes",
                           "\(n) repositor\(n == 1 ? "y has a commit" : "ies have commits") waiting to be pushed: "
                               + queued.map(\.shown).joined(separator: ", "),
                           fix: queued.count == 1 ? queued[0].fix : queued.map(\.fix).joined(separator: "; "))
    }

    /// The latest entry of each repository in the run log; WARN when one of them failed (a secret
    /// or an error) within `failureWindow`. An entry without a repository (the whole run failed
    /// early) counts until a later run of the same kind got further.
    func lastRunCheck(_ recent: RunLog.Recent?) -> DoctorCheck {
        let name = "last unattended run"
        let shownLog = tilde(RunLog(stateDirectory: environment.stateDirectory).path)
        guard let recent else {
            return DoctorCheck(.warn, name, "cannot read \(shownLog)", fix: "move it away; the next unattended run starts a new one")
        }
        guard let newest = recent.entries.last else {
            return DoctorCheck(.ok, name, "none logged yet in \(shownLog)")
        }
        var seenProjects = Set<String>(), seenModes = Set<String>()
        var failed: [RunLogEntry] = []
        let iso = ISO8601DateFormatter()
        let since = Date().addingTimeInterval(-Self.failureWindow)
        for e in recent.entries.reversed() {
            if e.project == "-" && seenModes.contains(e.mode) { continue }
            guard seenProjects.insert(e.project).inserted else { continue }
            seenModes.insert(e.mode)
            if e.failed, iso.date(from: e.time).map({ $0 >= since }) ?? true { failed.append(e) }
        }
        func describe(_ e: RunLogEntry) -> String {
            "\(e.time) \(e.outcome) (exit \(e.exitCode)) in \(e.project == "-" ? "no repository" : tilde(e.project))"
                + (e.error.map { ": " + $0 } ?? "")
        }
        if let first = failed.first {
            let more = failed.count > 1 ? " (and \(failed.count - 1) more repositor\(failed.count == 2 ? "y" : "ies"))" : ""
            return DoctorCheck(.warn, name, describe(first) + more,
                               fix: "context-sync log; fix what the error says (run context-sync run in that repository to see it whole)")
        }
        return DoctorCheck(.ok, name, describe(newest))
    }

    /// The timer's unit files exist: is it enabled (`systemctl --user is-enabled`), and when did
    /// it last run and when does it run next (`systemctl --user show`, the values `list-timers`
    /// prints)? Without a usable systemctl that is said, not failed.
    func timerStateCheck(_ timerPath: String) -> DoctorCheck {
        let installed = "installed (\(tilde(timerPath)))"
        guard let systemctl = SystemTools.live(environment: environment).locate(.systemctl) else {
            return DoctorCheck(.ok, "timer", "\(installed); systemctl not found, so whether it is enabled was not checked")
        }
        let timer = IntegrationNames.systemdTimer
        guard let enabled = Self.runBounded(systemctl, ["--user", "is-enabled", timer], environment: environment) else {
            return DoctorCheck(.ok, "timer", "\(installed); systemctl --user is-enabled did not answer in time")
        }
        let state = enabled.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        if !enabled.succeeded {
            if state.isEmpty {
                // No user manager here (ssh session, container): nothing to conclude.
                return DoctorCheck(.ok, "timer", "\(installed); systemctl --user is not usable here (\(SystemctlOutput(enabled).error ?? "status \(enabled.status)")), so whether it is enabled was not checked")
            }
            return DoctorCheck(.warn, "timer", "\(installed) but not enabled (systemctl: \(state)), so nothing runs",
                               fix: "systemctl --user enable --now \(timer)")
        }
        var detail = "enabled (\(tilde(timerPath)))"
        if let show = Self.runBounded(systemctl, ["--user", "show", timer, "--property=LastTriggerUSec,NextElapseUSecRealtime"],
                                      environment: environment), show.succeeded {
            var values: [String: String] = [:]
            for line in show.stdout.split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { values[parts[0]] = parts[1].trimmingCharacters(in: .whitespaces) }
            }
            func shown(_ v: String?) -> String { v.map { $0.isEmpty || $0 == "n/a" ? "never" : $0 } ?? "unknown" }
            detail += "; last run: \(shown(values["LastTriggerUSec"])); next: \(shown(values["NextElapseUSecRealtime"]))"
        }
        return DoctorCheck(.ok, "timer", detail)
    }

    /// Runs `program` with `arguments`, stdin closed; nil when it cannot start or does not finish
    /// within `timeout` seconds (it is then terminated).
    static func runBounded(_ program: String, _ arguments: [String], environment: Environment, timeout: TimeInterval = 5) -> ToolResult? {
        guard let r = try? ChildProcess(program, arguments, environment: environment, timeout: timeout).run(),
              !r.timedOut else { return nil }
        return ToolResult(status: r.status, stdout: r.stdoutText, stderr: r.stderrText)
    }

    /// The fix for missing or plain-text https credentials: the platform's keychain helper (or
    /// a token, or an SSH key). Never a helper that stores the password in a plain file.
    var keychainFix: String {
        let helper = platform == .macOS
            ? "git config --global credential.helper osxkeychain"
            : "a keychain helper such as git-credential-libsecret (git config --global credential.helper libsecret)"
        return "set CONTEXT_SYNC_GIT_TOKEN, or use \(helper), or an ssh:// remote with a key"
    }
}
