import ContextSyncCore
import Foundation

/// Paths and helpers shared by both test targets (ContextSyncCoreTests and ContextSyncCLITests):
/// the package root and fixtures, the one per-process temporary root, files, git and transcripts.
public enum TestSupport {
    /// The package root, found from this file's location.
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.path + "/Package.swift") { return url.path }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// Real Claude Code transcripts, copied unchanged from ../shared/fixtures (see SOURCES.md there).
    public static let fixtures = packageRoot + "/Tests/Fixtures/claude-transcripts"

    public static func fixture(_ relative: String) -> String { fixtures + "/" + relative }

    /// Every `.jsonl` under the fixtures, sorted.
    public static var allFixtureFiles: [String] {
        let e = FileManager.default.enumerator(atPath: fixtures)!
        var out: [String] = []
        while let p = e.nextObject() as? String {
            if p.hasSuffix(".jsonl") { out.append(fixtures + "/" + p) }
        }
        return out.sorted()
    }

    /// One directory per test process holding every temporary directory of the run, removed
    /// when the process exits (a run used to leave thousands behind).
    public static let runRoot: String = {
        let p = NSTemporaryDirectory() + "context-sync-tests-\(getpid())-\(UUID().uuidString.prefix(6))"
        try! FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: TestSupport.runRoot) }
        return p
    }()

    /// A fresh temporary directory, realpath'd (macOS /tmp is a symlink).
    public static func makeTempDir(_ label: String = "t") -> String {
        let base = runRoot + "/\(label)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        return Paths.resolve(base)
    }

    public static func write(_ text: String, to path: String) {
        try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    public static func write(bytes: [UInt8], to path: String) {
        try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        try! Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Runs `git` (tests may use the CLI to set up repositories) and returns its stdout, trimmed.
    @discardableResult
    public static func git(_ args: [String], in dir: String) throws -> String {
        try gitOutput(args, in: dir).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs git and returns its standard output as it is; throws when it fails.
    public static func gitOutput(_ args: [String], in dir: String) throws -> String {
        var env = ProcessInfo.processInfo.environment
        env["GIT_AUTHOR_NAME"] = "Test"
        env["GIT_AUTHOR_EMAIL"] = "test@example.invalid"
        env["GIT_COMMITTER_NAME"] = "Test"
        env["GIT_COMMITTER_EMAIL"] = "test@example.invalid"
        let r = try output("/usr/bin/env", ["git", "-C", dir] + args, environment: env)
        guard r.status == 0 else {
            throw ContextSyncError("git \(args.joined(separator: " ")) failed in \(dir)")
        }
        return r.stdout
    }

    /// Runs `tool` with exactly `environment` and returns its exit status and standard output
    /// (standard error is discarded; for a child that writes much to both, use CLIProcess).
    public static func output(_ tool: String, _ args: [String], environment: [String: String]) throws -> (status: Int32, stdout: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        p.environment = environment
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A new repository with one commit on `main`.
    public static func makeRepo(at dir: String, origin: String? = nil) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try git(["init", "-q", "-b", "main"], in: dir)
        try git(["commit", "-q", "--allow-empty", "-m", "init"], in: dir)
        if let origin { try git(["remote", "add", "origin", origin], in: dir) }
    }

    /// A minimal, realistic 2.1.x transcript: a snapshot line without cwd, then a prompt, a tool
    /// call and its result.
    public static func transcript(cwd: String, sessionId: String, prompt: String = "run the tests", branch: String = "main") -> String {
        """
        {"type":"file-history-snapshot","messageId":"m0","snapshot":{"messageId":"m0","trackedFileBackups":{},"timestamp":"2026-02-10T10:00:00.000Z"},"isSnapshotUpdate":false}
        {"parentUuid":null,"isSidechain":false,"userType":"external","cwd":"\(cwd)","sessionId":"\(sessionId)","version":"2.1.39","gitBranch":"\(branch)","type":"user","message":{"role":"user","content":"\(prompt)"},"uuid":"\(sessionId)-u1","timestamp":"2026-02-10T10:00:01.000Z"}
        {"parentUuid":"\(sessionId)-u1","isSidechain":false,"userType":"external","cwd":"\(cwd)","sessionId":"\(sessionId)","version":"2.1.39","gitBranch":"\(branch)","type":"assistant","message":{"id":"msg_1","role":"assistant","model":"claude","content":[{"type":"tool_use","id":"toolu_\(sessionId)","name":"Bash","input":{"command":"make test"}}]},"uuid":"\(sessionId)-a1","timestamp":"2026-02-10T10:00:02.000Z"}
        {"parentUuid":"\(sessionId)-a1","isSidechain":false,"userType":"external","cwd":"\(cwd)","sessionId":"\(sessionId)","version":"2.1.39","gitBranch":"\(branch)","type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_\(sessionId)","content":"ok","is_error":false}]},"uuid":"\(sessionId)-u2","timestamp":"2026-02-10T10:00:03.000Z"}

        """
    }

    /// An isolated HOME and XDG layout under `dir` (`config`, `state`, `cache`) with the Claude
    /// root at `dir/claude`: what the CLI sandboxes start from; each adds its own keys.
    public static func sandboxEnvironment(_ dir: String, home: String? = nil) -> [String: String] {
        ["HOME": home ?? dir, "XDG_CONFIG_HOME": dir + "/config", "XDG_STATE_HOME": dir + "/state",
         "XDG_CACHE_HOME": dir + "/cache", "CLAUDE_CONFIG_DIR": dir + "/claude"]
    }

    /// Sets a file's mtime to `secondsAgo` in the past.
    public static func age(_ path: String, secondsAgo: Double) {
        let date = Date(timeIntervalSinceNow: -secondsAgo)
        try! FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path)
    }
}
