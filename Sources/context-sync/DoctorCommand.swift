import ArgumentParser
import ContextSyncCore

// Placeholder: replaced by the real doctor.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "doctor", abstract: "(not yet available)")

    func run() throws {
        try runReportingErrors { throw ContextSyncError("doctor is not available yet") }
    }
}
