import ContextSyncCore
import Foundation

/// A tiny transcript writer: prompts, tool calls with results, interrupts, assistant text. The one
/// builder of Claude Code JSONL lines for tests that need a crafted session (the real transcripts
/// are in Tests/Fixtures). Record ids are `u1`, `a2`/`r2`, … numbered in order, after `idPrefix`
/// (give each session its own prefix when several share a Claude root).
public struct TranscriptScript {
    public var lines: [String] = []
    public var n = 0
    /// The working directory written on prompt lines.
    public var cwd: String
    /// Put before every record id (`uuid`, message and tool-use ids).
    public var idPrefix: String

    public init(cwd: String = "/work/app", idPrefix: String = "") {
        self.cwd = cwd
        self.idPrefix = idPrefix
    }

    public mutating func next() -> Int { n += 1; return n }

    /// A prompt; `timestamp` stamps this line only (see `events(_:timestamp:)` for all lines).
    public mutating func user(_ text: String, timestamp: String? = nil) {
        let i = next()
        let stamp = timestamp.map { #","timestamp":\#(JSONValue.string($0).serialized())"# } ?? ""
        lines.append(#"{"type":"user","uuid":"\#(idPrefix)u\#(i)","cwd":\#(JSONValue.string(cwd).serialized())\#(stamp),"message":{"role":"user","content":\#(JSONValue.string(text).serialized())}}"#)
    }

    public mutating func interrupt(forTool: Bool = false) {
        let i = next()
        let t = forTool ? "[Request interrupted by user for tool use]" : "[Request interrupted by user]"
        lines.append(#"{"type":"user","uuid":"\#(idPrefix)u\#(i)","message":{"role":"user","content":[{"type":"text","text":"\#(t)"}]}}"#)
    }

    public mutating func assistant(_ text: String) {
        let i = next()
        lines.append(#"{"type":"assistant","uuid":"\#(idPrefix)a\#(i)","message":{"id":"\#(idPrefix)m\#(i)","role":"assistant","content":[{"type":"text","text":\#(JSONValue.string(text).serialized())}]}}"#)
    }

    public mutating func bash(_ command: String, ok: Bool, output: String = "") {
        call("Bash", JSONValue.object(JSONObject(keys: ["command"], values: [.string(command)])),
             ok: ok, output: output.isEmpty ? (ok ? "done" : "Exit code 1\nerror") : output)
    }

    public mutating func compaction(_ text: String) {
        let i = next()
        lines.append(#"{"type":"user","uuid":"\#(idPrefix)c\#(i)","isCompactSummary":true,"message":{"role":"user","content":\#(JSONValue.string(text).serialized())}}"#)
    }

    /// Any tool call (Read, Edit, Grep, …) with its result.
    public mutating func tool(_ name: String, _ input: [(String, String)], ok: Bool, output: String = "") {
        call(name, JSONValue.object(JSONObject(keys: input.map(\.0), values: input.map { .string($0.1) })),
             ok: ok, output: output.isEmpty ? (ok ? "done" : "error") : output)
    }

    /// Any tool call with its result.
    public mutating func tool(_ name: String, _ input: [String: String], ok: Bool, output: String = "") {
        tool(name, input.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, ok: ok, output: output)
    }

    /// Appends a raw transcript line (a record type the other helpers do not write).
    public mutating func raw(_ line: String) { lines.append(line) }

    /// The assistant's tool_use line and the tool_result line answering it.
    private mutating func call(_ name: String, _ input: JSONValue, ok: Bool, output: String) {
        let i = next()
        let p = idPrefix
        lines.append(#"{"type":"assistant","uuid":"\#(p)a\#(i)","message":{"id":"\#(p)m\#(i)","role":"assistant","content":[{"type":"tool_use","id":"\#(p)t\#(i)","name":"\#(name)","input":\#(input.serialized())}]}}"#)
        lines.append(#"{"type":"user","uuid":"\#(p)r\#(i)","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"\#(p)t\#(i)","content":\#(JSONValue.string(output).serialized()),"is_error":\#(!ok)}]}}"#)
    }

    /// The JSONL text: one line per record, newline-terminated.
    public var text: String { lines.joined(separator: "\n") + "\n" }

    /// Writes the session to `path` (creating folders), its mtime `ageSeconds` in the past.
    public func write(to path: String, ageSeconds: Double) {
        TestSupport.write(text, to: path)
        TestSupport.age(path, secondsAgo: ageSeconds)
    }

    public func events(_ id: String = "s1") throws -> SessionEvents {
        let dir = TestSupport.makeTempDir("hx")
        TestSupport.write(text, to: dir + "/\(id).jsonl")
        return try SessionEvents.read(path: dir + "/\(id).jsonl", id: id)
    }

    /// The events of the session with every record stamped `timestamp`.
    public func events(_ id: String, timestamp: String) throws -> SessionEvents {
        var copy = self
        copy.lines = lines.map { "{\"timestamp\":\"\(timestamp)\"," + $0.dropFirst() }
        return try copy.events(id)
    }
}
