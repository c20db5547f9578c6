import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

@Suite("Doctor: SHA-1, HMAC-SHA1 and known_hosts")
struct KnownHostsTests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func sha1MatchesFIPSVectors() {
        #expect(Self.hex(SHA1.hash([])) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(Self.hex(SHA1.hash(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(Self.hex(SHA1.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        #expect(Self.hex(SHA1.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)))
                == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    @Test func hmacMatchesRFC2202() {
        #expect(Self.hex(SHA1.hmac(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8)))
                == "b617318655057264e28bc0b6fb378c8ef146be00")
        #expect(Self.hex(SHA1.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
                == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
        #expect(Self.hex(SHA1.hmac(key: [UInt8](repeating: 0xaa, count: 80),
                                   message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
                == "aa4ae5e15272d00e95705637ce8a3b55ed402112")
    }

    static let key = "AAAAC3NzaC1lZDI1NTE5AAAAIGx0ZXN0LWtleS1ub3QtcmVhbC0wMTIzNDU2Nzg5YWJj"

    @Test func plainPortsWildcardsAndNegations() {
        let file = KnownHosts(parsing: """
            # comment
            github.com,140.82.112.3 ssh-rsa \(Self.key)
            github.com ssh-ed25519 \(Self.key) me@laptop
            [git.example.test]:2222 ssh-ed25519 \(Self.key)
            *.corp.example,!secret.corp.example ecdsa-sha2-nistp256 \(Self.key)
            @revoked old.example ssh-ed25519 \(Self.key)
            broken-line-without-key

            """)
        #expect(file.entries.count == 5)
        #expect(file.entries(forHost: "GitHub.com").map(\.keyType) == ["ssh-rsa", "ssh-ed25519"])
        #expect(file.entries(forHost: "github.com", port: 22).count == 2)
        #expect(file.entries(forHost: "github.com", port: 2222).isEmpty)
        #expect(file.entries(forHost: "git.example.test", port: 2222).map(\.line) == [4])
        #expect(file.entries(forHost: "git.example.test").isEmpty)
        #expect(file.entries(forHost: "build.corp.example").count == 1)
        #expect(file.entries(forHost: "secret.corp.example").isEmpty)
        #expect(file.entries(forHost: "corp.example").isEmpty)
        #expect(file.entries(forHost: "old.example").first?.marker == "@revoked")
        #expect(KnownHosts.wildcard("h?st*", matches: "host-1.example"))
        #expect(!KnownHosts.wildcard("h?st", matches: "hoost"))
    }

    @Test func hashedEntriesUseHMACOfTheLookupName() throws {
        let salt: [UInt8] = Array(0..<20)
        func hashed(_ name: String) -> String {
            "|1|" + Data(salt).base64EncodedString() + "|" + Data(SHA1.hmac(key: salt, message: Array(name.utf8))).base64EncodedString()
        }
        let file = KnownHosts(parsing: "\(hashed("[git.example.test]:2222")) ssh-ed25519 \(Self.key)\n\(hashed("plain.example")) ssh-ed25519 \(Self.key)\n")
        #expect(file.entries(forHost: "git.example.test", port: 2222).first?.isHashed == true)
        #expect(file.entries(forHost: "git.example.test").isEmpty)
        #expect(file.entries(forHost: "plain.example", port: 22).count == 1)
        #expect(file.entries(forHost: "other.example").isEmpty)
        #expect(!KnownHosts.hashedName("|1|not base64!|xx", matches: "plain.example"))
    }

    /// Independent check: lines hashed by OpenSSH's own `ssh-keygen -H`.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh-keygen"),
                   "needs /usr/bin/ssh-keygen to make OpenSSH-hashed known_hosts lines"))
    func hashedEntriesWrittenBySSHKeygen() throws {
        let dir = TestSupport.makeTempDir("kh")
        func keygen(_ args: [String]) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-keygen")
            p.arguments = args
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "ssh-keygen \(args)")
        }
        try keygen(["-q", "-t", "ed25519", "-N", "", "-f", dir + "/hostkey"])
        let pub = try String(contentsOfFile: dir + "/hostkey.pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        TestSupport.write("[git.example.test]:2222 \(pub)\ngithub.com \(pub)\n", to: dir + "/known_hosts")
        try keygen(["-H", "-f", dir + "/known_hosts"])
        let text = try String(contentsOfFile: dir + "/known_hosts", encoding: .utf8)
        #expect(!text.contains("git.example.test") && !text.contains("github.com"), "ssh-keygen -H did not hash: \(text)")
        let file = try #require(KnownHosts.load(dir + "/known_hosts"))
        #expect(file.entries.allSatisfy { $0.isHashed })
        #expect(file.entries(forHost: "git.example.test", port: 2222).map(\.line) == [1])
        #expect(file.entries(forHost: "github.com").map(\.line) == [2])
        #expect(file.entries(forHost: "git.example.test").isEmpty)
        #expect(file.entries(forHost: "gitlab.com").isEmpty)
    }
}
