import Foundation

extension Doctor {
    /// The SessionEnd hook of `install claude-hook`, when installed: OK when it applies the opt-in
    /// rule (`run --if-opted-in`), WARN when an older version's hook runs in every repository a
    /// session ends in. Not installed is fine (it is optional) and not listed.
    func claudeHookCheck(_ root: String) -> DoctorCheck? {
        let settings = root + "/settings.json"
        guard let data = FileManager.default.contents(atPath: settings) else { return nil }
        let commands: [String]
        do {
            commands = try ClaudeSettings.ourCommands(in: [UInt8](data), file: tilde(settings))
        } catch let e as ContextSyncError {
            return DoctorCheck(.warn, "claude hook", e.message, fix: "fix \(tilde(settings)) (Claude Code cannot read it either)")
        } catch {
            return DoctorCheck(.warn, "claude hook", "\(error)", fix: "fix \(tilde(settings))")
        }
        guard !commands.isEmpty else { return nil }
        if commands.allSatisfy({ $0.contains(" run --if-opted-in ") }) {
            if commands.contains(where: { $0.contains(">/dev/null 2>&1 &") }) {
                return DoctorCheck(.warn, "claude hook",
                                   "the SessionEnd hook in \(tilde(settings)) was installed by an older version: it ends in >/dev/null 2>&1, so its errors are thrown away",
                                   fix: "context-sync install claude-hook (updates it in place)")
            }
            return DoctorCheck(.ok, "claude hook", "SessionEnd hook installed in \(tilde(settings)) (opted-in repositories only)")
        }
        return DoctorCheck(.warn, "claude hook",
                           "the SessionEnd hook in \(tilde(settings)) was installed by an older version: it runs in every repository a session ends in, opted in or not",
                           fix: "context-sync install claude-hook")
    }
}
