import ArgumentParser
import ContextSyncCore

// Placeholder: replaced by the real installer.
struct InstallTimerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "timer", abstract: "(not yet available)")

    func run() throws {
        try runReportingErrors { throw ContextSyncError("install timer is not available yet") }
    }
}
