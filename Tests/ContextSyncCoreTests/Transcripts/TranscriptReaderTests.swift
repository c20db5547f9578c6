import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

@Suite struct TranscriptReaderTests {
    @Test(arguments: TestSupport.allFixtureFiles)
    func everyRealFixtureParsesWithoutMalformedLines(_ path: String) throws {
        let (records, stats) = try TranscriptReader(path: path).readAll()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let nonBlank = text.split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }.count
        #expect(stats.malformedLines == 0)
        #expect(records.count == nonBlank)
        #expect(!stats.unterminatedTail)
        #expect(records.allSatisfy { $0.line >= 1 })
    }

    @Test func garbageAndNonObjectLinesAreSkippedAndCounted() throws {
        let dir = TestSupport.makeTempDir()
        let good = TestSupport.transcript(cwd: "/r", sessionId: "s1")
        TestSupport.write("not json\n[1,2]\n\"str\"\n{\"no\":\"type\"}\n{broken\n" + good + "{\"type\":\"brand-new-kind\",\"x\":1}\n", to: dir + "/s.jsonl")
        let (records, stats) = try TranscriptReader(path: dir + "/s.jsonl").readAll()
        #expect(stats.malformedLines == 5)
        #expect(stats.firstMalformedLine == 1)
        #expect(records.count == 5)
        #expect(records.last?.kind == .other("brand-new-kind"))
    }

    @Test func unknownBlockTypesAreKeptAsUnknown() throws {
        let line = #"{"type":"assistant","message":{"content":[{"type":"server_tool_use","id":"x"},{"type":"text","text":"hi"}]}}"#
        let r = try #require(TranscriptRecord(try JSONParser.parse(line), line: 1))
        #expect(r.message?.content.count == 2)
        if case .unknown(let t)? = r.message?.content.first { #expect(t == "server_tool_use") } else { Issue.record("expected unknown block") }
    }

    @Test func machineMadeUserTextIsNotAHumanPrompt() throws {
        func record(_ content: String, extra: String = "") throws -> TranscriptRecord {
            let json = #"{"type":"user"\#(extra),"message":{"role":"user","content":"# + JSONValue.string(content).serialized() + "}}"
            return try #require(TranscriptRecord(try JSONParser.parse(json), line: 1))
        }
        #expect(try record("fix the bug").humanPromptText == "fix the bug")
        #expect(try record("<command-name>/init</command-name>").humanPromptText == nil)
        #expect(try record("<command-name>/init</command-name>").slashCommand == "/init")
        #expect(try record("<local-command-stdout>ok</local-command-stdout>").humanPromptText == nil)
        #expect(try record("<system-reminder>x</system-reminder>").humanPromptText == nil)
        #expect(try record("<task-notification>\n<task-id>1</task-id>").humanPromptText == nil)
        #expect(try record("Stop hook feedback:\n[hook]: fail").humanPromptText == nil)
        #expect(try record("real prompt", extra: #","isMeta":true"#).humanPromptText == nil)
        #expect(try record("subagent task", extra: #","isSidechain":true"#).humanPromptText == nil)
        #expect(try record("This session is being continued", extra: #","isCompactSummary":true"#).humanPromptText == nil)
        let interrupt = try record("[Request interrupted by user for tool use]")
        #expect(interrupt.humanPromptText == nil)
        #expect(interrupt.isInterrupt)
    }

    @Test func toolResultsAndToolUseResultStringsAreTyped() throws {
        let line = #"{"type":"user","toolUseResult":"Error: File has not been read yet","message":{"content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}],"is_error":true}]}}"#
        let r = try #require(TranscriptRecord(try JSONParser.parse(line), line: 3))
        #expect(r.toolUseResult?.string == "Error: File has not been read yet")
        guard case .toolResult(let id, let content, let isError)? = r.message?.content.first else {
            Issue.record("expected tool_result"); return
        }
        #expect(id == "t1")
        #expect(content == "a\nb")
        #expect(isError)
        #expect(r.humanPromptText == nil)
    }

    @Test func metadataOnlyAndEmptyFilesSummariseToNothing() throws {
        let dir = TestSupport.makeTempDir()
        TestSupport.write("", to: dir + "/empty.jsonl")
        TestSupport.write(#"{"type":"summary","summary":"Old title","leafUuid":"x"}"# + "\n", to: dir + "/meta.jsonl")
        let e = try SessionSummary.read(path: dir + "/empty.jsonl", id: "empty")
        #expect(e.records == 0 && e.cwd == nil && e.humanPrompts == 0)
        let m = try SessionSummary.read(path: dir + "/meta.jsonl", id: "meta")
        #expect(m.records == 1 && m.cwd == nil && m.title == "Old title")
        #expect(try SessionSummary.readHead(path: dir + "/meta.jsonl").cwd == nil)
    }

    @Test func invalidUTF8InsideAFileDoesNotLoseTheLine() throws {
        let dir = TestSupport.makeTempDir()
        var bytes = Array(#"{"type":"user","cwd":"/r","message":{"content":"caf"#.utf8)
        bytes += [0xE9]  // Latin-1 é: invalid UTF-8
        bytes += Array(#" ok"}}"#.utf8) + [0x0A]
        TestSupport.write(bytes: bytes, to: dir + "/s.jsonl")
        let (records, stats) = try TranscriptReader(path: dir + "/s.jsonl").readAll()
        #expect(stats.malformedLines == 0)
        #expect(records.first?.humanPromptText == "caf\u{FFFD} ok")
    }
}
