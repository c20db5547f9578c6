import Foundation
import Testing
@testable import ContextSyncCore

/// Sessions recorded on a Windows host (`cwd` like `C:\Users\me\src\repo`) match through the
/// path map and read portably, whatever their separators and drive-letter case.
@Suite struct WindowsPathTests {
    @Test func windowsPathsHaveOneSpelling() {
        #expect(Paths.isWindows(#"C:\Users\me\src\repo"#) && Paths.isWindows("c:/Users/me") && !Paths.isWindows("/home/me"))
        #expect(Paths.normalize(#"c:\Users\me\src\.\repo\"#) == "C:/Users/me/src/repo")
        #expect(Paths.normalize(#"C:\Users\me\src\x\..\repo"#) == "C:/Users/me/src/repo")
        #expect(Paths.normalize("/home/me/./src") == "/home/me/src")
    }

    @Test func thePathMapMatchesWindowsCwds() throws {
        let c = try Config.parse(#"""
            [path_map]
            'C:\Users\me\src' = "/home/me/code"
            """#, path: "/c.toml", home: "/home/me")
        #expect(c.mapPath(#"C:\Users\me\src\repo"#) == "/home/me/code/repo")
        #expect(c.mapPath(#"c:\users\ME\src\repo\sub"#) == "/home/me/code/repo/sub")
        #expect(c.mapPath("C:/Users/me/src") == "/home/me/code")
        #expect(c.mapPath(#"C:\Users\me\srcs\repo"#) == #"C:\Users\me\srcs\repo"#)
    }

    @Test func windowsPathsInTheDigestBecomeRepositoryRelative() {
        let n = PathNormalizer(repoRoots: [#"C:\Users\empad\Desktop\numwordify"#], home: "/home/me")
        #expect(n.normalize(#"dotnet test C:\Users\empad\Desktop\numwordify\tests\A.csproj"#) == #"dotnet test tests\A.csproj"#)
        #expect(n.normalize("cd C:/Users/empad/Desktop/numwordify && git status") == "cd . && git status")
        #expect(n.normalize(#"cd c:\Users\empad\Desktop\numwordify\src"#) == #"cd src"#)
        #expect(n.normalize(#"see C:\Users\empad\.claude\skills\thermos"#) == #"see ~\.claude\skills\thermos"#)
        #expect(n.normalize("read C:/Users/empad/.claude/projects/x.jsonl") == "read ~/.claude/projects/x.jsonl")
        #expect(n.normalize(#"ls "/c/Users/empad/.claude/agents/""#) == #"ls "~/.claude/agents/""#)
        #expect(n.normalize("cd /c/Users/empad/Desktop/numwordify/src && make") == "cd src && make")
        #expect(!PathNormalizer.containsMachinePath(n.normalize(#"Read C:\Users\empad\Desktop\numwordify\README.md"#)))
    }

    @Test func aRealWindowsSessionReadsRepositoryRelative() throws {
        let path = SharedFixtures.path("keparlak__NumWordify/1277548c-ff3e-4e10-8c13-2384241b678c.jsonl")
        let e = try SessionEvents.read(path: path, id: "1277548c")
        let cwd = try #require(e.cwd)
        #expect(Paths.isWindows(cwd))
        let n = PathNormalizer(repoRoots: [cwd], home: "/home/me")
        let text = Digest(sessions: [e], normalize: n.normalize, redact: { $0 }).renderedText()
        #expect(!text.contains(cwd) && !text.contains(cwd.replacingOccurrences(of: "\\", with: "/")))
    }
}
