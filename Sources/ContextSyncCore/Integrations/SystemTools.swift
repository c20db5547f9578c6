import Foundation

/// A system program an installer calls, and the environment variable that replaces it (tests point
/// it at a fake script; a user can point it at a wrapper).
public struct ExternalTool: Sendable, Equatable {
    public var name: String
    public var overrideVariable: String

    public init(name: String, overrideVariable: String) {
        self.name = name
        self.overrideVariable = overrideVariable
    }

    public static let systemctl = ExternalTool(name: "systemctl", overrideVariable: IntegrationNames.systemctlVariable)
    public static let crontab = ExternalTool(name: "crontab", overrideVariable: IntegrationNames.crontabVariable)
    public static let launchctl = ExternalTool(name: "launchctl", overrideVariable: IntegrationNames.launchctlVariable)
}

/// What a program printed and how it ended.
public struct ToolResult: Sendable, Equatable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String = "", stderr: String = "") {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    public var succeeded: Bool { status == 0 }

    /// The first line of stderr (else stdout), for a one-line message.
    public var firstLine: String {
        let text = stderr.isEmpty ? stdout : stderr
        return text.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    }
}

/// Finds and runs the programs the installers need. The live value looks each program up in the
/// override variable, else on PATH; tests may substitute both closures.
public struct SystemTools: Sendable {
    /// The executable for a tool, or nil when it is not available here.
    public var locate: @Sendable (ExternalTool) -> String?
    /// Runs an executable with arguments and optional standard input.
    public var execute: @Sendable (_ executable: String, _ arguments: [String], _ stdin: String?) throws -> ToolResult

    public init(locate: @escaping @Sendable (ExternalTool) -> String?,
                execute: @escaping @Sendable (String, [String], String?) throws -> ToolResult) {
        self.locate = locate
        self.execute = execute
    }

    /// `tool.overrideVariable` when set (it must name an executable file, else the tool counts as
    /// missing), else the first `tool.name` on `PATH`.
    public static func live(environment: Environment) -> SystemTools {
        SystemTools(
            locate: { tool in
                if let o = environment[tool.overrideVariable] {
                    return FileManager.default.isExecutableFile(atPath: o) ? o : nil
                }
                for dir in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") where !dir.isEmpty {
                    let candidate = dir + "/" + tool.name
                    if FileManager.default.isExecutableFile(atPath: candidate) && !Paths.isDirectory(candidate) {
                        return candidate
                    }
                }
                return nil
            },
            execute: { executable, arguments, stdin in
                try runProcess(executable, arguments, stdin: stdin, environment: environment)
            })
    }

    /// Runs `tool` with `arguments`; nil when the tool is not available.
    public func run(_ tool: ExternalTool, _ arguments: [String], stdin: String? = nil) throws -> ToolResult? {
        guard let path = locate(tool) else { return nil }
        return try execute(path, arguments, stdin)
    }

    public func isAvailable(_ tool: ExternalTool) -> Bool { locate(tool) != nil }

    /// How long an installer's program may take (a `systemctl --user` without a bus answers in
    /// about 25 s); then its process group is stopped.
    static let timeout = 120.0

    static func runProcess(_ executable: String, _ arguments: [String], stdin: String?, environment: Environment) throws -> ToolResult {
        let r: ChildProcess.Result
        do {
            r = try ChildProcess(executable, arguments, environment: environment, input: stdin.map { Data($0.utf8) },
                                 timeout: timeout).run()
        } catch {
            throw ContextSyncError("cannot start \(error)")
        }
        if r.timedOut {
            throw ContextSyncError("\(executable) did not finish within \(Int(timeout)) s and was stopped")
        }
        return ToolResult(status: r.status, stdout: r.stdoutText, stderr: r.stderrText)
    }
}

/// A command line for messages: what the user would type.
func commandLine(_ tool: ExternalTool, _ arguments: [String]) -> String {
    ([tool.name] + arguments.map(Quoting.shell)).joined(separator: " ")
}

/// What systemctl printed, split into the lines that report a change it made ("Created symlink
/// …", "Removed …") and the first other line, the error.
struct SystemctlOutput {
    var changes: [String] = []
    var error: String?

    init(_ r: ToolResult) {
        for line in (r.stderr + "\n" + r.stdout).split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            if t.hasPrefix("Created symlink") || t.hasPrefix("Removed ") {
                changes.append(t)
            } else if error == nil {
                error = t
            }
        }
    }
}
