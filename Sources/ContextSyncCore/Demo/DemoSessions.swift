import Foundation

/// Two sample Claude Code sessions in the on-disk format Claude Code 2.x writes (one JSON record
/// per line: `parentUuid`, `isSidechain`, `userType`, `cwd`, `sessionId`, `version`,
/// `gitBranch`, `type`, `message`, `uuid`, `timestamp`; tool calls as `tool_use` blocks,
/// results as `tool_result` blocks in user records with `toolUseResult`), for `context-sync
/// demo`. They contain what the extractor looks for: a failed command and its fix, a command
/// that keeps working, an explicit "remember", a rejected tool call followed by a correction.
public enum DemoSessions {
    public struct Session: Sendable {
        public var id: String
        /// The JSONL text.
        public var text: String
    }

    /// The sessions, launched in `cwd`, dated a day apart ending yesterday relative to `now`.
    public static func make(cwd: String, now: Date = Date()) -> [Session] {
        [
            checkout(cwd: cwd, start: now.addingTimeInterval(-2 * 86_400)),
            migration(cwd: cwd, start: now.addingTimeInterval(-86_400)),
        ]
    }

    static func checkout(cwd: String, start: Date) -> Session {
        var w = Writer(sessionId: "0f4c2a9e-5b1d-4e7a-9c3f-2d8e6b1a7c40", cwd: cwd, start: start)
        w.user("The checkout total is off by a cent for some carts. Can you find and fix it?")
        w.assistantText("I'll run the test suite first to see what fails.")
        w.bash("npm test", "Run the unit tests", ok: false,
               output: "> acme-shop@1.4.0 test\n> vitest run\n\nsh: 1: vitest: not found\nnpm ERR! code 127")
        w.assistantText("npm cannot find vitest: this repository uses pnpm (there is a pnpm-lock.yaml). Running it with pnpm.")
        w.bash("pnpm test", "Run the unit tests with pnpm", ok: true,
               output: " ✓ src/cart/total.test.ts (14 tests) 41ms\n × src/cart/rounding.test.ts (3 tests | 1 failed)\n\n Test Files  1 failed | 11 passed (12)\n      Tests  1 failed | 147 passed (148)")
        w.tool("Read", ["file_path": cwd + "/src/cart/total.ts"], ok: true,
               output: "     1\texport function total(items: Item[]): number {\n     2\t  return items.reduce((s, i) => s + i.price * i.qty, 0)\n     3\t}")
        w.tool("Edit", ["file_path": cwd + "/src/cart/total.ts", "old_string": "i.price * i.qty", "new_string": "i.priceCents * i.qty"],
               ok: true, output: "The file \(cwd)/src/cart/total.ts has been updated.")
        w.bash("pnpm test", "Run the unit tests again", ok: true,
               output: " Test Files  12 passed (12)\n      Tests  148 passed (148)\n   Duration  2.31s")
        w.assistantText("All 148 tests pass. The bug was a float multiplication of a price in dollars.")
        w.user("Good. Remember that prices are stored as integer cents everywhere; never use floats for money.")
        w.assistantText("Understood: money stays in integer cents.")
        return w.session
    }

    static func migration(cwd: String, start: Date) -> Session {
        var w = Writer(sessionId: "7a1e9d3b-0c6f-4b28-8e5a-4f2b9c7d1e63", cwd: cwd, start: start)
        w.user("Add an index on orders.customer_id, the order history page is slow.")
        w.tool("Edit", ["file_path": cwd + "/db/schema.prisma", "old_string": "  customerId String", "new_string": "  customerId String\n  @@index([customerId])"],
               ok: true, output: "The file \(cwd)/db/schema.prisma has been updated.")
        w.bash("pnpm db:migrate", "Apply the migration", ok: false,
               output: "Error: P1001: Can't reach database server at `localhost:5432`\n\nPlease make sure your database server is running at `localhost:5432`.")
        w.bash("docker compose up -d db && pnpm db:migrate", "Start the database, then migrate", ok: true,
               output: " ✔ Container acme-shop-db-1  Started\nApplying migration `20260301_orders_customer_index`\nYour database is now in sync with your schema.")
        w.bash("rm -rf node_modules && pnpm install", "Reinstall dependencies", rejected: true)
        w.user("no, don't reinstall node_modules, the lockfile is pinned. Just run `pnpm db:generate` after changing the schema.")
        w.bash("pnpm db:generate", "Regenerate the database client", ok: true,
               output: "✔ Generated Prisma Client (v5.22.0) to ./node_modules/@prisma/client in 212ms")
        w.bash("pnpm test", "Run the unit tests", ok: true,
               output: " Test Files  12 passed (12)\n      Tests  148 passed (148)")
        w.assistantText("The index is in place, the client is regenerated and the tests pass.")
        return w.session
    }

