import ArgumentParser
import ContextSyncCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Look for secrets (API keys, tokens, passwords, private keys) in files, directories or stdin.",
        discussion: """
            Directories are scanned recursively, skipping .git/, symbolic links and binary files. \
            With no PATH, or with -, standard input is scanned. Each finding is printed as \
            FILE:LINE:COLUMN: RULE EXCERPT, where the excerpt shows at most the first four \
            characters of the secret; the secret itself is never printed. Columns count characters.

            A line containing context-sync:allow is never reported; --allow REGEX (repeatable) \
            drops findings whose secret or line matches REGEX.

            EXIT CODES
              0  no secret found
              1  secrets found (with --redact: something was redacted)
              2  usage error or bad input (missing file, invalid --allow pattern)

            EXAMPLES
              context-sync scan .
              git diff | context-sync scan -
              context-sync scan --json notes/ | jq .rule
              context-sync scan --redact digest.md > digest.redacted.md
            """
    )

    @Argument(help: ArgumentHelp("Files or directories to scan; - for standard input.", valueName: "PATH"))
    var paths: [String] = []

    @Flag(help: "Print one JSON object per finding (file, line, column, rule, excerpt), one per line.")
    var json = false

    @Flag(help: "Write the input with each secret replaced by <REDACTED:rule> to stdout (one input only); findings go to stderr.")
    var redact = false

    @Option(name: .customLong("allow"), help: ArgumentHelp("Ignore findings whose secret or line matches this regular expression (repeatable).", valueName: "REGEX"))
    var allow: [String] = []

    @Flag(help: "Print bytes scanned, time and throughput to stderr.")
    var stats = false

    func run() throws {
        try runReportingErrors { try execute() }
    }

    func execute() throws -> ExitStatus {
        let scanner = try SecretScanner(allowlist: allow)
        var inputs = paths
        if inputs.isEmpty {
            guard isatty(0) == 0 else {
                throw ContextSyncError("nothing to scan: pass files or directories, or - to read standard input")
            }
            inputs = ["-"]
        }
        if inputs.filter({ $0 == "-" }).count > 1 {
            throw ContextSyncError("standard input (-) can be scanned only once")
        }
        let started = DispatchTime.now().uptimeNanoseconds
        var bytesScanned = 0
        var filesScanned = 0
        var found = 0

        if redact {
            guard inputs.count == 1 else {
                throw ContextSyncError("--redact takes exactly one file or - (it writes the redacted text to stdout)")
            }
            let path = inputs[0]
            if path != "-" {
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
                    throw ContextSyncError("--redact takes a file or -, not a directory: \(path)")
                }
            }
            // Streamed: the redacted text is written as it is produced, in bounded memory.
            let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw ContextSyncError.io("cannot open", path: path, errno: errno) }
            defer { if fd != 0 { close(fd) } }
            let redacted = try scanner.redact(reading: fd, file: path) { FileHandleOutput.stdout.write(bytes: $0) }
            report(redacted.findings, to: .stderr)
            bytesScanned = redacted.bytes
            filesScanned = 1
            found = redacted.findings.count
        } else {
            var files: [(path: String, explicit: Bool)] = []
            for p in inputs {
                if p == "-" { files.append(("-", true)) } else { files += try SecretScanFiles.expand([p]) }
            }
            var unreadable = 0
            for file in files {
                // Streamed in 1 MiB chunks: a 2 GB file does not take 2 GB of memory.
                let fd = file.path == "-" ? 0 : open(file.path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else {
                    printError(ContextSyncError.io("cannot open", path: file.path, errno: errno).message)
                    unreadable += 1
                    continue
                }
                defer { if fd != 0 { close(fd) } }
                let scanned: SecretStreamScan
                do {
                    scanned = try scanner.scan(reading: fd, file: file.path, skipBinary: !file.explicit)
                } catch let e as ContextSyncError {
                    printError(e.message)
                    unreadable += 1
                    continue
                }
                if scanned.skippedBinary { continue }
                report(scanned.findings, to: .stdout)
                found += scanned.findings.count
                bytesScanned += scanned.bytes
                filesScanned += 1
            }
            if unreadable > 0 {
                printStats(started, bytesScanned, filesScanned, found)
                throw ContextSyncError("\(unreadable) file(s) could not be read (see above)")
            }
        }
        printStats(started, bytesScanned, filesScanned, found)
        if found > 0 && !json {
            FileHandleOutput.stderr.write("context-sync: \(found) secret\(found == 1 ? "" : "s") found\n")
        }
        return found > 0 ? .findings : .ok
    }

    private func printStats(_ started: UInt64, _ bytes: Int, _ files: Int, _ found: Int) {
        guard stats else { return }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let mb = Double(bytes) / 1_000_000
        FileHandleOutput.stderr.write(
            String(format: "scanned %d file(s), %.1f MB in %.3f s (%.1f MB/s), %d finding(s)\n", files, mb, seconds, seconds > 0 ? mb / seconds : 0, found))
    }

    private func report(_ findings: [SecretFinding], to out: FileHandleOutput) {
        guard !findings.isEmpty else { return }
        var text = ""
        for f in findings {
            if json {
                text += Self.jsonLine(f) + "\n"
            } else {
                text += "\(f.file ?? "-"):\(f.line):\(f.column): \(f.rule) \(f.excerpt)\n"
            }
        }
        out.write(text)
    }

    /// `{"schemaVersion":1,"file":…,"line":…,"column":…,"rule":…,"excerpt":…}` with a fixed key order.
    static func jsonLine(_ f: SecretFinding) -> String {
        var b = JSONObjectBuilder()
        b.set("schemaVersion", JSONOutput.schemaVersion)
        b.set("file", f.file.map(JSONValue.string) ?? .null)
        b.set("line", f.line)
        b.set("column", f.column)
        b.set("rule", f.rule)
        b.set("excerpt", f.excerpt)
        return b.value.serialized()
    }
}
