import ArgumentParser
import ContextSyncCore

// Placeholder: replaced by the real installer.
struct InstallHookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hook", abstract: "(not yet available)")

    func run() throws {
        try runReportingErrors { throw ContextSyncError("install hook is not available yet") }
    }
}
