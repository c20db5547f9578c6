import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

@Suite("Hooks: outgoing commits and their added lines")
struct OutgoingChangesTests {
    static let zeros = String(repeating: "0", count: 40)
    /// An AWS access key id shape, built at run time (no key literal in the source).
    static let awsKey = "AK" + "IA" + "QTXJ5DRN2PVLYHWE"

    @Test func parsesPrePushInput() {
        let a = String(repeating: "a", count: 40), b = String(repeating: "B", count: 40)
        let text = """
            refs/heads/main \(a) refs/heads/main \(b)\r
            refs/heads/new \(a) refs/heads/new \(Self.zeros)
            (delete) \(Self.zeros) refs/heads/gone \(a)

            this is not a ref line
            refs/heads/x nothex refs/heads/x \(a)

            """
        let (refs, problems) = PrePushInput.parse(text)
        #expect(refs.count == 3)
        #expect(refs[0] == PushedRef(localRef: "refs/heads/main", localOid: a, remoteRef: "refs/heads/main", remoteOid: b.lowercased()))
        #expect(!refs[0].isNewRef && !refs[0].isDeletion)
        #expect(refs[1].isNewRef && !refs[1].isDeletion)
        #expect(refs[2].isDeletion)
        #expect(problems.count == 2)
        #expect(problems[0].contains("line 5"))
    }

    /// A clone of a bare remote where `main` has a pushed root commit (CLAUDE.md with two lines).
    struct Fixture {
        let dir: String
        let work: String
        let remote: String

        init() throws {
            dir = TestSupport.makeTempDir("outgoing")
            remote = dir + "/remote.git"
            work = dir + "/work"
            try TestSupport.git(["init", "-q", "--bare", "-b", "main", remote], in: dir)
            try TestSupport.git(["clone", "-q", remote, work], in: dir)
            try TestSupport.git(["symbolic-ref", "HEAD", "refs/heads/main"], in: work)
            TestSupport.write("# Project\nUse make.\n", to: work + "/CLAUDE.md")
            try commit("root")
            try TestSupport.git(["push", "-q", "origin", "main"], in: work)
        }

        @discardableResult
        func commit(_ message: String) throws -> String {
            try TestSupport.git(["add", "-A"], in: work)
            try TestSupport.git(["commit", "-q", "-m", message], in: work)
            return try TestSupport.git(["rev-parse", "HEAD"], in: work)
        }

        func rev(_ r: String) throws -> String { try TestSupport.git(["rev-parse", r], in: work) }
    }

