import Foundation
import Testing
@testable import ContextSyncCore

@Suite struct JSONParserTests {
    @Test func parsesScalarsAndContainers() throws {
        let v = try JSONParser.parse(#" {"a": [1, -2.5, 3e2, true, false, null], "b": {"c": "d"}, "e": ""} "#)
        #expect(v["a"]?.array?.count == 6)
        #expect(v["a"]?.array?[0] == .number(1))
        #expect(v["a"]?.array?[1] == .number(-2.5))
        #expect(v["a"]?.array?[2] == .number(300))
        #expect(v["a"]?.array?[3] == .bool(true))
        #expect(v["a"]?.array?[5] == .null)
        #expect(v["b"]?["c"]?.string == "d")
        #expect(v["e"]?.string == "")
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let v = try JSONParser.parse(#"["a\"b\\c\/d\n\t\u00e9\ud83d\ude00"]"#)
        #expect(v.array?.first?.string == "a\"b\\c/d\n\té😀")
    }

    /// The string scanner reads eight bytes at a time: a quote or backslash at every position of
    /// a word, after runs of every length, in parsed and in skipped fields, decodes as Foundation does.
    @Test func quotesAndBackslashesAtEveryWordPosition() throws {
        let pieces = ["\\\"", "\\\\", "\\n", "\\u00e9", "é", "x"]
        for run in 0..<20 {
            for piece in pieces {
                for tail in 0..<10 {
                    let body = String(repeating: "a", count: run) + piece + String(repeating: "b", count: tail)
                    let json = "{\"type\":\"user\",\"s\":\"\(body)\",\"data\":{\"t\":\"\(body)\"},\"k\":\"\(body)\",\"content\":\"\(body)\"}"
                    let expected = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])["s"] as? String
                    let parsed = try JSONParser.parse(json)
                    #expect(parsed["s"]?.string == expected, "\(json)")
                    #expect(parsed["k"]?.string == expected, "\(json)")
                    // Decoded into a record: `data` skipped, `content` read.
                    #expect(try JSONParser.decodeRecord(Array(json.utf8), line: 1)?.content == expected, "\(json)")
                }
            }
        }
        // An unterminated string at every length is malformed, not read past the end.
        for n in 0..<20 {
            #expect(throws: JSONParser.Malformed.self) { try JSONParser.parse("[\"" + String(repeating: "a", count: n)) }
            #expect(throws: JSONParser.Malformed.self) { try JSONParser.parse("[\"" + String(repeating: "a", count: n) + "\\") }
        }
    }

    @Test func loneSurrogatesBecomeReplacementCharacters() throws {
        #expect(try JSONParser.parse(#"["x\ud800y"]"#).array?.first?.string == "x\u{FFFD}y")
        #expect(try JSONParser.parse(#"["x\udc00y"]"#).array?.first?.string == "x\u{FFFD}y")
        #expect(try JSONParser.parse(#"["\ud800\u0041"]"#).array?.first?.string == "\u{FFFD}A")
    }

    @Test func invalidUTF8IsDecodedLeniently() throws {
        let bytes: [UInt8] = Array(#"{"k":"a"#.utf8) + [0xFF, 0xC3] + Array(#"b"}"#.utf8)
        let v = try JSONParser.parse(bytes)
        #expect(v["k"]?.string?.hasPrefix("a") == true)
        #expect(v["k"]?.string?.contains("\u{FFFD}") == true)
        #expect(v["k"]?.string?.hasSuffix("b") == true)
    }

    @Test(arguments: [
        #"{"a":1"#, #"{"a":1}}"#, #"{"a":}"#, "nul", #"["a",]"#, #"{"a" 1}"#, "", "   ", #""unterminated"#,
        #"{"a":"\x"}"#, "01x", "-", "1.", "1e", #"{"a":1} trailing"#,
    ])
    func rejectsMalformedInput(_ text: String) {
        #expect(throws: JSONParser.Malformed.self) { try JSONParser.parse(text) }
    }

    @Test func rejectsPathologicalNestingInsteadOfCrashing() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParser.Malformed.self) { try JSONParser.parse(deep) }
        let ok = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect((try? JSONParser.parse(ok)) != nil)
    }

    @Test func largeIntegersAndFractionsKeepTheirValue() throws {
        #expect(try JSONParser.parse("1234567890123456789012").number == 1.234567890123456789012e21)
        #expect(try JSONParser.parse("0.1").number == 0.1)
        #expect(try JSONParser.parse("-0").number == 0)
    }

    @Test func serialisationRoundTrips() throws {
        let text = #"{"s":"q\"\\\n\u0001é","n":[1,2.5,null,true],"o":{}}"#
        let v = try JSONParser.parse(text)
        #expect(try JSONParser.parse(v.serialized()) == v)
        #expect(try JSONParser.parse(v.serialized(pretty: true)) == v)
        #expect(v.serialized().contains(#"\u0001"#))
    }
}
