import ArgumentParser
import ContextSyncCore
import Foundation

/// `context-sync doctor`: checks what context-sync needs, one line per check.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check libgit2, config, sessions, this repository's remote and credentials, and installed integrations.",
        discussion: """
            Prints one line per check:
              OK   <check>: <detail>
              WARN <check>: <detail> — <what to do>
              FAIL <check>: <detail> — <what to do>

            Checks: libgit2 (version, https/ssh support); config (config.toml parses, unknown \
            keys are WARN, allowlist patterns compile); claude sessions (root exists, project folders); state and lock \
            directories (writable); repository (when the current directory or --project is in a \
            git checkout: identity, branch, remote URL with any password removed, the credentials \
            libgit2 would try for its scheme — ssh-agent and ~/.ssh/id_ed25519, id_ecdsa, id_rsa \
            for ssh; CONTEXT_SYNC_GIT_TOKEN, GIT_TOKEN and credential.helper for https — and the \
            host's ~/.ssh/known_hosts entry, hashed entries included); integrations (timer — \
            enabled, last and next run, from systemctl --user — cron, launchd, skill and \
            context-sync on PATH, pre-push hook); queued pushes per repository; the last \
            unattended run per repository (from `context-sync log`). An integration that is not \
            installed is a WARN, not a FAIL. Nothing secret is printed: token variables are named, \
            never shown.

            Reads only, except a probe file created and removed in the state directory. Runs \
            `crontab -l` (or $CONTEXT_SYNC_CRONTAB -l) to look for the cron line, and \
            `systemctl --user is-enabled` / `show` (or $CONTEXT_SYNC_SYSTEMCTL) for the timer.

            EXIT CODES
              0  no check failed (warnings allowed)
              2  at least one check failed

            EXAMPLES
              context-sync doctor
              context-sync doctor --project ~/src/app
              context-sync doctor --json
            """
    )

    @Option(help: ArgumentHelp("The repository to check (default: the current directory, if it is in one).", valueName: "PATH"))
    var project: String?

    @OptionGroup var claudeDirOption: ClaudeDirOption
    var claudeDir: String? { claudeDirOption.path }

    @Flag(help: "Print JSON: {\"checks\": [{\"check\", \"status\", \"detail\", \"fix\"}], \"failures\", \"warnings\"}.")
    var json = false

    func run() throws {
        try runReportingErrors {
            let checks = Doctor(projectPath: project, claudeDir: claudeDir).run()
            if json {
                var b = JSONObjectBuilder()
                b.set("schemaVersion", JSONOutput.schemaVersion)
                b.set("checks", JSONValue.array(checks.map { c in
                    var o = JSONObjectBuilder()
                    o.set("check", c.name)
                    o.set("status", c.level.rawValue.lowercased())
                    o.set("detail", c.detail)
                    o.set("fix", c.level == .ok ? nil : c.fix)
                    return o.value
                }))
                b.set("failures", checks.filter { $0.level == .fail }.count)
                b.set("warnings", checks.filter { $0.level == .warn }.count)
                FileHandleOutput.stdout.write(b.value.serialized(pretty: true) + "\n")
            } else {
                FileHandleOutput.stdout.write(checks.map { $0.line + "\n" }.joined())
            }
            return Doctor.exitStatus(checks)
        }
    }
}
