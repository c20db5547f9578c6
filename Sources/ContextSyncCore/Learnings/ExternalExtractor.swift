import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program that reads the extraction prompt and the (redacted) digest on stdin and prints
/// bullets. The child gets `CONTEXT_SYNC_ACTIVE=1`; context-sync refuses to run an extractor when it
/// was itself started with that variable set (a hook inside the extractor's own session).
public struct ExternalExtractor: Sendable {
    public var command: String
    public var timeout: Double

    public static let defaultDigestChars = 80_000

    /// Headless Claude with no tools, no MCP servers and no hooks (so the analysis session can
    /// neither act nor trigger this tool again).
    public static let claudePreset = #"claude -p --tools "" --strict-mcp-config --settings '{"disableAllHooks":true}'"#

    /// The instructions sent before the digest (templates/extractor-prompt.md, embedded).
    public static var prompt: String { EmbeddedTemplates.extractorPrompt }

    /// Set for every program context-sync starts (extractors, the hook's harvest): context-sync
    /// started under it never starts an extractor or a harvest again.
    public static let activeVariable = "CONTEXT_SYNC_ACTIVE"

    /// What an extractor said (its stderr, its unusable stdout) or its command line, as it may
    /// appear in an error message: with every secret the scanner finds redacted. Error messages
    /// reach stderr, `--json` output and logs (journald, launchd's log file).
    static func redacted(_ text: String) -> String { redactor.redact(text) }

    private static let redactor = SecretScanner()

    public init(command: String, timeout: Double) {
        self.command = command
        self.timeout = timeout
    }

    /// Runs the command and returns its bullets. Throws a one-line `ContextSyncError` when it cannot
    /// start, fails, times out, or prints something that is neither bullets nor "No new learnings."
    public func run(digest: String, environment: Environment) throws -> [String] {
        try Self.parseAnswer(try output(digest: digest, environment: environment, timeout: timeout)).map(\.text)
    }

    /// Runs the command once on the prompt and `digest` and returns what it printed.
    func output(digest: String, environment: Environment, timeout: Double) throws -> String {
        if environment[Self.activeVariable] != nil {
            throw ContextSyncError("refusing to run an extractor from inside an extractor (CONTEXT_SYNC_ACTIVE is set)")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        var env = environment.variables
        env[Self.activeVariable] = "1"
        p.environment = env
        let input = Pipe(), output = Pipe(), errors = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = errors
        do { try p.run() } catch {
            throw ContextSyncError("cannot start extractor command `\(Self.redacted(command))`: \(error.localizedDescription)")
        }
        let pid = p.processIdentifier
        // Foundation starts the child in its own process group; a timeout then stops the whole
        // group, including grandchildren that would otherwise keep our pipes open.
        let ownGroup = getpgid(pid) == pid
        // Write stdin on a thread: a child that does not read must not block us.
        let payload = Data((Self.prompt + digest).utf8)
        let writer = Thread {
            signal(SIGPIPE, SIG_IGN)
            try? input.fileHandleForWriting.write(contentsOf: payload)
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let out = PipeCollector(output.fileHandleForReading)
        let err = PipeCollector(errors.fileHandleForReading)
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning {
            let target = ownGroup ? -pid : pid
            kill(target, SIGTERM)
            usleep(200_000)
            kill(target, SIGKILL)
            p.waitUntilExit()
            throw ContextSyncError("extractor command timed out after \(Int(timeout)) s: `\(Self.redacted(command))` (raise --extractor-timeout or check the command)")
        }
        p.waitUntilExit()
        let stdout = out.finish(), stderr = err.finish()
        if p.terminationStatus != 0 {
            // Redacted whole before the first line is taken: a multi-line key block is found as
            // one, and a secret is never cut in half where the scanner could not see it.
            let first = Self.redacted(stderr).split(separator: "\n").first.map(String.init) ?? "no error output"
            throw ContextSyncError("extractor command failed with exit code \(p.terminationStatus): \(first)")
        }
        return stdout
    }

    /// Bullet lines (`- `, `* `, `• `) with continuation lines folded in; "No new learnings." is
    /// an empty answer; anything else is an error.
    public static func parseBullets(_ text: String) throws -> [String] {
        let trimmed = text.trimmingWhitespace()
        if trimmed.isEmpty || trimmed.lowercased().hasPrefix("no new learnings") { return [] }
        var bullets: [String] = []
        for raw in text.split(separator: "\n") {
            let line = String(raw).trimmingWhitespace()
            if line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("• ") {
                bullets.append(String(line.dropFirst(2)).trimmingWhitespace())
            } else if !line.isEmpty, !bullets.isEmpty, raw.first == " " {
                bullets[bullets.count - 1] += " " + line
            }
        }
        bullets = bullets.filter { !$0.isEmpty }
        if bullets.isEmpty {
            throw ContextSyncError("extractor printed no bullets (expected lines starting with \"- \" or \"No new learnings.\"): \(String(redacted(trimmed).prefix(80)))")
        }
        return bullets
    }
}

/// Reads a pipe to the end on a background thread.
final class PipeCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }.start()
    }

    func finish() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
