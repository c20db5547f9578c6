import Foundation
import Testing
@testable import ContextSyncCore

@Suite struct JSONSkippingTests {
    func line(_ s: String) throws -> JSONValue { try JSONParser.parseTranscriptLine(Array(s.utf8)) }

    @Test func unreadFieldsAreLeftOutAndTheRestIsKept() throws {
        let text = #"{"type":"user","data":{"x":[1,"a\"b"]},"snapshot":{"f":{}},"toolUseResult":{"stdout":"big\nout","agentId":"ag1","n":3},"#
            + #""message":{"role":"user","usage":{"input_tokens":5},"content":[{"type":"text","text":"hi \"there\"\n\u00e9"}]},"uuid":"u1"}"#
        let v = try line(text)
        #expect(v.object?.keys == ["type", "toolUseResult", "message", "uuid"])
        #expect(v["toolUseResult"]?.object?.keys == ["agentId"])
        #expect(v["toolUseResult"]?["agentId"]?.string == "ag1")
        #expect(v["message"]?.object?.keys == ["role", "content"])
        #expect(v["message"]?["content"]?.array?.first?["text"]?.string == "hi \"there\"\né")
        #expect(v["uuid"]?.string == "u1")
        // Everything kept is what the full parser builds.
        let full = try JSONParser.parse(text)
        #expect(v["message"]?["content"] == full["message"]?["content"])
    }

    @Test func aStringToolUseResultIsKeptAndOtherShapesAreDropped() throws {
        #expect(try line(#"{"type":"user","toolUseResult":"Error: no"}"#)["toolUseResult"]?.string == "Error: no")
        #expect(try line(#"{"type":"user","toolUseResult":[{"type":"text","text":"x"}]}"#)["toolUseResult"] == nil)
        #expect(try line(#"{"type":"user","toolUseResult":null}"#)["toolUseResult"] == nil)
    }

    @Test(arguments: [
        #"{"type":"progress","data":{"a":}}"#, #"{"type":"progress","data":"\x"}"#, #"{"type":"progress","data":"\u12"}"#,
        #"{"type":"progress","data":[1,]}"#, #"{"type":"progress","data":{"a" 1}}"#, #"{"type":"progress","data":nul}"#,
        #"{"type":"progress","data":1.}"#, #"{"type":"progress","data":"open"#, #"{"type":"user","toolUseResult":{"a":[}}"#,
        #"{"type":"user","message":{"usage":{"n":-}}}"#, #"{"type":"user","data":{}} trailing"#, #"{"type":"user","data":{}"#,
    ])
    func malformedSkippedFieldsMakeTheLineMalformed(_ text: String) {
        #expect(throws: JSONParser.Malformed.self) { try JSONParser.parse(text) }
        #expect(throws: JSONParser.Malformed.self) { try line(text) }
    }

    @Test func skippedSubtreesKeepTheDepthLimit() throws {
        let deep = #"{"type":"progress","data":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(throws: JSONParser.Malformed.self) { try line(deep) }
        let ok = #"{"type":"progress","data":"# + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "}"
        #expect(try line(ok)["type"]?.string == "progress")
    }

    @Test func agreesWithTheFullParserOnEveryFixtureLine() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/claude-transcripts")
        let files = try FileManager.default.subpathsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".jsonl") }.sorted()
        #expect(!files.isEmpty)
        var lines = 0
        for f in files {
            let data = try Data(contentsOf: dir.appendingPathComponent(f))
            for raw in data.split(separator: 0x0A) {
                let bytes = [UInt8](raw)
                let full = try? JSONParser.parse(bytes)
                let skipped = try? JSONParser.parseTranscriptLine(bytes)
                #expect((full == nil) == (skipped == nil), "\(f)")
                guard let full, let skipped else { continue }
                lines += 1
                for key in ["type", "uuid", "cwd", "attachment", "content", "operation", "summary"] {
                    #expect(full[key] == skipped[key], "\(f) \(key)")
                }
                #expect(full["message"]?["content"] == skipped["message"]?["content"], "\(f)")
                if let s = full["toolUseResult"]?.string { #expect(skipped["toolUseResult"]?.string == s) }
                #expect(full["toolUseResult"]?["agentId"] == skipped["toolUseResult"]?["agentId"])
            }
        }
        #expect(lines > 1000)
    }
}
