import ArgumentParser
import ContextSyncCore

// Placeholder: replaced by the real installer.
struct InstallClaudeHookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "claude-hook", abstract: "(not yet available)")

    func run() throws {
        try runReportingErrors { throw ContextSyncError("install claude-hook is not available yet") }
    }
}
