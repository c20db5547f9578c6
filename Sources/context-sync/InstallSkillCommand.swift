import ArgumentParser
import ContextSyncCore

// Placeholder: replaced by the real installer.
struct InstallSkillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "skill", abstract: "(not yet available)")

    func run() throws {
        try runReportingErrors { throw ContextSyncError("install skill is not available yet") }
    }
}
