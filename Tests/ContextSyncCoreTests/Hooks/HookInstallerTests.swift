import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

@Suite("Hooks: pre-push template and installer")
struct HookInstallerTests {
    static func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? -1
    }

    static func bytes(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    @Test func embeddedTemplateEqualsTemplatesPrePushByteForByte() throws {
        let file = TestSupport.packageRoot + "/templates/pre-push"
        let onDisk = try #require(Self.bytes(file))
        #expect(Array(PrePushTemplate.text.utf8) == onDisk, "Sources/ContextSyncCore/Hooks/PrePushTemplate.swift differs from templates/pre-push")
        #expect(PrePushTemplate.text.contains(IntegrationNames.hookMarker))
        #expect(PrePushTemplate.text.contains(PrePushTemplate.binaryPlaceholder))
    }

    @Test func renderedFallbackSurvivesShellQuoting() throws {
        let odd = "/opt/it's here/$HOME `x`/context-sync"
        let script = PrePushTemplate.rendered(binary: odd)
        #expect(!script.contains(PrePushTemplate.binaryPlaceholder))
        let line = try #require(script.split(separator: "\n").first { $0.hasPrefix("fallback=") })
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", String(line) + "\nprintf %s \"$fallback\""]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(String(decoding: data, as: UTF8.self) == odd)
    }

    @Test func installsIdempotentlyAndUpdatesTheBinaryPath() throws {
        let dir = TestSupport.makeTempDir("hook")
        try TestSupport.makeRepo(at: dir)
        let env = Environment(["HOME": dir])
        let first = try HookInstaller.install(repositoryAt: dir, binary: "/usr/local/bin/context-sync", environment: env)
        #expect(first.outcome == .installed)
        #expect(first.hookPath == dir + "/.git/hooks/pre-push")
        #expect(first.chainedPath == nil)
        #expect(Self.mode(first.hookPath) == 0o755)
        #expect(Self.bytes(first.hookPath) == Array(PrePushTemplate.rendered(binary: "/usr/local/bin/context-sync").utf8))
        #expect(HookInstaller.isOurs(first.hookPath))

        let again = try HookInstaller.install(repositoryAt: dir, binary: "/usr/local/bin/context-sync", environment: env)
        #expect(again.outcome == .unchanged)
        let moved = try HookInstaller.install(repositoryAt: dir + "/.git", binary: "/opt/cs/context-sync", environment: env)
        #expect(moved.outcome == .updated)
        #expect(String(decoding: Self.bytes(moved.hookPath) ?? [], as: UTF8.self).contains("fallback='/opt/cs/context-sync'"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/.git/hooks/pre-push.local"))
    }

    @Test func chainsAForeignHookAndUninstallRestoresItExactly() throws {
        let dir = TestSupport.makeTempDir("hook")
        try TestSupport.makeRepo(at: dir)
        let hook = dir + "/.git/hooks/pre-push"
        let original: [UInt8] = Array("#!/bin/sh\n# lint before push — ünïcode\nexit 0".utf8)  // no final newline
        TestSupport.write(bytes: original, to: hook)
        chmod(hook, 0o750)

        let r = try HookInstaller.install(repositoryAt: dir, binary: "/bin/context-sync", environment: Environment(["HOME": dir]))
        #expect(r.outcome == .chained)
        #expect(r.chainedPath == hook + ".local")
        #expect(Self.bytes(hook + ".local") == original)
        #expect(Self.mode(hook + ".local") == 0o750)
        #expect(HookInstaller.isOurs(hook))
        #expect(try HookInstaller.install(repositoryAt: dir, binary: "/bin/context-sync").outcome == .unchanged)

        let u = try HookInstaller.uninstall(repositoryAt: dir)
        #expect(u.outcome == .removed(restored: true))
        #expect(Self.bytes(hook) == original)
        #expect(Self.mode(hook) == 0o750)
        #expect(!FileManager.default.fileExists(atPath: hook + ".local"))
        #expect(try HookInstaller.uninstall(repositoryAt: dir).outcome == .notOurs)
        #expect(Self.bytes(hook) == original)
    }

    @Test func refusesWhenChainingWouldLoseAHook() throws {
        let dir = TestSupport.makeTempDir("hook")
        try TestSupport.makeRepo(at: dir)
        let hooks = dir + "/.git/hooks"
        TestSupport.write("#!/bin/sh\necho mine\n", to: hooks + "/pre-push")
        TestSupport.write("#!/bin/sh\necho older\n", to: hooks + "/pre-push.local")
        #expect(throws: ContextSyncError.self) {
            try HookInstaller.install(repositoryAt: dir, binary: "/bin/context-sync")
        }
        #expect(Self.bytes(hooks + "/pre-push") == Array("#!/bin/sh\necho mine\n".utf8))
        #expect(Self.bytes(hooks + "/pre-push.local") == Array("#!/bin/sh\necho older\n".utf8))
    }

    @Test func uninstallWithoutOurHookRestoresAnOrphanedChainedHook() throws {
        let dir = TestSupport.makeTempDir("hook")
        try TestSupport.makeRepo(at: dir)
        let hooks = dir + "/.git/hooks"
        #expect(try HookInstaller.uninstall(repositoryAt: dir).outcome == .notInstalled)
        TestSupport.write("#!/bin/sh\nexit 0\n", to: hooks + "/pre-push.local")
        #expect(try HookInstaller.uninstall(repositoryAt: dir).outcome == .restoredOnly)
        #expect(Self.bytes(hooks + "/pre-push") == Array("#!/bin/sh\nexit 0\n".utf8))
    }

    @Test func hooksDirectoryFollowsGitsRules() throws {
        let base = TestSupport.makeTempDir("hookdir")
        let main = base + "/main"
        try TestSupport.makeRepo(at: main)
        let env = Environment(["HOME": base + "/home"])
        func dir(_ path: String) throws -> String {
            HookInstaller.hooksDirectory(of: try Repository.discover(at: path), environment: env)
        }
        #expect(try dir(main) == main + "/.git/hooks")
        // A linked worktree shares the common dir's hooks.
        try TestSupport.git(["worktree", "add", "-q", "-b", "side", base + "/wt"], in: main)
        #expect(try dir(base + "/wt") == main + "/.git/hooks")
        // core.hooksPath: relative to the work tree top (also from a subdirectory or worktree).
        try TestSupport.git(["config", "core.hooksPath", ".githooks"], in: main)
        try FileManager.default.createDirectory(atPath: main + "/sub", withIntermediateDirectories: true)
        #expect(try dir(main + "/sub") == main + "/.githooks")
        #expect(try dir(base + "/wt") == base + "/wt/.githooks")
        try TestSupport.git(["config", "core.hooksPath", "~/my-hooks"], in: main)
        #expect(try dir(main) == base + "/home/my-hooks")
        try TestSupport.git(["config", "core.hooksPath", base + "/abs/hooks/"], in: main)
        #expect(try dir(main) == base + "/abs/hooks")
        // Bare: the git dir's hooks; a relative hooksPath is relative to the git dir.
        try TestSupport.git(["init", "-q", "--bare", base + "/bare.git"], in: base)
        #expect(try dir(base + "/bare.git") == base + "/bare.git/hooks")
        try TestSupport.git(["config", "core.hooksPath", "custom"], in: base + "/bare.git")
        #expect(try dir(base + "/bare.git") == base + "/bare.git/custom")
    }

    @Test func installIntoHooksPathCreatesTheDirectory() throws {
        let dir = TestSupport.makeTempDir("hook")
        try TestSupport.makeRepo(at: dir)
        try TestSupport.git(["config", "core.hooksPath", "tools/hooks"], in: dir)
        let r = try HookInstaller.install(repositoryAt: dir, binary: "/bin/context-sync")
        #expect(r.hookPath == dir + "/tools/hooks/pre-push")
        #expect(Self.mode(r.hookPath) == 0o755)
        #expect(!FileManager.default.fileExists(atPath: dir + "/.git/hooks/pre-push"))
    }
}
