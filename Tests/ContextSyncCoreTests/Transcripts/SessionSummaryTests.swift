import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// Expected figures were computed independently (a separate script over the same files) and
/// spot-checked by reading the transcripts.
@Suite struct SessionSummaryTests {
    struct Expected: Sendable, CustomTestStringConvertible {
        var file: String
        var cwd: String
        var prompts: Int
        var toolCalls: Int
        var toolErrors: Int
        var interrupts: Int
        var compactions: Int
        var version: String
        var testDescription: String { file }
    }

    static let cases: [Expected] = [
        Expected(file: "marot__spotter/4d5611e5-241a-462a-8d15-5122611a9569.jsonl",
                 cwd: "/home/USER/projects/spotter-worktrees/spotter-dov", prompts: 2, toolCalls: 150, toolErrors: 5,
                 interrupts: 0, compactions: 1, version: "2.1.39"),
        Expected(file: "marot__spotter/8463c716-a2ea-4c14-9efa-87158ebd9f20.jsonl",
                 cwd: "/home/USER/projects/spotter-worktrees/spotter-fum", prompts: 1, toolCalls: 177, toolErrors: 13,
                 interrupts: 0, compactions: 1, version: "2.1.39"),
        Expected(file: "marot__spotter/short.jsonl", cwd: "/home/marco/projects/spotter", prompts: 1, toolCalls: 2,
                 toolErrors: 2, interrupts: 1, compactions: 0, version: "2.1.38"),
        Expected(file: "marot__spotter/tool_heavy.jsonl", cwd: "/home/marco/projects/spotter", prompts: 2, toolCalls: 6,
                 toolErrors: 0, interrupts: 2, compactions: 0, version: "2.1.38"),
        Expected(file: "marot__spotter/subagent.jsonl", cwd: "/home/marco/projects/spotter", prompts: 1, toolCalls: 16,
                 toolErrors: 0, interrupts: 1, compactions: 0, version: "2.1.38"),
        Expected(file: "d-kimuson__claude-code-viewer/fe5e1c67-53e7-4862-81ae-d0e013e3270b.jsonl", cwd: "/path/to/Demo",
                 prompts: 1, toolCalls: 11, toolErrors: 0, interrupts: 0, compactions: 0, version: "1.0.98"),
        Expected(file: "d-kimuson__claude-code-viewer/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl", cwd: "/path/to/Demo",
                 prompts: 0, toolCalls: 12, toolErrors: 1, interrupts: 0, compactions: 0, version: "1.0.98"),
        Expected(file: "DRMacIver__claude-reliability/python-to-rust-port/transcript.jsonl", cwd: "/tmp/tmpqwh7888i",
                 prompts: 1, toolCalls: 39, toolErrors: 0, interrupts: 0, compactions: 0, version: "2.1.14"),
        Expected(file: "DRMacIver__claude-reliability/coverage-test-fix/transcript.jsonl", cwd: "/tmp/tmpw6sk2trg",
                 prompts: 1, toolCalls: 13, toolErrors: 1, interrupts: 0, compactions: 0, version: "2.1.14"),
    ]

    @Test(arguments: cases)
    func summaryMatchesTheTranscript(_ e: Expected) throws {
        let s = try SessionSummary.read(path: TestSupport.fixture(e.file), id: "x")
        #expect(s.cwd == e.cwd)
        #expect(s.humanPrompts == e.prompts)
        #expect(s.toolCalls == e.toolCalls)
        #expect(s.toolErrors == e.toolErrors)
        #expect(s.interrupts == e.interrupts)
        #expect(s.compactions == e.compactions)
        #expect(s.version == e.version)
        #expect(s.malformedLines == 0)
        #expect(s.firstTimestamp != nil && s.firstTimestamp! <= s.lastTimestamp!)
        #expect(try SessionSummary.readHead(path: TestSupport.fixture(e.file)).cwd == e.cwd)
    }

    @Test func oldSessionsTakeTheirTitleFromTheSummaryRecord() throws {
        let s = try SessionSummary.read(path: TestSupport.fixture("d-kimuson__claude-code-viewer/fe5e1c67-53e7-4862-81ae-d0e013e3270b.jsonl"), id: "fe5e1c67")
        #expect(s.title == "Empty Repo Setup: CLAUDE.md Foundation Created")
    }

    @Test func customTitleWinsOverAITitleAndSummary() throws {
        let dir = TestSupport.makeTempDir()
        TestSupport.write("""
            {"type":"summary","summary":"old"}
            {"type":"ai-title","aiTitle":"ai"}
            {"type":"custom-title","customTitle":"mine","sessionId":"s"}
            {"type":"ai-title","aiTitle":"ai2"}

            """, to: dir + "/s.jsonl")
        #expect(try SessionSummary.read(path: dir + "/s.jsonl", id: "s").title == "mine")
    }

    @Test func duplicatedRecordsAfterResumeAreCountedOnce() throws {
        let dir = TestSupport.makeTempDir()
        let t = TestSupport.transcript(cwd: "/r", sessionId: "s1")
        TestSupport.write(t + t, to: dir + "/s.jsonl")
        let s = try SessionSummary.read(path: dir + "/s.jsonl", id: "s1")
        #expect(s.humanPrompts == 1)
        #expect(s.toolCalls == 1)
        #expect(s.records == 8)
    }

    @Test func branchAndInnerSessionIdAreReported() throws {
        let dir = TestSupport.makeTempDir()
        TestSupport.write(TestSupport.transcript(cwd: "/r", sessionId: "other-id", branch: "feature/x"), to: dir + "/s.jsonl")
        let s = try SessionSummary.read(path: dir + "/s.jsonl", id: "file-id")
        #expect(s.branch == "feature/x")
        #expect(s.innerSessionId == "other-id")
    }
}