    /// Builds records with the fields and ids Claude Code writes.
    struct Writer {
        let sessionId: String
        let cwd: String
        var clock: Date
        var lines: [String] = []
        var parent: String?
        var counter = 0

        init(sessionId: String, cwd: String, start: Date) {
            self.sessionId = sessionId
            self.cwd = cwd
            self.clock = start
        }

        var session: Session { Session(id: sessionId, text: lines.joined(separator: "\n") + "\n") }

        mutating func nextId(_ prefix: String = "") -> String {
            counter += 1
            let hex = String(StableHash.fnv1a64Hex(sessionId + String(counter)).suffix(12))
            let n = String(counter, radix: 16)
            let four = String(repeating: "0", count: max(0, 4 - n.count)) + n
            return prefix.isEmpty ? "\(sessionId.prefix(8))-\(four)-4000-8000-\(hex)" : prefix + hex
        }

        mutating func record(_ type: String, _ fill: (inout JSONObjectBuilder) -> Void) {
            let uuid = nextId()
            clock.addTimeInterval(7)
            var b = JSONObjectBuilder()
            b.set("parentUuid", parent)
            b.set("isSidechain", false)
            b.set("userType", "external")
            b.set("cwd", cwd)
            b.set("sessionId", sessionId)
            b.set("version", "2.1.39")
            b.set("gitBranch", "main")
            b.set("type", type)
            fill(&b)
            b.set("uuid", uuid)
            b.set("timestamp", Self.iso(clock))
            lines.append(b.value.serialized(pretty: false))
            parent = uuid
        }

        mutating func user(_ text: String) {
            record("user") { b in
                var m = JSONObjectBuilder()
                m.set("role", "user")
                m.set("content", text)
                b.set("message", m.value)
            }
        }

        mutating func assistant(_ content: [JSONValue]) {
            let msgId = nextId("msg_01"), reqId = nextId("req_011C")
            record("assistant") { b in
                var m = JSONObjectBuilder()
                m.set("model", "claude-sonnet-4-5-20250929")
                m.set("id", msgId)
                m.set("type", "message")
                m.set("role", "assistant")
                m.set("content", JSONValue.array(content))
                m.set("stop_reason", JSONValue.null)
                m.set("stop_sequence", JSONValue.null)
                var u = JSONObjectBuilder()
                u.set("input_tokens", 4)
                u.set("cache_read_input_tokens", 18_432)
                u.set("output_tokens", 212)
                m.set("usage", u.value)
                b.set("message", m.value)
                b.set("requestId", reqId)
            }
        }

        mutating func assistantText(_ text: String) {
            var t = JSONObjectBuilder()
            t.set("type", "text")
            t.set("text", text)
            assistant([t.value])
        }

        mutating func bash(_ command: String, _ description: String, ok: Bool = true, output: String = "", rejected: Bool = false) {
            tool("Bash", ["command": command, "description": description], ok: ok && !rejected, output: output, rejected: rejected)
        }

        mutating func tool(_ name: String, _ input: KeyValuePairs<String, String>, ok: Bool, output: String = "", rejected: Bool = false) {
            let toolId = nextId("toolu_01")
            var call = JSONObjectBuilder()
            call.set("type", "tool_use")
            call.set("id", toolId)
            call.set("name", name)
            var args = JSONObjectBuilder()
            for (k, v) in input { args.set(k, v) }
            call.set("input", args.value)
            assistant([call.value])
            let text = rejected
                ? "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed."
                : output
            record("user") { b in
                var r = JSONObjectBuilder()
                r.set("tool_use_id", toolId)
                r.set("type", "tool_result")
                r.set("content", text)
                r.set("is_error", !ok)
                var m = JSONObjectBuilder()
                m.set("role", "user")
                m.set("content", JSONValue.array([r.value]))
                b.set("message", m.value)
                if ok && name == "Bash" {
                    var res = JSONObjectBuilder()
                    res.set("stdout", output)
                    res.set("stderr", "")
                    res.set("interrupted", false)
                    res.set("isImage", false)
                    b.set("toolUseResult", res.value)
                } else {
                    b.set("toolUseResult", ok ? output : "Error: " + text)
                }
            }
        }

        static func iso(_ d: Date) -> String {
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return f.string(from: d)
        }
    }
}
