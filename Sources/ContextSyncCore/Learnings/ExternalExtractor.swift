import Foundation

/// Runs a program that reads the extraction prompt and the (redacted) digest on stdin and prints
/// bullets. The child gets `CONTEXT_SYNC_ACTIVE=1`; context-sync refuses to run an extractor when it
/// was itself started with that variable set (a hook inside the extractor's own session).
public struct ExternalExtractor: Sendable {
    public var command: String
    public var timeout: Double

    public static let defaultDigestChars = 80_000
    /// What an answer may be at most (bullets for one digest are a few kilobytes).
    static let outputLimit = 16 << 20

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
        var env = environment
        env.variables[Self.activeVariable] = "1"
        // The child runs in its own process group: a timeout stops the whole group, including
        // grandchildren that would otherwise keep our pipes open.
        let child = ChildProcess("/bin/sh", ["-c", command], environment: env, input: Data((Self.prompt + digest).utf8),
                                 stdout: .capture(limit: Self.outputLimit), stderr: .capture(limit: ChildProcess.defaultLimit),
                                 timeout: timeout, killGrace: 0.2)
        let r: ChildProcess.Result
        do { r = try child.run() } catch {
            throw ContextSyncError("cannot start extractor command `\(Self.redacted(command))`: \(error.reason)")
        }
        if r.timedOut {
            throw ContextSyncError("extractor command timed out after \(Int(timeout)) s: `\(Self.redacted(command))` (raise --extractor-timeout or check the command)")
        }
        if r.status != 0 {
            // Redacted whole before the first line is taken: a multi-line key block is found as
            // one, and a secret is never cut in half where the scanner could not see it.
            let first = Self.redacted(r.stderrText).split(separator: "\n").first.map(String.init) ?? "no error output"
            throw ContextSyncError("extractor command failed with exit code \(r.status): \(first)")
        }
        if r.stdoutDropped > 0 {
            throw ContextSyncError("extractor command printed more than \(Self.outputLimit >> 20) MiB: `\(Self.redacted(command))` (check the command)")
        }
        return r.stdoutText
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
