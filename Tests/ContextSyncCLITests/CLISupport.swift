import ContextSyncTestSupport
import Foundation

/// Runs the built `context-sync` binary as a user would.
enum CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary sits next to the test bundle in the build products directory.
    static let binary: String = {
        var candidates: [String] = []
        let arg0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = arg0.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("context-sync").path)
            dir = dir.deletingLastPathComponent()
        }
        for b in Bundle.allBundles {
            candidates.append(b.bundleURL.deletingLastPathComponent().appendingPathComponent("context-sync").path)
        }
        candidates.append(TestSupport.packageRoot + "/.build/debug/context-sync")
        for c in candidates where FileManager.default.isExecutableFile(atPath: c) { return c }
        fatalError("context-sync binary not found; looked in \(candidates)")
    }()

    static func run(_ args: [String], env: [String: String] = [:], cwd: String? = nil, stdin: String? = nil) throws -> Result {
        let r = CLIProcess.run([binary] + args, env: ProcessInfo.processInfo.environment.merging(env) { $1 }, cwd: cwd, stdin: stdin)
        return Result(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    final class DataBox: @unchecked Sendable {
        private let lock = NSLock()
        private var _data: Data?
        var data: Data? {
            get { lock.lock(); defer { lock.unlock() }; return _data }
            set { lock.lock(); _data = newValue; lock.unlock() }
        }
        var done: Bool { data != nil }
    }

    /// Runs git (output discarded); throws when it fails.
    static func git(_ args: [String], in dir: String) throws {
        _ = try TestSupport.gitOutput(args, in: dir)
    }

    /// Runs git and returns its standard output; throws when it fails.
    static func gitOutput(_ args: [String], in dir: String) throws -> String {
        try TestSupport.gitOutput(args, in: dir)
    }

    /// A fresh temporary directory under the one per-process root (`TestSupport.runRoot`,
    /// removed at exit), realpath'd.
    static func tempDir() -> String { TestSupport.makeTempDir("cli") }
}

/// Runs any program with an exact environment, reading stdout and stderr concurrently (so a full
/// pipe never blocks the child).
enum CLIProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ argv: [String], env: [String: String], cwd: String? = nil, stdin: String? = nil) -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: argv[0])
        p.arguments = Array(argv.dropFirst())
        p.environment = env
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        do { try p.run() } catch { return Result(status: -1, stdout: "", stderr: "\(error)") }
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? inp.fileHandleForWriting.close()
        let errBox = CLI.DataBox()
        let t = Thread { errBox.data = err.fileHandleForReading.readDataToEndOfFile() }
        t.start()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while !errBox.done { usleep(1000) }
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: errBox.data ?? Data(), as: UTF8.self))
    }
}
