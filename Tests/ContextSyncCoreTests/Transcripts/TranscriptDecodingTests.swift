import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// `JSONParser.decodeRecord` (bytes straight into a record) against its reference: the full
/// parser's tree taken apart by `TranscriptRecord.init(_:line:)`.
@Suite struct TranscriptDecodingTests {
    /// Everything a reader of a record can see, as text, for comparison.
    static func projection(_ r: TranscriptRecord?) -> String? {
        guard let r else { return nil }
        var out = ["\(r.kind)", "\(r.line)", r.uuid ?? "-", r.parentUuid ?? "-", r.sessionId ?? "-", r.timestamp ?? "-",
                   r.cwd ?? "-", r.gitBranch ?? "-", r.version ?? "-", r.subtype ?? "-", r.agentId ?? "-",
                   "\(r.isSidechain)\(r.isMeta)\(r.isCompactSummary)\(r.isApiErrorMessage)", r.title ?? "-",
                   r.systemContent ?? "-", r.content ?? "-", r.operation ?? "-",
                   r.toolUseResult?.string ?? "-", r.toolUseResult?["agentId"]?.string ?? "-"]
        if let a = r.attachment {
            out += JSONParser.attachmentKeys.map { k in a[k].map { "\($0)" } ?? "-" }
        } else {
            out.append("no attachment")
        }
        if let m = r.message {
            out += [m.role ?? "-", m.id ?? "-", m.model ?? "-", "\(m.contentWasString)"]
            for b in m.content {
                switch b {
                case .toolUse(let id, let name, let input):
                    out += ["tool_use", id, name, SessionEvents.mainArgument(name: name, input: input),
                            input["prompt"]?.string ?? "-"]
                default: out.append("\(b)")
                }
            }
        } else {
            out.append("no message")
        }
        return out.joined(separator: "\u{1}")
    }

    static func reference(_ bytes: [UInt8], line: Int) -> (malformed: Bool, record: String?) {
        guard let v = try? JSONParser.parse(bytes) else { return (true, nil) }
        return (false, projection(TranscriptRecord(v, line: line)))
    }

    static func decoded(_ bytes: [UInt8], line: Int) -> (malformed: Bool, record: String?) {
        do {
            return (false, projection(try JSONParser.decodeRecord(bytes, line: line)))
        } catch {
            return (true, nil)
        }
    }

    static var fixtureFiles: [String] {
        var files = TestSupport.allFixtureFiles
        let shared = TestSupport.packageRoot + "/../shared/fixtures/claude-transcripts"
        if let e = FileManager.default.enumerator(atPath: shared) {
            while let p = e.nextObject() as? String {
                if p.hasSuffix(".jsonl") { files.append(shared + "/" + p) }
            }
        }
        return files
    }

