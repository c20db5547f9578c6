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
        var root = URL(fileURLWithPath: #filePath)
        while root.path != "/" {
            root.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: root.path + "/Package.swift") { break }
        }
        candidates.append(root.path + "/.build/debug/context-sync")
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

    static func git(_ args: [String], in dir: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-C", dir] + args
        p.environment = ProcessInfo.processInfo.environment.merging(
            ["GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "T",
             "GIT_COMMITTER_EMAIL": "t@example.invalid"]) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        if p.terminationStatus != 0 { throw NSError(domain: "git", code: Int(p.terminationStatus)) }
    }

    /// Runs git and returns its standard output; throws when it fails.
    static func gitOutput(_ args: [String], in dir: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-C", dir] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        if p.terminationStatus != 0 { throw NSError(domain: "git", code: Int(p.terminationStatus)) }
        return String(decoding: data, as: UTF8.self)
    }

    /// One directory per test process for every temporary directory, removed at exit.
    static let runRoot: String = {
        let p = NSTemporaryDirectory() + "context-sync-cli-\(getpid())-\(UUID().uuidString.prefix(6))"
        try! FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: CLI.runRoot) }
        return p
    }()

    static func tempDir() -> String {
        let d = runRoot + "/\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return URL(fileURLWithPath: d).resolvingSymlinksInPath().path
    }
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
