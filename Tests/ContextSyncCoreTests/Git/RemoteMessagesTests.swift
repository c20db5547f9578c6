import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// What GitNetwork makes of a remote URL that is a local path, and of the server's sideband text.
@Suite struct RemoteMessagesTests {
    @Test func aLocalPathThatDoesNotExistIsNamedAbsolutely() throws {
        let dir = TestSupport.makeTempDir("remote-path")
        let work = dir + "/work"
        try FileManager.default.createDirectory(atPath: work + "/sub", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/there.git", withIntermediateDirectories: true)
        #expect(GitNetwork.missingLocalPath(dir + "/gone.git", relativeTo: work) == dir + "/gone.git")
        #expect(GitNetwork.missingLocalPath("../gone.git", relativeTo: work + "/") == dir + "/gone.git")
        #expect(GitNetwork.missingLocalPath("./sub/../nope", relativeTo: work) == work + "/nope")
        #expect(GitNetwork.missingLocalPath("file://" + dir + "/gone%20x.git", relativeTo: work) == dir + "/gone x.git")
        // Existing paths, and URLs that are not paths, are left to libgit2.
        #expect(GitNetwork.missingLocalPath(dir + "/there.git", relativeTo: work) == nil)
        #expect(GitNetwork.missingLocalPath("../there.git", relativeTo: work) == nil)
        #expect(GitNetwork.missingLocalPath("file://" + dir + "/there.git", relativeTo: work) == nil)
        for url in ["git@github.com:o/r.git", "github.com:o/r", "ssh://git@host/o/r", "https://h/o/r.git", "git://127.0.0.1:9/r.git"] {
            #expect(GitNetwork.missingLocalPath(url, relativeTo: work) == nil, "\(url)")
        }
    }

    @Test func theServersWordsWithoutProgressControlCharactersOrSecrets() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        let token = "ghp_" + String((0..<36).map { _ in alphabet.randomElement()! })
        let raw = "Counting objects: 50% (1/2)\rCounting objects: 100% (2/2), done.\n"
            + "remote: \u{1b}[31mGL-HOOK-ERR: main is protected\u{1b}[0m\n"
            + "GL-HOOK-ERR: main is protected\n"
            + "ask for access with \(token)\n\n"
        let text = GitNetwork.remoteText(raw)
        let leaked = text?.contains(token) ?? false
        #expect(!leaked)
        #expect(text?.hasPrefix("GL-HOOK-ERR: main is protected | ask for access with <REDACTED:") == true,
                "\(text.map { $0.replacingOccurrences(of: token, with: "<TOKEN>") } ?? "nil")")
        #expect(GitNetwork.remoteText("Writing objects: 100% (3/3), 250 bytes | 250.00 KiB/s, done.\nTotal 3 (delta 0)\n") == nil)
        #expect(GitNetwork.remoteText("") == nil)
        let many = (1...20).map { "line \($0)" }.joined(separator: "\n")
        #expect(GitNetwork.remoteText(many) == (15...20).map { "line \($0)" }.joined(separator: " | "))
    }
}
