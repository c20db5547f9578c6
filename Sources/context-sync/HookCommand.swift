import ArgumentParser
import ContextSyncCore

/// `context-sync hook <name>`: entry points called by installed git hooks.
struct HookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Entry points for installed git hooks (pre-push).",
        subcommands: [PrePushHookCommand.self]
    )
}

// Placeholder: replaced by the real hook.
struct PrePushHookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pre-push", abstract: "(not yet available)")

    func run() throws {}
}
