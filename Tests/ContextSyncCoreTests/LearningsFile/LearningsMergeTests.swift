import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

@Suite("LearningsDocument.merge")
struct LearningsMergeTests {
    let base = LearningsSamples.example

    func appending(_ text: String, _ bullets: [String], _ date: String, _ machine: String) -> String {
        var d = LearningsDocument(parsing: text)
        d.append(bullets: bullets, date: date, machine: machine)
        return d.rendered()
    }

    func counts(_ text: String) -> [String: Int] {
        var c: [String: Int] = [:]
        for b in LearningsDocument(parsing: text).allBullets { c[LearningsDocument.normalizeForDedupe(b), default: 0] += 1 }
        return c
    }

    @Test func trivialCases() {
        let ours = appending(base, ["x"], "2026-02-02", "laptop")
        #expect(LearningsDocument.merge(base: base, ours: ours, theirs: base) == ours)
        #expect(LearningsDocument.merge(base: base, ours: base, theirs: ours) == ours)
        #expect(LearningsDocument.merge(base: base, ours: ours, theirs: ours) == ours)
    }

    @Test func twoMachinesSameDay() {
        let laptop = appending(base, ["laptop learned A", "shared insight"], "2026-02-02", "laptop")
        let vm = appending(base, ["vm learned B", "Shared insight."], "2026-02-02", "vm")
        let merged = LearningsDocument.merge(base: base, ours: laptop, theirs: vm)
        let doc = LearningsDocument(parsing: merged)
        #expect(doc.sections.map(\.machine) == ["vm", "laptop", "vm", "laptop"])
        #expect(doc.sections.map(\.date) == ["2026-02-02", "2026-02-02", "2026-02-01", "2026-01-31"])
        #expect(counts(merged).values.allSatisfy { $0 == 1 })
        #expect(counts(merged).count == 6)
        #expect(!merged.contains("<<<<<<<") && !merged.contains(">>>>>>>") && !merged.contains("======="))
        #expect(!merged.contains("\n\n\n"))
        // Deterministic, and the result round-trips.
        #expect(LearningsDocument.merge(base: base, ours: laptop, theirs: vm) == merged)
        #expect(LearningsDocument(parsing: merged).rendered() == merged)
    }

    @Test func sameSectionBothSides() {
        let a = appending(base, ["one", "two"], "2026-02-01", "vm")
        let b = appending(base, ["two", "three"], "2026-02-01", "vm")
        let merged = LearningsDocument.merge(base: base, ours: a, theirs: b)
        let doc = LearningsDocument(parsing: merged)
        #expect(doc.sections.count == 2)
        #expect(doc.sections[0].bullets.suffix(3) == ["one", "two", "three"])
    }

    @Test func olderSectionFromTheirsGoesInDateOrder() {
        let a = appending(base, ["new on a"], "2026-02-05", "a")
        let b = appending(base, ["late sync"], "2026-01-20", "b")
        let doc = LearningsDocument(parsing: LearningsDocument.merge(base: base, ours: a, theirs: b))
        #expect(doc.sections.map(\.date) == ["2026-02-05", "2026-02-01", "2026-01-31", "2026-01-20"])
    }

    @Test func deletionsOnOneSideStayDeleted() {
        let ours = base.replacingOccurrences(of: "- Deploy with `make deploy`, not `fly deploy` directly.\n", with: "")
        let theirs = appending(base, ["added by them"], "2026-02-02", "vm")
        let merged = LearningsDocument.merge(base: base, ours: ours, theirs: theirs)
        #expect(!merged.contains("fly deploy"))
        #expect(merged.contains("- added by them"))
        // The other direction: theirs deleted a whole section.
        let theirs2 = base.replacingOccurrences(of: "## 2026-01-31 (laptop)\n\n- The `.env.example` file is the source of truth for env vars.\n", with: "")
        let ours2 = appending(base, ["ours new"], "2026-02-03", "laptop")
        let merged2 = LearningsDocument.merge(base: base, ours: ours2, theirs: theirs2)
        #expect(!merged2.contains("2026-01-31"))
        #expect(merged2.contains("- ours new"))
    }