    @Test func agreesWithTheReferenceOnEveryFixtureLine() throws {
        let files = Self.fixtureFiles
        #expect(files.count >= 19)
        var lines = 0, malformed = 0, records = 0
        for f in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: f))
            for (i, raw) in data.split(separator: 0x0A).enumerated() {
                let bytes = [UInt8](raw)
                let want = Self.reference(bytes, line: i + 1)
                let got = Self.decoded(bytes, line: i + 1)
                #expect(got.malformed == want.malformed, "\(f):\(i + 1)")
                #expect(got.record == want.record, "\(f):\(i + 1)")
                lines += 1
                if want.malformed { malformed += 1 }
                if want.record != nil { records += 1 }
            }
        }
        #expect(lines > 5000)
        #expect(records > 5000)
        #expect(malformed > 0)  // the owner's redaction broke some lines
    }

    @Test(arguments: [
        #"{"type":"progress","data":{"a":}}"#, #"{"type":"progress","data":"\x"}"#, #"{"type":"progress","data":"\u12"}"#,
        #"{"type":"progress","data":[1,]}"#, #"{"type":"progress","data":{"a" 1}}"#, #"{"type":"progress","data":nul}"#,
        #"{"type":"progress","data":1.}"#, #"{"type":"progress","data":"open"#, #"{"type":"user","toolUseResult":{"a":[}}"#,
        #"{"type":"user","message":{"usage":{"n":-}}}"#, #"{"type":"user","data":{}} trailing"#, #"{"type":"user","data":{}"#,
        #"{"type":"assistant","message":{"content":[{"type":"tool_use","input":{"old_string":"a\q"}}]}}"#,
        #"{"type":"assistant","message":{"content":[{"type":"thinking","signature":"x"]}}"#,
        #"{"type":"user","message":{"content":[{"type":"tool_result","content":[{"type":"image","source":{"data":1e}}]}]}}"#,
        #"{"type":"user","message":{"content":[1 2]}}"#, #"{"type":"user","attachment":{"type":"x","other":[,]}}"#,
        #"{"ty\pe":"user"}"#, #"{"type":"user",}"#, #"{"type":"user" "uuid":"u"}"#, #"{"type":tru}"#,
    ])
    func malformedAnywhereIsMalformed(_ text: String) {
        #expect(throws: JSONParser.Malformed.self) { try JSONParser.parse(text) }
        #expect(throws: JSONParser.Malformed.self) { try JSONParser.decodeRecord(Array(text.utf8), line: 1) }
    }

    @Test func notARecordIsNilNotMalformed() throws {
        for text in [#"[1,2]"#, #""x""#, #"{"uuid":"u"}"#, #"{"type":3}"#, "  {}  ", "null"] {
            #expect(try JSONParser.decodeRecord(Array(text.utf8), line: 1) == nil, "\(text)")
        }
    }

    @Test func nestingBeyondTheLimitIsMalformedWhereverItIs() throws {
        let open = String(repeating: "[", count: 300), close = String(repeating: "]", count: 300)
        for text in [#"{"type":"progress","data":\#(open)\#(close)}"#,
                     #"{"type":"assistant","message":{"content":[{"type":"tool_use","input":{"x":\#(open)\#(close)}}]}}"#,
                     #"{"type":"user","message":{"content":[{"type":"tool_result","content":\#(open)\#(close)}]}}"#] {
            #expect(throws: JSONParser.Malformed.self) { try JSONParser.parse(text) }
            #expect(throws: JSONParser.Malformed.self) { try JSONParser.decodeRecord(Array(text.utf8), line: 1) }
        }
        let ok = #"{"type":"assistant","message":{"content":[{"type":"tool_use","input":{"x":\#(String(repeating: "[", count: 200) + String(repeating: "]", count: 200))}}]}}"#
        #expect(try JSONParser.decodeRecord(Array(ok.utf8), line: 1)?.kind == .assistant)
    }

    @Test func readsTheFieldsAndSkipsTheRest() throws {
        let text = #"{"parentUuid":null,"type":"assistant","uuid":"u\u0031","message":{"role":"assistant","usage":{"n":1},"#
            + #""content":[{"type":"thinking","thinking":"hm","signature":"QUJD"},{"type":"text","text":"a \"b\"\n"},"#
            + #"{"type":"tool_use","id":"t1","name":"Write","input":{"content":"big","file_path":"/x/y.swift"}},"#
            + #"{"type":"tool_use","id":"t2","name":"mcp__x","input":{"first":"lead","n":{"deep":[1]}}},"#
            + #"{"type":"tool_use","id":"t3","name":"Odd","input":{"n":1,"other":"s"}},{"type":"image","source":{"data":"AAAA"}}]},"#
            + #""requestId":"r","isSidechain":true,"timestamp":"2026-01-01T00:00:00Z"}"#
        let r = try #require(try JSONParser.decodeRecord(Array(text.utf8), line: 7))
        #expect(r.kind == .assistant && r.line == 7 && r.uuid == "u1" && r.parentUuid == nil && r.isSidechain)
        #expect(r.timestamp == "2026-01-01T00:00:00Z")
        let blocks = try #require(r.message?.content)
        #expect(blocks.count == 6)
        guard case .thinking = blocks[0], case .text("a \"b\"\n") = blocks[1],
              case .toolUse("t1", "Write", let write) = blocks[2], case .toolUse("t2", _, let lead) = blocks[3],
              case .toolUse("t3", _, let odd) = blocks[4], case .image = blocks[5] else {
            Issue.record("blocks: \(blocks)")
            return
        }
        // Write's file content is skipped; the argument readers use is kept.
        #expect(write.object?.keys == ["file_path"])
        #expect(SessionEvents.mainArgument(name: "Write", input: write) == "/x/y.swift")
        // The first member stands in when no known key is there, if it is a string.
        #expect(SessionEvents.mainArgument(name: "mcp__x", input: lead) == "lead")
        #expect(SessionEvents.mainArgument(name: "Odd", input: odd) == "")
        // The fallback applies when the known keys hold only empty strings, as in mainArgument.
        for (input, want) in [(#"{"x":"y","command":""}"#, "y"), (#"{"x":1,"command":""}"#, ""), (#"{"command":"","x":"y"}"#, ""),
                              (#"{"x":"y","command":"ls"}"#, "ls")] {
            let line = #"{"type":"assistant","message":{"content":[{"type":"tool_use","id":"t","name":"N","input":\#(input)}]}}"#
            let full = try #require(TranscriptRecord(try JSONParser.parse(line), line: 1))
            let decoded = try #require(try JSONParser.decodeRecord(Array(line.utf8), line: 1))
            guard case .toolUse(_, _, let a)? = full.message?.content.first, case .toolUse(_, _, let b)? = decoded.message?.content.first else {
                Issue.record("\(line)")
                continue
            }
            #expect(SessionEvents.mainArgument(name: "N", input: a) == want, "\(input)")
            #expect(SessionEvents.mainArgument(name: "N", input: b) == want, "\(input)")
        }
    }

    @Test func aKeyGivenTwiceCountsAtItsLastOccurrence() throws {
        let text = #"{"type":"system","content":"one","subtype":"a","content":"two","type":"user","message":"x","#
            + #""message":{"content":"first","content":[{"type":"text","text":"second"}]}}"#
        let r = try #require(try JSONParser.decodeRecord(Array(text.utf8), line: 1))
        #expect(r.kind == .user)
        #expect(r.content == "two")
        #expect(r.systemContent == nil)  // not a system record after all
        guard case .text("second")? = r.message?.content.first else {
            Issue.record("\(String(describing: r.message))")
            return
        }
        #expect(r.message?.contentWasString == false)
    }

    @Test func aTitleDependsOnTheRecordTypeWhereverTheTypeComes() throws {
        let summary = try JSONParser.decodeRecord(Array(#"{"summary":"Fix the build","type":"summary"}"#.utf8), line: 1)
        #expect(summary?.title == "Fix the build")
        let other = try JSONParser.decodeRecord(Array(#"{"summary":"not a title","type":"user"}"#.utf8), line: 1)
        #expect(other?.title == nil)
        let ai = try JSONParser.decodeRecord(Array(#"{"type":"ai-title","aiTitle":"Speed up reads"}"#.utf8), line: 1)
        #expect(ai?.title == "Speed up reads")
    }
}