    @Test func walksOnlyWhatThePushSendsAndReportsNewFileLineNumbers() throws {
        let f = try Fixture()
        let root = try f.rev("HEAD")
        TestSupport.write("# Learnings\n\n- one\n- two\n", to: f.work + "/.claude/learnings.md")
        let b = try f.commit("learnings")
        TestSupport.write("# Learnings\n\n- one\n- inserted \(Self.awsKey)\n- two\n", to: f.work + "/.claude/learnings.md")
        TestSupport.write("notes \(Self.awsKey)\n", to: f.work + "/src/notes.txt")
        let c = try f.commit("more")

        let repo = try Repository.discover(at: f.work)
        let ref = PushedRef(localRef: "refs/heads/main", localOid: c, remoteRef: "refs/heads/main", remoteOid: root)
        #expect(try OutgoingChanges.outgoingCommits(in: repo, refs: [ref], remote: "origin") == [b, c])

        let addedB = try OutgoingChanges.addedLines(in: repo, commit: b, paths: OutgoingChanges.contextFiles)
        #expect(addedB.count == 1)
        #expect(addedB.first?.file == ".claude/learnings.md")
        #expect(addedB.first?.lineNumbers == [1, 2, 3, 4])
        let addedC = try OutgoingChanges.addedLines(in: repo, commit: c, paths: OutgoingChanges.contextFiles)
        #expect(addedC.map(\.file) == [".claude/learnings.md"])
        #expect(addedC.first?.lineNumbers == [4])
        #expect(addedC.first.map { String(decoding: $0.lines[0], as: UTF8.self) } == "- inserted \(Self.awsKey)")
        let everything = try OutgoingChanges.addedLines(in: repo, commit: c, paths: nil)
        #expect(Set(everything.map(\.file)) == [".claude/learnings.md", "src/notes.txt"])

        // The root commit is compared with the empty tree.
        let rootLines = try OutgoingChanges.addedLines(in: repo, commit: root, paths: OutgoingChanges.contextFiles)
        #expect(rootLines.first?.file == "CLAUDE.md" && rootLines.first?.lineNumbers == [1, 2])

        let findings = PrePushScan.findings(in: addedC, scanner: SecretScanner())
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.file == ".claude/learnings.md" && finding.line == 4 && finding.rule == "aws-access-key-id")
        #expect(finding.message.hasPrefix("context-sync: secret in \(c.prefix(7)) .claude/learnings.md:4: aws-access-key-id "))
        #expect(!finding.message.contains(Self.awsKey))
        #expect(finding.excerpt.hasSuffix("…"))
    }

    @Test func aNewBranchHidesWhatTheRemoteTrackingRefsHave() throws {
        let f = try Fixture()
        try TestSupport.git(["checkout", "-q", "-b", "feature"], in: f.work)
        TestSupport.write("- feature learning\n", to: f.work + "/.claude/learnings.md")
        let d = try f.commit("feature")
        let repo = try Repository.discover(at: f.work)
        let ref = PushedRef(localRef: "refs/heads/feature", localOid: d, remoteRef: "refs/heads/feature", remoteOid: Self.zeros)
        #expect(try OutgoingChanges.outgoingCommits(in: repo, refs: [ref], remote: "origin") == [d])
        // Pushing to the URL instead of the remote's name finds the remote by its URL.
        #expect(try OutgoingChanges.outgoingCommits(in: repo, refs: [ref], remote: f.remote) == [d])
        // An unknown remote: nothing is known to be there, so the whole history goes.
        #expect(try OutgoingChanges.outgoingCommits(in: repo, refs: [ref], remote: "/elsewhere.git").count == 2)
        // Deleting a ref sends nothing.
        let deletion = PushedRef(localRef: "(delete)", localOid: Self.zeros, remoteRef: "refs/heads/old", remoteOid: d)
        #expect(try OutgoingChanges.outgoingCommits(in: repo, refs: [deletion], remote: "origin").isEmpty)
    }

    @Test func tagsArePeeledToTheirCommits() throws {
        let f = try Fixture()
        TestSupport.write("- tagged learning\n", to: f.work + "/.claude/learnings.md")
        let c = try f.commit("tagged")
        try TestSupport.git(["tag", "-a", "-m", "release", "v1"], in: f.work)
        let tagObject = try f.rev("v1")
        #expect(tagObject != c)
        let blob = try f.rev("HEAD:CLAUDE.md")
        let repo = try Repository.discover(at: f.work)
        let refs = [PushedRef(localRef: "refs/tags/v1", localOid: tagObject, remoteRef: "refs/tags/v1", remoteOid: Self.zeros),
                    PushedRef(localRef: "refs/tags/blob", localOid: blob, remoteRef: "refs/tags/blob", remoteOid: Self.zeros)]
        #expect(try OutgoingChanges.outgoingCommits(in: repo, refs: refs, remote: "origin") == [c])
    }

    @Test func scanMapsMultiLineRunsAndHonoursTheAllowlist() throws {
        let key = Self.awsKey
        let additions = [AddedLines(commit: String(repeating: "c", count: 40), file: "CLAUDE.md",
                                    lineNumbers: [3, 4, 10, 11],
                                    lines: ["- a", "- key \(key)", "- b", "- allowed \(key) \(SecretScanner.allowMarker)"].map { Array($0.utf8) })]
        let plain = PrePushScan.findings(in: additions, scanner: SecretScanner())
        #expect(plain.map(\.line) == [4])
        let allowing = try SecretScanner(allowlist: ["^" + key + "$"])
        #expect(PrePushScan.findings(in: additions, scanner: allowing).isEmpty)
    }
}