    @Test func noBaseIsAUnion() {
        let a = appending("", ["alpha"], "2026-02-01", "a")
        let b = appending("", ["beta", "alpha"], "2026-02-01", "b")
        let merged = LearningsDocument.merge(base: nil, ours: a, theirs: b)
        #expect(counts(merged) == ["alpha": 1, "beta": 1])
        #expect(merged.hasPrefix("# Learnings\n"))
        #expect(merged.components(separatedBy: "# Learnings\n").count == 2)
    }

    @Test func userProseSurvivesAndTheirsProseArrives() {
        let ours = base.replacingOccurrences(of: "directly.\n", with: "directly.\n\nOur note.\n")
        let theirs = base.replacingOccurrences(of: "directly.\n", with: "directly.\n\nTheir note.\n")
        let merged = LearningsDocument.merge(base: base, ours: ours, theirs: theirs)
        #expect(merged.contains("Our note.\n\nTheir note.\n"))
    }

    @Test func headerChangeFromTheirsIsTaken() {
        let theirs = base.replacingOccurrences(of: "# Learnings\n", with: "# Learnings (team)\n")
        let ours = appending(base, ["x"], "2026-02-02", "a")
        let merged = LearningsDocument.merge(base: base, ours: ours, theirs: theirs)
        #expect(merged.hasPrefix("# Learnings (team)\n"))
        #expect(merged.contains("- x\n"))
    }

    @Test func crlfOursKeepsCRLF() {
        let crlfBase = base.replacingOccurrences(of: "\n", with: "\r\n")
        let ours = appending(crlfBase, ["ours"], "2026-02-02", "a")
        let theirs = appending(base, ["theirs"], "2026-02-02", "b")  // theirs is LF (e.g. other OS)
        let merged = LearningsDocument.merge(base: crlfBase, ours: ours, theirs: theirs)
        #expect(merged.contains("- theirs\r\n"))
        #expect(merged.contains("- ours\r\n"))
    }

    @Test func randomMergesKeepEveryBulletOnce() {
        var rng = SeededRandom(seed: 99)
        for i in 0..<300 {
            let b = LearningsSamples.randomText(&rng)
            var o = b, t = b
            for j in 0..<Int.random(in: 1...3, using: &rng) {
                o = appending(o, ["o\(i)-\(j)", "common \(i)"], "2026-02-0\(Int.random(in: 1...4, using: &rng))", ["a", "b"].randomElement(using: &rng)!)
                t = appending(t, ["t\(i)-\(j)", "Common \(i)."], "2026-02-0\(Int.random(in: 1...4, using: &rng))", ["a", "b"].randomElement(using: &rng)!)
            }
            let merged = LearningsDocument.merge(base: b, ours: o, theirs: t)
            let doc = LearningsDocument(parsing: merged)
            let keys = Set(doc.allBullets.map(LearningsDocument.normalizeForDedupe))
            for x in LearningsDocument(parsing: o).allBullets + LearningsDocument(parsing: t).allBullets {
                #expect(keys.contains(LearningsDocument.normalizeForDedupe(x)))
            }
            #expect(doc.allBullets.filter { LearningsDocument.normalizeForDedupe($0) == "common \(i)" }.count == 1)
            #expect(doc.rendered() == merged)
        }
    }
}

@Suite("Learnings files: CLAUDE.md directive and .gitattributes")
struct LearningsFilesTests {
    @Test func directiveInRootClaudeMd() {
        let text = "# Project\n\nSome rules.\n"
        let new = ClaudeDirective.adding(to: text, claudeFile: "CLAUDE.md")!
        #expect(new.hasPrefix(text + "\n## Accumulated Learnings\n"))
        #expect(new.hasSuffix("\n@.claude/learnings.md\n"))
        #expect(ClaudeDirective.adding(to: new, claudeFile: "CLAUDE.md") == nil)
    }

