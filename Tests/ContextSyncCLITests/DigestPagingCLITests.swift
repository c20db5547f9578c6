import ContextSyncCore
import Foundation
import Testing

/// `digest` pages: at most --page-chars characters each, the exact command for the next page,
/// only the pages printed recorded for `apply`, and --no-record writing no state.
@Suite struct DigestPagingCLITests {
    typealias Sandbox = RunCLITests.Sandbox

    static func sandbox(sessions: Int) throws -> Sandbox {
        let s = try Sandbox()
        for k in 2...sessions {
            try s.addSession(for: s.repo, id: "cccccccc-0000-0000-0000-\(String(format: "%012d", k))",
                             extraPrompt: "session \(k): " + String(repeating: "please load the data again ", count: 6))
        }
        return s
    }

    static func statuses(_ s: Sandbox) throws -> [String: String] {
        let list = try JSONParser.parse(try CLI.run(["sessions", "--project", s.repo, "--json"], env: s.env).stdout)["sessions"]?.array ?? []
        return Dictionary(uniqueKeysWithValues: list.compactMap { e in e["sessionId"]?.string.map { ($0, e["status"]?.string ?? "") } })
    }

    static func files(under dir: String) -> [String] {
        (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).sorted()
    }

    @Test func pagesFitTheBudgetAndNameTheNextCommand() throws {
        let s = try Self.sandbox(sessions: 8)
        let first = try CLI.run(["digest", "--project", s.repo, "--page-chars", "1000"], env: s.env)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.utf16.count <= 1000)
        // Later sessions are not read yet: the footer does not claim a page count.
        #expect(first.stdout.contains("--- page 1 · session"), "\(first.stdout)")
        #expect(!first.stdout.contains("--- page 1 of"))
        #expect(first.stdout.contains("--- next page: context-sync digest --page 2 --project \(s.repo) --page-chars 1000\n"))
        // Follow the next-page commands to the last page, which knows the count.
        var seen = Set<String>()
        var pages = 0
        for n in 1...20 {
            let r = try CLI.run(["digest", "--project", s.repo, "--page-chars", "1000", "--page", "\(n)", "--no-record"], env: s.env)
            #expect(r.status == 0)
            #expect(r.stdout.utf16.count <= 1000)
            for m in r.stdout.matches(of: /=== Session (\S+)/) { #expect(seen.insert(String(m.1)).inserted, "shown twice: \(m.1)") }
            if r.stdout.contains("last page") {
                #expect(r.stdout.contains("--- page \(n) of \(n) ·"), "\(r.stdout)")
                #expect(!r.stdout.contains("--- next page"))
                pages = n
                break
            }
            #expect(r.stdout.contains("--- next page: context-sync digest --page \(n + 1) "))
        }
        #expect(pages >= 3)
        #expect(seen.count == 8)
        let json = try JSONParser.parse(try CLI.run(["digest", "--project", s.repo, "--page-chars", "1000", "--json", "--no-record"], env: s.env).stdout)
        #expect(json["pages"] == nil && json["next"]?.string != nil && json["sessionsTotal"]?.number == 8)
        let last = try JSONParser.parse(try CLI.run(["digest", "--project", s.repo, "--page-chars", "1000", "--page", "\(pages)", "--json", "--no-record"], env: s.env).stdout)
        #expect(last["pages"]?.number == Double(pages) && last["next"] == nil)
        let beyond = try CLI.run(["digest", "--project", s.repo, "--page-chars", "1000", "--page", "\(pages + 1)"], env: s.env)
        #expect(beyond.status == 2)
        #expect(beyond.stderr.contains("there is no page \(pages + 1): the digest has \(pages) pages"))
        let tiny = try CLI.run(["digest", "--project", s.repo, "--page-chars", "10"], env: s.env)
        #expect(tiny.status != 0 && tiny.stderr.contains("--page-chars must be at least 1000"))
    }

    @Test func applyMarksOnlyTheSessionsOnThePagesPrinted() throws {
        let s = try Self.sandbox(sessions: 8)
        let one = try CLI.run(["digest", "--project", s.repo, "--page-chars", "1000"], env: s.env)
        let two = try CLI.run(["digest", "--project", s.repo, "--page-chars", "1000", "--page", "2"], env: s.env)
        let shown = Set((one.stdout + two.stdout).matches(of: /=== Session (\S+)/).map { String($0.1) })
        #expect(shown.count >= 2 && shown.count < 8)
        let r = try CLI.run(["apply", "--project", s.repo], env: s.env, stdin: "No new learnings.\n")
        #expect(r.status == 0, "\(r.stderr)")
        let statuses = try Self.statuses(s)
        for (id, status) in statuses { #expect(status == (shown.contains(id) ? "processed" : "new"), "\(id)") }
        // The newest sessions come first; the remaining ones are offered next time.
        let next = try CLI.run(["digest", "--project", s.repo, "--page-chars", "1000", "--no-record"], env: s.env)
        for id in shown { #expect(!next.stdout.contains(id)) }
        #expect(next.stdout.contains("=== Session"))
    }

    @Test func noRecordWritesNoState() throws {
        let s = try Self.sandbox(sessions: 3)
        let before = Self.files(under: s.dir + "/state")
        let r = try CLI.run(["digest", "--project", s.repo, "--no-record"], env: s.env)
        #expect(r.status == 0)
        #expect(r.stdout.contains("--- page 1 of 1 · sessions 1-3 of 3, newest first · last page"))
        #expect(Self.files(under: s.dir + "/state") == before)
        let apply = try CLI.run(["apply", "--project", s.repo], env: s.env, stdin: "No new learnings.\n")
        #expect(apply.stderr.contains("no digest recorded"))
        #expect(try Self.statuses(s).values.allSatisfy { $0 == "new" })
    }
}
