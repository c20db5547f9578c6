import ContextSyncCore
import Foundation
import Testing

/// Every `--json` output parses, carries `"schemaVersion": 1` first in each top-level object, and
/// uses one name for one thing: `sessionId` for a session, `topLevel` for a repository's path,
/// `projectKey` for its identity key (never `id`, never a bare `project` string).
@Suite struct JSONOutputCLITests {
    typealias Sandbox = RunCLITests.Sandbox

    /// Every key of every object inside `v`, with the value it names.
    static func pairs(_ v: JSONValue) -> [(String, JSONValue)] {
        switch v {
        case .object(let o): return Array(zip(o.keys, o.values)) + o.values.flatMap(pairs)
        case .array(let a): return a.flatMap(pairs)
        default: return []
        }
    }

    static func expectVersioned(_ v: JSONValue, _ what: String) {
        guard case .object(let o) = v else { Issue.record("\(what): not an object"); return }
        #expect(o.keys.first == "schemaVersion", "\(what): \(o.keys)")
        #expect(v["schemaVersion"]?.number == 1, "\(what)")
        for (key, value) in pairs(v) {
            #expect(key != "id", "\(what): `id` (use sessionId)")
            if key == "project", case .string = value { Issue.record("\(what): `project` as a string (use topLevel / projectKey)") }
        }
    }

    @Test func everyJSONOutputHasSchemaVersionAndTheSameNames() throws {
        let s = try Sandbox()
        try s.writeConfig("settle_minutes = 0\n[projects]\ninclude = [\"**\"]\n")
        let single: [[String]] = [
            ["sessions", "--json", "--project", s.repo],
            ["projects", "--json"],
            ["digest", "--json", "--no-record", "--project", s.repo],
            ["doctor", "--json", "--project", s.repo],
            ["patterns", "--json"],
            ["stale", "--json", "--project", s.repo],
            ["tidy", "--json", "--dry-run", "--project", s.repo],
            ["run", "--json", "--dry-run", "--project", s.repo],
        ]
        var parsed: [String: JSONValue] = [:]
        for args in single {
            let r = try CLI.run(args, env: s.env)
            #expect(r.status == 0 || args[0] == "doctor", "\(args): \(r.stderr)")
            let v = try JSONParser.parse(r.stdout)
            Self.expectVersioned(v, args.joined(separator: " "))
            parsed[args[0]] = v
        }
        let apply = try CLI.run(["apply", "--json", "--dry-run", "--project", s.repo], env: s.env, stdin: "- Use `uv run`.\n")
        #expect(apply.status == 0, "\(apply.stderr)")
        Self.expectVersioned(try JSONParser.parse(apply.stdout), "apply")

        // The same session and repository under the same names.
        let sessionId = "cccccccc-0000-0000-0000-000000000001"
        #expect(parsed["sessions"]?["sessions"]?.array?.first?["sessionId"]?.string == sessionId)
        #expect(parsed["digest"]?["sessions"]?.array?.first?["sessionId"]?.string == sessionId)
        #expect(parsed["run"]?["sessions"]?.array?.first?.string == sessionId)
        for c in ["digest", "run", "tidy"] { #expect(parsed[c]?["topLevel"]?.string == s.repo, "\(c)") }
        let key = parsed["sessions"]?["project"]?["identity"]?["key"]?.string
        #expect(key != nil)
        for c in ["digest", "run", "tidy"] { #expect(parsed[c]?["projectKey"]?.string == key, "\(c)") }

        // doctor: every warn/fail check says what to do in `fix`, as its help says; ok has none.
        let checks = parsed["doctor"]?["checks"]?.array ?? []
        #expect(!checks.isEmpty)
        for c in checks {
            guard case .object(let o) = c else { continue }
            if c["status"]?.string == "ok" { #expect(!o.keys.contains("fix"), "\(o.keys)") } else { #expect(c["fix"]?.string?.isEmpty == false, "\(o.keys)") }
        }

        // run --all --json is an array of per-repository objects, each versioned.
        let all = try CLI.run(["run", "--all", "--json", "--dry-run"], env: s.env)
        let items = try JSONParser.parse(all.stdout).array ?? []
        #expect(!items.isEmpty, "\(all.stdout) \(all.stderr)")
        for item in items { Self.expectVersioned(item, "run --all") }

        // scan --json is one object per line.
        let file = s.dir + "/notes.txt"
        try "key = AKIAIOSFODNN7EXAMPLF\n".write(toFile: file, atomically: true, encoding: .utf8)
        let scan = try CLI.run(["scan", "--json", file], env: s.env)
        let lines = scan.stdout.split(separator: "\n")
        #expect(!lines.isEmpty, "\(scan.stderr)")
        for line in lines { Self.expectVersioned(try JSONParser.parse(String(line)), "scan") }
    }
}
