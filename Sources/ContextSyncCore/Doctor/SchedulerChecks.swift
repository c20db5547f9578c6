#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The doctor's checks of what runs context-sync on a schedule: the systemd timer, the crontab
/// line and the launchd agent, each found or missing, and a WARN only when nothing schedules runs.
extension Doctor {
    func schedulerChecks() -> [DoctorCheck] {
        let configHome = environment["XDG_CONFIG_HOME"] ?? environment.home + "/.config"
        let unitDir = configHome + "/systemd/user"
        let timer = unitDir + "/" + IntegrationNames.systemdTimer
        let service = unitDir + "/" + IntegrationNames.systemdService
        let plist = environment.home + "/Library/LaunchAgents/\(IntegrationNames.launchdLabel).plist"

        var found: [(name: String, check: DoctorCheck)] = []
        var missing: [(name: String, detail: String, fix: String)] = []
        var problems: [DoctorCheck] = []
        if platform == .linux {
            if Paths.exists(timer) && Paths.exists(service) {
                let check = timerStateCheck(timer)
                if check.level == .ok { found.append(("timer", check)) } else { problems.append(check) }
            } else if Paths.exists(timer) || Paths.exists(service) {
                problems.append(DoctorCheck(.warn, "timer", "half installed: \(Paths.exists(timer) ? tilde(service) : tilde(timer)) is missing",
                                            fix: "context-sync install timer"))
            } else {
                missing.append(("timer", "not installed", "context-sync install timer"))
            }
        }
        switch cronState() {
        case .installed(let discardsErrors):
            found.append(("cron", discardsErrors
                ? DoctorCheck(.warn, "cron", "installed by an older version: the line ends in >/dev/null 2>&1, so its errors are thrown away",
                              fix: "context-sync install cron (replaces the line in place)")
                : DoctorCheck(.ok, "cron", "installed (crontab has the context-sync line)")))
        case .absent: missing.append(("cron", "not installed", "context-sync install cron"))
        case .unavailable(let why):
            missing.append(("cron", "cannot read the crontab: \(why)",
                            platform == .linux ? "context-sync install timer" : "context-sync install launchd"))
        }
        if platform == .macOS {
            if Paths.exists(plist) {
                found.append(("launchd", DoctorCheck(.ok, "launchd", "installed (\(tilde(plist)))")))
            } else {
                missing.append(("launchd", "not installed", "context-sync install launchd"))
            }
        }
        var out = found.map(\.check) + problems
        let scheduled = found.map(\.name)
        for m in missing {
            if scheduled.isEmpty && problems.isEmpty {
                out.append(DoctorCheck(.warn, m.name, m.detail + "; nothing runs context-sync on a schedule", fix: m.fix))
            } else {
                out.append(DoctorCheck(.ok, m.name, m.detail + (scheduled.isEmpty ? "" : "; the \(scheduled.joined(separator: " and ")) schedules runs")))
            }
        }
        let order = ["timer", "cron", "launchd"]
        return out.sorted { (order.firstIndex(of: $0.name) ?? 9) < (order.firstIndex(of: $1.name) ?? 9) }
    }

    enum CronState: Equatable { case installed(discardsErrors: Bool), absent, unavailable(String) }

    /// `crontab -l` (or `$CONTEXT_SYNC_CRONTAB -l`) contains `IntegrationNames.cronMarker`.
    func cronState() -> CronState {
        let command = environment["CONTEXT_SYNC_CRONTAB"] ?? "crontab"
        guard let program = Self.findExecutable(command, path: environment["PATH"]) else {
            return .unavailable("\(command) not found")
        }
        let r: ChildProcess.Result
        do {
            r = try ChildProcess(program, ["-l"], environment: environment, stderr: .discard, timeout: 5).run()
        } catch {
            return .unavailable("cannot run \(command)")
        }
        if r.timedOut { return .unavailable("\(command) -l did not finish") }
        let text = r.stdoutText
        // `crontab -l` fails with "no crontab for USER" when there is none: that is "absent".
        let ours = CronTable.ourLines(text)
        return ours.isEmpty ? .absent : .installed(discardsErrors: ours.contains { $0.contains(">/dev/null 2>&1") })
    }

    static func findExecutable(_ command: String, path: String?) -> String? {
        if command.contains("/") { return access(command, X_OK) == 0 ? command : nil }
        for dir in (path ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(command)"
            if access(candidate, X_OK) == 0 && !Paths.isDirectory(candidate) { return candidate }
        }
        return nil
    }
}
