import ArgumentParser
import ContextSyncCore

// Placeholder: replaced by the real installer.
struct InstallLaunchdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "launchd", abstract: "(not yet available)")

    func run() throws {
        try runReportingErrors { throw ContextSyncError("install launchd is not available yet") }
    }
}
