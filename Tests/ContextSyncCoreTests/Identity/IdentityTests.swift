import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

@Suite struct RemoteURLTests {
    @Test(arguments: [
        ("git@github.com:Owner/Repo.git", "github.com/owner/repo"),
        ("ssh://git@github.com/Owner/Repo.git", "github.com/owner/repo"),
        ("https://github.com/Owner/Repo", "github.com/owner/repo"),
        ("https://user:secret@GitHub.com/Owner/Repo.git/", "github.com/owner/repo"),
        ("http://github.com/owner/repo/", "github.com/owner/repo"),
        ("git://github.com/owner/repo.git", "github.com/owner/repo"),
        ("ssh://git@example.org:2222/team/Proj.git", "example.org:2222/team/Proj"),
        ("ssh://git@example.org:22/team/Proj.git", "example.org/team/Proj"),
        ("https://example.org:443/team/Proj", "example.org/team/Proj"),
        ("https://example.org:8443/team/Proj", "example.org:8443/team/Proj"),
        ("git@EXAMPLE.org:team/Proj", "example.org/team/Proj"),
        ("user@host.example:~/repo.git", "host.example/~/repo"),
        ("https://oauth2:tok@gitlab.com/Group/Sub/Proj.git", "gitlab.com/group/sub/proj"),
        ("/srv/git/proj.git", "file:/srv/git/proj"),
        ("file:///srv/git/proj.git/", "file:/srv/git/proj"),
        ("  git@github.com:o/r.git\n", "github.com/o/r"),
    ])
    func normalises(_ input: String, _ expected: String) {
        #expect(RemoteURL.normalize(input) == expected)
    }

    @Test func sameRepositoryThroughEverySchemeIsOneKey() {
        let forms = ["git@github.com:o/r.git", "ssh://git@github.com/o/r", "https://github.com/o/r.git", "https://x:y@github.com/o/r/"]
        #expect(Set(forms.map(RemoteURL.normalize)).count == 1)
    }

    @Test func differentPortsAreDifferentProjects() {
        #expect(RemoteURL.normalize("ssh://git@h.example:2222/o/r") != RemoteURL.normalize("ssh://git@h.example:2223/o/r"))
    }
}

@Suite struct ProjectFolderNameTests {
    @Test(arguments: [
        ("/data/repos/codebox", "-data-repos-codebox"),
        ("/home/a/my_app.v2", "-home-a-my-app-v2"),
        ("/Users/alice/.pi", "-Users-alice--pi"),
        ("C:\\git\\x", "C--git-x"),
        ("/a/Open Source", "-a-Open-Source"),
        ("/home/u/Проект", "-home-u-------"),
        ("/x/😀", "-x---"),
    ])
    func encodesLikeClaudeCode(_ path: String, _ expected: String) {
        #expect(ProjectFolderName.encode(path) == expected)
    }

    @Test func decomposedUnicodeIsNormalisedToNFCFirst() {
        // "é" as e + combining acute (2 UTF-16 units) encodes like the precomposed form (1 unit).
        #expect(ProjectFolderName.encode("/a/e\u{301}") == "-a--")
    }

    @Test func longPathsAreCutAndHashed() {
        let path = "/" + String(repeating: "abcdefghij/", count: 25)
        let name = ProjectFolderName.encode(path)
        let sanitized = ProjectFolderName.sanitize(path)
        #expect(name.hasPrefix(String(sanitized.prefix(200)) + "-"))
        #expect(name.count > 201)
        #expect(name.dropFirst(201).allSatisfy { $0.isNumber || ("a"..."z").contains($0) })
        #expect(ProjectFolderName.mayMatch(folder: String(sanitized.prefix(200)) + "-otherhash", path: path))
        #expect(!ProjectFolderName.mayMatch(folder: "-data", path: "/data/x"))
    }

    @Test func simpleHashMatchesTheJavaScriptAlgorithm() {
        // h = (h << 5) - h + c over UTF-16 units, int32 wrap, |h| in base 36.
        #expect(ProjectFolderName.simpleHash("a") == "2p")  // 97
        #expect(ProjectFolderName.simpleHash("ab") == "2e9")  // 97*31+98 = 3105
        var h: Int32 = 0
        for u in "/some/long/path".utf16 { h = 31 &* h &+ Int32(u) }
        #expect(ProjectFolderName.simpleHash("/some/long/path") == String(abs(Int64(h)), radix: 36))
    }
}

@Suite struct ProjectIdentityTests {
    @Test func remoteBeatsRootCommitBeatsPath() throws {
        let dir = TestSupport.makeTempDir("id")
        try TestSupport.makeRepo(at: dir + "/a", origin: "git@github.com:O/R.git")
        let a = ProjectIdentity.of(try Repository.discover(at: dir + "/a"))
        #expect(a.key == "github.com/o/r")
        #expect(a.source == .remote)
        #expect(a.remoteURL == "git@github.com:O/R.git")

        try TestSupport.makeRepo(at: dir + "/b")
        let root = try TestSupport.git(["rev-list", "--max-parents=0", "HEAD"], in: dir + "/b")
        let b = ProjectIdentity.of(try Repository.discover(at: dir + "/b"))
        #expect(b.key == "root:" + root)
        #expect(b.source == .rootCommit)

        try FileManager.default.createDirectory(atPath: dir + "/c", withIntermediateDirectories: true)
        try TestSupport.git(["init", "-q", "-b", "main"], in: dir + "/c")
        let c = ProjectIdentity.of(try Repository.discover(at: dir + "/c"))
        #expect(c.key == "path:" + dir + "/c")
    }

    @Test func identityIgnoresInsteadOfRewrites() throws {
        let dir = TestSupport.makeTempDir("insteadof")
        try TestSupport.makeRepo(at: dir, origin: "https://example.com/team/app.git")
        try TestSupport.git(["config", "url./srv/mirror/.insteadOf", "https://example.com/"], in: dir)
        #expect(ProjectIdentity.of(try Repository.discover(at: dir)).key == "example.com/team/app")
    }

    @Test func fileNamesAreSafeAndDistinct() {
        let a = ProjectIdentity(key: "github.com/o/r", source: .remote).fileName
        let b = ProjectIdentity(key: "github.com/o-r", source: .remote).fileName
        #expect(a != b)
        #expect(!a.contains("/"))
    }
}

import Foundation
