import ArgumentParser
import ContextSyncCore
import Foundation

/// Hidden: one push or fetch for the parent process's retry loop (see
/// `ChildProcessNetworkRunner`). Reads a JSON `NetworkRequest` on stdin, prints a JSON
/// `NetworkResult`; the parent kills it at the deadline, since libgit2 1.5 has no timeouts.
struct PushOnceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push-once",
        abstract: "Internal: run one git network operation described as JSON on stdin.",
        shouldDisplay: false
    )

    func run() throws {
        ChildWatchdog.install()
        let input = FileHandle.standardInput.readDataToEndOfFile()
        FileHandle.standardOutput.write(GitNetwork.serveChildRequest(input))
    }
}
