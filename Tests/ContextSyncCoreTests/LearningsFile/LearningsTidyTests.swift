import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

@Suite("tidy and stale")
struct LearningsTidyTests {
    static let file = """
        # Learnings
        <!-- Maintained by context-sync. Edit freely: sections are merged by date and machine. -->

        ## 2026-03-02 (vm)

        - Run the tests with `make test` before pushing to main.
        - Prices are stored as integer cents everywhere.

        My own note in between.

        ## 2026-03-01 (laptop)

        - Run tests with make test before pushing to main
        - Deploy with `make deploy`.

        ## 2026-03-01 (laptop)

        - Use `pnpm`, not `npm`.

        """

    @Test func nearDuplicatesMergeIntoTheEarliestSectionWithTheBestWording() {
        let r = LearningsTidy.tidy(Self.file)
        let doc = LearningsDocument(parsing: r.learnings)
        #expect(doc.sections.map(\.date) == ["2026-03-02", "2026-03-01"])
        #expect(doc.sections[1].bullets == ["Run the tests with `make test` before pushing to main.", "Deploy with `make deploy`.", "Use `pnpm`, not `npm`."])
        #expect(doc.sections[0].bullets == ["Prices are stored as integer cents everywhere."])
        #expect(r.merged.count == 1 && r.mergedSections == 1 && r.archived.isEmpty)
        // The user's prose survives byte for byte.
        #expect(r.learnings.contains("\n\nMy own note in between.\n\n## 2026-03-01 (laptop)\n"))
        #expect(ConflictMarkers.lines(in: r.learnings).isEmpty)
        // Tidy is idempotent.
        #expect(!LearningsTidy.tidy(r.learnings).changed)
    }

    @Test func overTheBudgetTheOldestGoToTheArchiveWhichOnlyGrows() {
        var text = LearningsDocument.header + "\n"
        var doc = LearningsDocument(parsing: "")
        for d in 1...9 {
            doc.append(bullets: ["Fact number \(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"][d - 1]) about module m\(d)."],
                       date: "2026-03-0\(d)", machine: "a")
        }
        text = doc.rendered()
        let r = LearningsTidy.tidy(text, options: .init(maxBullets: 5, maxChars: 100_000))
        #expect(LearningsDocument(parsing: r.learnings).allBullets.count == 5)
        #expect(r.archived.map(\.date) == ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"])
        #expect(r.archived.allSatisfy { $0.reason.contains("budget") })
        let archive = LearningsTidy.archive(nil, adding: r.archived, date: "2026-12-01", machine: "a")
        #expect(archive.hasPrefix("# Learnings archive"))
        #expect(archive.contains("- Fact number one about module m1. (from 2026-03-01 a; over the budget (oldest first))"))
        // Append-only: archiving again keeps what was there and adds nothing twice.
        let again = LearningsTidy.archive(archive, adding: r.archived + [.init(text: "New one.", date: "2026-03-09", machine: "a", reason: "stale: x")],
                                          date: "2026-12-02", machine: "a")
        // Every bullet the archive held is still there.
        let before = LearningsDocument(parsing: archive).allBullets
        #expect(before.count == 4 && Set(before).isSubset(of: Set(LearningsDocument(parsing: again).allBullets)))
        #expect(again.components(separatedBy: "Fact number one").count == 2)
        #expect(again.contains("- New one. (from 2026-03-09 a; stale: x)"))
        #expect(LearningsTidy.isOverBudget(text, options: .init(maxBullets: 5)))
        #expect(!LearningsTidy.isOverBudget(r.learnings, options: .init(maxBullets: 5)))
    }

    @Test func unifiedDiffShowsRemovedThenAddedLines() {
        let d = UnifiedDiff.diff("a\nb\nc\n", "a\nB\nc\n", oldName: "a/x", newName: "b/x")
        #expect(d == "--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n")
        #expect(UnifiedDiff.diff("same\n", "same\n", oldName: "a", newName: "b") == "")
    }

    @Test func staleFindsMovedDeletedAndUndefinedButNotUntracked() throws {
        let dir = TestSupport.makeTempDir("stale")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestSupport.makeRepo(at: dir)
        TestSupport.write("x\n", to: dir + "/scripts/load.py")
        TestSupport.write("y\n", to: dir + "/docs/old.md")
        TestSupport.write("deploy:\n\techo d\ntest:\n\techo t\n", to: dir + "/Makefile")
        TestSupport.write(#"{"scripts":{"build":"tsc","lint":"eslint ."}}"#, to: dir + "/package.json")
        _ = try TestSupport.git(["add", "-A"], in: dir)
        _ = try TestSupport.git(["commit", "-qm", "files"], in: dir)
        _ = try TestSupport.git(["mv", "scripts/load.py", "scripts/ingest.py"], in: dir)
        _ = try TestSupport.git(["rm", "-q", "docs/old.md"], in: dir)
        TestSupport.write("test:\n\techo t\n", to: dir + "/Makefile")
        TestSupport.write(#"{"scripts":{"build":"tsc"}}"#, to: dir + "/package.json")
        _ = try TestSupport.git(["commit", "-qam", "move loader, drop docs, deploy and lint"], in: dir)
        let doc = LearningsDocument(parsing: """
            ## 2026-03-01 (a)

            - Load data with `python scripts/load.py`.
            - See docs/old.md for the schema.
            - Deploy with `make deploy`.
            - Lint with `npm run lint`.
            - Test with `make test` and build with `npm run build`.
            - Build output goes to `dist/bundle.js`.
            - Config lives in `package.json`.

            """)
        let repo = try Repository.discover(at: dir)
        let stale = try StaleBullets.find(in: doc, repo: repo, tree: try repo.head().tree)
        #expect(stale.map(\.name) == ["scripts/load.py", "docs/old.md", "make deploy", "npm run lint"])
        #expect(stale[0].renamedTo == "scripts/ingest.py" && stale[0].reason.contains("renamed to `scripts/ingest.py`"))
        #expect(stale[1].renamedTo == nil)
        #expect(stale.allSatisfy { $0.removedIn.hasSuffix("move loader, drop docs, deploy and lint") })
    }
}