    @Test func directiveInDotClaudeUsesRelativeImport() {
        let new = ClaudeDirective.adding(to: nil, claudeFile: ".claude/CLAUDE.md")!
        #expect(new.hasPrefix("## Accumulated Learnings\n"))
        #expect(new.hasSuffix("\n@learnings.md\n"))
        #expect(ClaudeDirective.adding(to: new, claudeFile: ".claude/CLAUDE.md") == nil)
    }

    @Test func directiveAlreadyImportedByHand() {
        #expect(ClaudeDirective.adding(to: "See @.claude/learnings.md please", claudeFile: "CLAUDE.md") == nil)
        #expect(ClaudeDirective.adding(to: "no newline at end", claudeFile: "CLAUDE.md")!.hasPrefix("no newline at end\n\n## "))
        let crlf = ClaudeDirective.adding(to: "a\r\nb\r\n", claudeFile: "CLAUDE.md")!
        #expect(crlf.hasPrefix("a\r\nb\r\n\r\n## Accumulated Learnings\r\n"))
    }

    @Test func gitattributesOnce() {
        #expect(GitAttributesLine.adding(to: nil) == ".claude/learnings.md merge=union\n")
        #expect(GitAttributesLine.adding(to: "*.png binary") == "*.png binary\n.claude/learnings.md merge=union\n")
        #expect(GitAttributesLine.adding(to: "/.claude/learnings.md  text merge=union\n") == nil)
        #expect(GitAttributesLine.adding(to: "*.png binary\n.claude/learnings.md merge=union\n") == nil)
    }

    @Test func planAndApplyInAWorkTree() throws {
        let dir = TestSupport.makeTempDir("files")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        TestSupport.write("# Mine\n", to: dir + "/CLAUDE.md")
        let up = try LearningsFiles.plan(workdir: dir, bullets: ["one", "two"], date: "2026-02-01", machine: "vm")
        #expect(up.addedBullets == ["one", "two"])
        #expect(Set(up.changes.keys) == [".claude/learnings.md", "CLAUDE.md", ".gitattributes"])
        try LearningsFiles.apply(up, workdir: dir)
        #expect(try LearningsFiles.read(".claude/learnings.md", workdir: dir)!.contains("- one\n- two\n"))
        #expect(try LearningsFiles.read("CLAUDE.md", workdir: dir)!.contains("@.claude/learnings.md"))
        // Second run with the same bullets: nothing to do.
        let again = try LearningsFiles.plan(workdir: dir, bullets: ["One."], date: "2026-02-01", machine: "vm")
        #expect(again.isEmpty)
        // New bullet: only learnings.md changes.
        let third = try LearningsFiles.plan(workdir: dir, bullets: ["three"], date: "2026-02-01", machine: "vm")
        #expect(Array(third.changes.keys) == [".claude/learnings.md"])
    }

    @Test func planCreatesDotClaudeClaudeMdWhenNoRootOne() throws {
        let dir = TestSupport.makeTempDir("files2")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let up = try LearningsFiles.plan(workdir: dir, bullets: ["x"], date: "2026-02-01", machine: "vm")
        try LearningsFiles.apply(up, workdir: dir)
        #expect(try LearningsFiles.read(".claude/CLAUDE.md", workdir: dir)!.contains("@learnings.md"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/CLAUDE.md"))
    }

    @Test func nonUTF8IsRefused() throws {
        let dir = TestSupport.makeTempDir("files3")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        TestSupport.write(bytes: [0x2D, 0x20, 0xFF, 0xFE, 0x0A], to: dir + "/.claude/learnings.md")
        #expect(throws: ContextSyncError.self) {
            _ = try LearningsFiles.plan(workdir: dir, bullets: ["x"], date: "2026-02-01", machine: "vm")
        }
    }
}
