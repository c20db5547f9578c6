import Foundation
@testable import ContextSyncCore

/// In-process stand-ins for systemctl, crontab and launchctl: they record every call and answer
/// from a small state (enabled units, a crontab, loaded agents).
final class FakeTools: @unchecked Sendable {
    struct Call: Equatable {
        var tool: String
        var arguments: [String]
        var stdin: String?
    }

    private let lock = NSLock()
    private var _calls: [Call] = []
    var available: Set<String>
    /// Arguments (joined with spaces) that fail with status 1.
    var failing: Set<String> = []
    var crontab: String?
    var enabled = false
    var active = false
    var loaded = false

    init(available: Set<String> = ["systemctl", "crontab", "launchctl"]) {
        self.available = available
    }

    var calls: [Call] {
        lock.lock(); defer { lock.unlock() }
        return _calls
    }

    func arguments(of tool: String) -> [String] {
        calls.filter { $0.tool == tool }.map { $0.arguments.joined(separator: " ") }
    }

    var tools: SystemTools {
        SystemTools(
            locate: { [self] tool in available.contains(tool.name) ? "/fake/" + tool.name : nil },
            execute: { [self] path, args, stdin in answer((path as NSString).lastPathComponent, args, stdin) })
    }

    private func answer(_ tool: String, _ args: [String], _ stdin: String?) -> ToolResult {
        lock.lock(); defer { lock.unlock() }
        _calls.append(Call(tool: tool, arguments: args, stdin: stdin))
        let joined = args.joined(separator: " ")
        if failing.contains(joined) { return ToolResult(status: 1, stderr: "Failed to connect to bus: No medium found\n") }
        switch (tool, args.first == "--user" ? Array(args.dropFirst()) : args) {
        case ("systemctl", let a) where a.first == "enable":
            enabled = true
            if a.contains("--now") { active = true }
        case ("systemctl", let a) where a.first == "disable":
            enabled = false
            if a.contains("--now") { active = false }
        case ("systemctl", let a) where a.first == "is-enabled":
            return ToolResult(status: enabled ? 0 : 1)
        case ("systemctl", let a) where a.first == "is-active":
            return ToolResult(status: active ? 0 : 3)
        case ("crontab", ["-l"]):
            guard let crontab else { return ToolResult(status: 1, stderr: "no crontab for tester\n") }
            return ToolResult(status: 0, stdout: crontab)
        case ("crontab", ["-"]):
            crontab = stdin ?? ""
        case ("crontab", ["-r"]):
            crontab = nil
        case ("launchctl", let a) where a.first == "bootstrap":
            loaded = true
        case ("launchctl", let a) where a.first == "bootout":
            defer { loaded = false }
            return ToolResult(status: loaded ? 0 : 3, stderr: loaded ? "" : "Boot-out failed: 3: No such process\n")
        case ("launchctl", let a) where a.first == "print":
            return ToolResult(status: loaded ? 0 : 113)
        default:
            break
        }
        return ToolResult(status: 0)
    }
}
