import Foundation
import Testing
@testable import ContextSyncCore

/// `scan(reading:)` reads in chunks; its findings must equal those of a whole-buffer scan.
@Suite("Secret scanner: streamed scans")
struct SecretStreamTests {
    let scanner = SecretScanner()

    /// Ordinary lines with a distinct secret every few lines, a few very long lines, and multi-byte
    /// characters before secrets (columns count characters).
    static func corpus(lines: Int) -> [UInt8] {
        var text = ""
        for i in 0..<lines {
            switch i % 7 {
            case 0: text += "export GITHUB_TOKEN=" + "gh" + "p_" + Fake.alnum(36, UInt64(i) + 1) + "\n"
            case 1: text += "naïve café – " + "password = \"" + Fake.chars(Fake.alnum + "!#%", 14, seed: UInt64(i) + 2) + "\"\n"
            case 2: text += String(repeating: "lorem ipsum dolor sit amet ", count: i % 3 == 0 ? 400 : 3) + "AK" + "IA" + Fake.chars(Fake.upperAlnum, 16, seed: UInt64(i) + 3) + "\n"
            case 3: text += "mysql -uroot -p" + Fake.alnum(12, UInt64(i) + 4) + " db\n"
            case 4: text += Fake.pem(seed: UInt64(i) + 5) + "\n"
            default: text += "nothing to see on line \(i), just words and numbers 12 34\n"
            }
        }
        return Array(text.utf8)
    }

    func streamed(_ bytes: [UInt8], chunk: Int, skipBinary: Bool = false) throws -> SecretStreamScan {
        let path = NSTemporaryDirectory() + "cs-stream-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fd = open(path, O_RDONLY)
        #expect(fd >= 0)
        defer { close(fd) }
        let limits = chunk == SecretStreamLimits.standard.chunk ? .standard : SecretStreamLimits(chunk: chunk, lookbehind: 8192, lookahead: 20 << 10)
        return try scanner.scan(reading: fd, file: "f", skipBinary: skipBinary, limits: limits)
    }

    @Test("chunks of 64 B, 4 KB, 64 KB and the default give the whole-buffer findings, lines and columns included", arguments: [64, 4096, 65536, SecretStreamLimits.standard.chunk])
    func sameFindings(chunk: Int) throws {
        let bytes = Self.corpus(lines: 700)
        let whole = scanner.scan(bytes: bytes, file: "f")
        #expect(whole.count > 400)
        let s = try streamed(bytes, chunk: chunk)
        #expect(s.bytes == bytes.count)
        #expect(s.findings == whole, "chunk \(chunk): \(s.findings.count) vs \(whole.count)")
    }

    @Test("binary content is skipped only when asked; an explicit file is scanned")
    func binary() throws {
        var bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0, 0, 1]
        bytes += Array(("\n" + "gh" + "p_" + Fake.alnum(36, 9) + "\n").utf8)
        let skipped = try streamed(bytes, chunk: 4096, skipBinary: true)
        #expect(skipped.skippedBinary && skipped.findings.isEmpty && skipped.bytes == 0)
        let explicit = try streamed(bytes, chunk: 4096, skipBinary: false)
        #expect(explicit.findings.map(\.rule) == ["github-token"])
        #expect(explicit.findings.first?.line == 2)
    }

    @Test("an empty input and an input smaller than one window")
    func small() throws {
        #expect(try streamed([], chunk: 4096).findings.isEmpty)
        let one = Array(("x " + "gh" + "p_" + Fake.alnum(36, 10)).utf8)
        #expect(try streamed(one, chunk: 4096).findings == scanner.scan(bytes: one, file: "f"))
    }
}
