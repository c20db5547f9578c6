import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

@Suite struct LineReaderTests {
    func lines(_ path: String, chunk: Int = 1 << 20, max: Int = LineReader.defaultMaxLineBytes) throws -> ([String], LineReader.Stats) {
        var out: [String] = []
        let stats = try LineReader(path: path, maxLineBytes: max, chunkSize: chunk).forEachLine { b, _ in
            out.append(String(decoding: b, as: UTF8.self))
            return true
        }
        return (out, stats)
    }

    @Test func partialLastLineIsNotDelivered() throws {
        let dir = TestSupport.makeTempDir()
        TestSupport.write("a\nb\nc-partial", to: dir + "/f")
        let (l, s) = try lines(dir + "/f")
        #expect(l == ["a", "b"])
        #expect(s.unterminatedTail)
        #expect(s.consumedBytes == 4)
    }

    @Test func bomCRLFAndBlankLinesAreHandled() throws {
        let dir = TestSupport.makeTempDir()
        TestSupport.write(bytes: [0xEF, 0xBB, 0xBF] + Array("{\"a\":1}\r\n\r\n  \n{\"b\":2}\r\n".utf8), to: dir + "/f")
        let (l, s) = try lines(dir + "/f")
        #expect(l == ["{\"a\":1}", "{\"b\":2}"])
        #expect(!s.unterminatedTail)
        #expect(s.lines == 2)
    }

    @Test func emptyFileHasNoLines() throws {
        let dir = TestSupport.makeTempDir()
        TestSupport.write("", to: dir + "/f")
        let (l, s) = try lines(dir + "/f")
        #expect(l.isEmpty)
        #expect(!s.unterminatedTail)
    }

    @Test func linesLongerThanTheChunkAreReassembled() throws {
        let dir = TestSupport.makeTempDir()
        let long = String(repeating: "x", count: 100_000)
        TestSupport.write("short\n\(long)\nend\n", to: dir + "/f")
        let (l, _) = try lines(dir + "/f", chunk: 4096)
        #expect(l == ["short", long, "end"])
    }

    @Test func thirtyMegabyteLineParses() throws {
        let dir = TestSupport.makeTempDir()
        let big = String(repeating: "A", count: 30 << 20)
        let line = #"{"type":"user","message":{"role":"user","content":[{"type":"image","source":{"data":""# + big + #""}}]},"cwd":"/r"}"#
        TestSupport.write("{\"type\":\"summary\",\"summary\":\"t\"}\n" + line + "\n{\"type\":\"ai-title\",\"aiTitle\":\"x\"}\n", to: dir + "/f.jsonl")
        let (records, stats) = try TranscriptReader(path: dir + "/f.jsonl").readAll()
        #expect(records.count == 3)
        #expect(stats.malformedLines == 0)
        #expect(records[1].cwd == "/r")
    }

    @Test func oversizedLinesAreSkippedAndCounted() throws {
        let dir = TestSupport.makeTempDir()
        TestSupport.write("a\n" + String(repeating: "y", count: 50_000) + "\nb\n", to: dir + "/f")
        let (l, s) = try lines(dir + "/f", chunk: 4096, max: 10_000)
        #expect(l == ["a", "b"])
        #expect(s.oversizedLines == 1)
        #expect(s.consumedBytes == Int64(2 + 50_001 + 2))
    }

    @Test func aFileThatGrowsWhileReadYieldsOnlyCompleteLines() throws {
        let dir = TestSupport.makeTempDir()
        let path = dir + "/f"
        TestSupport.write("one\ntwo\n", to: path)
        var seen: [String] = []
        let stats = try LineReader(path: path, chunkSize: 4).forEachLine { b, n in
            seen.append(String(decoding: b, as: UTF8.self))
            if n == 1 {
                // Claude Code appends while we read: a full line, then half of the next.
                let h = FileHandle(forWritingAtPath: path)!
                h.seekToEndOfFile()
                h.write(Data("three\nfour-half".utf8))
                h.closeFile()
            }
            return true
        }
        #expect(seen == ["one", "two", "three"])
        #expect(stats.unterminatedTail)
        #expect(stats.consumedBytes == Int64("one\ntwo\nthree\n".utf8.count))
    }

    @Test func readingFromAnOffsetResumes() throws {
        let dir = TestSupport.makeTempDir()
        TestSupport.write("a\nbb\nccc\n", to: dir + "/f")
        var out: [String] = []
        try LineReader(path: dir + "/f").forEachLine(startingAt: 2) { b, _ in
            out.append(String(decoding: b, as: UTF8.self))
            return true
        }
        #expect(out == ["bb", "ccc"])
    }

    @Test func missingFileThrowsAnIOError() {
        #expect(throws: ContextSyncError.self) {
            try LineReader(path: "/nonexistent/definitely/not.jsonl").forEachLine { _, _ in true }
        }
    }
}
