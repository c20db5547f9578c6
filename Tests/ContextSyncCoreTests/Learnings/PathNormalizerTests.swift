import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// The byte-level replacement of Windows home directories gives Foundation's regular-expression
/// replacement of the same patterns, on crafted texts and on every fixture text.
@Suite struct PathNormalizerTests {
    static let windowsHome = #"(?<![A-Za-z0-9_])[A-Za-z]:[\\/]Users[\\/][A-Za-z0-9_.\-]+(?=[\\/])"#
    static let gitBashHome = #"(?<![A-Za-z0-9_.~/\-])/[a-z]/Users/[A-Za-z0-9_.\-]+(?=/)"#

    static func reference(_ s: String, gitBash: Bool) -> String {
        s.replacingOccurrences(of: gitBash ? gitBashHome : windowsHome, with: "~", options: .regularExpression)
    }

    static let crafted: [String] = [
        #"C:\Users\me\x"#, "C:/Users/me/x", #"c:\Users\me"#, #"C:\Users\me\"#, #"xC:\Users\me\a"#, #"_C:\Users\me\a"#,
        #"-C:\Users\me\a"#, #"é:\Users\me\a"#, #"éC:\Users\me\a"#, #"C:\Users\\a"#, #"C:\Users\m e\a"#, #"C:\UsersX\me\a"#,
        #"C:\users\me\a"#, #"1:\Users\me\a"#, #"C:\Users\Users\me\a C:/Users/x/y"#, #"C:\Users\a.b-c_d\e D:/Users/f\g"#,
        #"C:\Users\me\a\C:\Users\you\b"#, #"C:\Users\me/C:\Users\you/"#, #"C:\Users\mé\a"#, #"C:\Users\me\́x"#,
        "\u{301}C:\\Users\\me\\a", #"C:/Users/me"#, #"C:\Users\me\a C:\Users\me"#, #":\Users\me\a"#, #"C\Users\me\a"#,
        "/c/Users/me/x", "/C/Users/me/x", "a/c/Users/me/x", "./c/Users/me/x", "~/c/Users/me/x", "//c/Users/me/x",
        "-/c/Users/me/x", " /c/Users/me/x /d/Users/you/y", "/c/Users/me", "/c/Users//x", "/c/Users/me\\x",
        "(/c/Users/me/x)", "\"/c/Users/a.b/\"", "/c/Users/Users/me/x", "é/c/Users/me/x", "/cc/Users/me/x", "/c/Users/",
        "Users", "", "C:", "/c/Users/m/c/Users/n/x",
    ]

    @Test func windowsHomesAsTheRegularExpressionReplacesThem() {
        for s in Self.crafted + TextBytesTests.tricky {
            for gitBash in [false, true] {
                #expect(PathNormalizer.replaceWindowsHomes(s, gitBash: gitBash) == Self.reference(s, gitBash: gitBash),
                        "\(s.debugDescription) gitBash \(gitBash)")
            }
        }
    }

    @Test func windowsHomesOnEveryFixtureText() throws {
        var texts = try TextBytesTests.texts(under: TestSupport.fixtures)
        let shared = TestSupport.packageRoot + "/../shared/fixtures/claude-transcripts"
        if FileManager.default.fileExists(atPath: shared) { texts += try TextBytesTests.texts(under: shared) }
        var replaced = 0
        for t in texts where ByteSearch.contains(t, "Users") {
            for gitBash in [false, true] {
                let ours = PathNormalizer.replaceWindowsHomes(t, gitBash: gitBash)
                if ours != t { replaced += 1 }
                #expect(ours == Self.reference(t, gitBash: gitBash), "\(t.prefix(80).debugDescription)")
            }
        }
        // The Windows host's sessions hold such homes: the comparison is not vacuous.
        #expect(replaced > 10, "\(replaced) replaced")
    }
}
