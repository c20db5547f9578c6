import ArgumentParser
import ContextSyncCore

// Placeholder: replaced by the real installer.
struct InstallCronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cron", abstract: "(not yet available)")

    func run() throws {
        try runReportingErrors { throw ContextSyncError("install cron is not available yet") }
    }
}
