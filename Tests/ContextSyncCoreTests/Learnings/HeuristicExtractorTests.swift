import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// Builds sessions from crafted transcript lines and checks each extraction rule.
@Suite struct HeuristicExtractorTests {
    /// The shared transcript writer (Tests/Support/TranscriptScript.swift).
    typealias Script = TranscriptScript

    let normalizer = PathNormalizer(repoRoots: ["/work/app"], home: "/home/me")

    func extract(_ s: Script, existing: [String] = []) throws -> HeuristicExtractor.Result {
        HeuristicExtractor().extract([try s.events()], normalize: normalizer.normalize, existing: existing)
    }

    @Test func failureThenDifferentLauncherBecomesAUseXNotYRule() throws {
        var s = Script()
        s.user("run the data script")
        s.bash("python3 scripts/load.py", ok: false, output: "Exit code 127\nbash: python3: command not found")
        s.assistant("Let me try with uv.")
        s.bash("uv run python scripts/load.py", ok: true)
        let r = try extract(s)
        #expect(r.kept.map(\.text) == ["Use `uv run python`, not `python3` (e.g. `uv run python scripts/load.py`; `python3` fails with command not found)."])
        #expect(r.kept.first?.source == .failureFix)
        #expect(r.kept.first?.evidence.map(\.eventIndex) == [1, 3])
    }

    @Test func failureFixedByChangingDirectoryNamesTheDirectory() throws {
        var s = Script()
        s.user("build it")
        s.bash("npm run build", ok: false, output: "npm ERR! enoent Could not read package.json: No such file or directory")
        s.bash("cd /work/app/web && npm run build", ok: true)
        #expect(try extract(s).kept.map(\.text) == ["Run `npm run build` from `web/`: from the repository root it fails with file not found."])
    }

    @Test func failuresNeverFixedAndTestFailuresFixedByEditingAreNotLessons() throws {
        var s = Script()
        s.user("go")
        s.bash("make deploy", ok: false, output: "make: *** No rule to make target 'deploy'")
        s.bash("cargo test", ok: false, output: "test result: FAILED. 1 passed; 1 failed")
        s.bash("cargo test --all", ok: true)
        #expect(try extract(s).kept.filter { $0.source == .failureFix }.isEmpty)
    }

    @Test func correctionAfterAnInterruptIsKeptInTheUsersWords() throws {
        var s = Script()
        s.user("start the server")
        s.bash("mix phx.server", ok: false, output: "The user doesn't want to proceed with this tool use.")
        s.interrupt(forTool: true)
        s.user("no, never run the server in the foreground, start it with tmux instead")
        let r = try extract(s)
        let c = try #require(r.kept.first { $0.source == .userCorrection })
        #expect(c.text == "Never run the server in the foreground, start it with tmux instead.")
        #expect(c.score == 0.95)
    }

    @Test func theOpeningTaskPromptIsNotACorrection() throws {
        var s = Script()
        s.user("Port this to Rust instead of Python and never keep the old files.")
        #expect(try extract(s).kept.isEmpty)
    }

    @Test func rememberIsKeptAndTheRootCauseOfAProblemAlreadyFixedIsNot() throws {
        var s = Script()
        s.user("fix the flaky test")
        s.user("Remember that the staging database is reset every night at 02:00 UTC.")
        s.bash("pytest tests/test_sync.py", ok: false, output: "FAILED tests/test_sync.py::test_roundtrip - AssertionError")
        s.assistant("The root cause was that the fixture reused a global event loop across tests.")
        let texts = try extract(s).kept.map(\.text)
        #expect(texts == ["The staging database is reset every night at 02:00 UTC."])
    }

    @Test func aPrerequisiteBeforeTheSameCommandBecomesARunXBeforeYRule() throws {
        var s = Script()
        s.user("add the index")
        s.bash("pnpm db:migrate", ok: false, output: "Error: P1001: Can't reach database server")
        s.bash("docker compose up -d db && pnpm db:migrate", ok: true)
        let texts = try extract(s).kept.map(\.text)
        #expect(texts == ["Run `docker compose up -d db` before `pnpm db:migrate` (without it: Error: P1001: Can't reach database server)."])
    }

    @Test func anotherLauncherForTheSameScriptIsTheSameIntent() throws {
        var s = Script()
        s.user("run the tests")
        s.bash("npm test", ok: false, output: "sh: 1: vitest: not found")
        s.bash("pnpm test", ok: true)
        let texts = try extract(s).kept.map(\.text)
        #expect(texts.first?.hasPrefix("Use `pnpm`, not `npm` (e.g. `pnpm test`") == true)
        // A different tool on a different target is not a fix of the first.
        var t = Script()
        t.user("build it")
        t.bash("npm run build", ok: false, output: "npm ERR! missing script: build")
        t.bash("cargo build --release", ok: true)
        #expect(try extract(t).kept.isEmpty)
    }

    @Test func acknowledgementsAreStrippedAndAnInstructionAfterACorrectionIsKept() throws {
        var s = Script()
        s.user("tidy up the schema")
        s.user("Thanks! Remember that money is stored as integer cents.")
        s.bash("rm -rf node_modules && pnpm install", ok: false, output: "The user doesn't want to proceed with this tool use.")
        s.interrupt(forTool: true)
        s.user("no, don't reinstall, the lockfile is pinned. Just run `pnpm db:generate` after changing the schema. Thanks.")
        let texts = try extract(s).kept.map(\.text)
        #expect(texts.contains("Money is stored as integer cents."))
        #expect(texts.contains("Don't reinstall, the lockfile is pinned. Just run `pnpm db:generate` after changing the schema."))
    }

    @Test func commandsSeenWorkingInTwoSessionsAreGroupedPerKind() throws {
        var s = Script()
        s.user("check everything")
        s.bash("cd /work/app && make test 2>&1 | tail -20", ok: true)
        s.bash("make lint", ok: true)
        s.bash("make build", ok: true)  // in one session only
        s.bash("git status", ok: true)
        var t = Script()
        t.user("again")
        t.bash("make test", ok: true)
        t.bash("make lint", ok: true)
        t.bash("git status", ok: true)
        let r = HeuristicExtractor().extract([try s.events("s1"), try t.events("s2")], normalize: normalizer.normalize)
        let texts = r.kept.map(\.text)
        #expect(texts.contains("Run the tests with `make test`."))
        #expect(texts.contains("Lint and format with `make lint`."))
        #expect(!texts.contains { $0.contains("make build") || $0.contains("git") })
    }

    @Test func existingBulletsAndBatchDuplicatesAreDropped() throws {
        var s = Script()
        s.user("test")
        s.bash("make test", ok: true)
        let r = HeuristicExtractor().extract([try s.events("s1"), try s.events("s2")], normalize: normalizer.normalize,
                                             existing: ["Run the tests with `make test`"])
        #expect(r.kept.isEmpty)
        #expect(r.dropped.map(\.reason) == ["already in learnings.md"])
    }

    @Test func noiseFiltersNameTheReason() {
        #expect(HeuristicExtractor.noiseReason("Fix the guard at line 171 of the renderer.") == "mentions a line number")
        #expect(HeuristicExtractor.noiseReason("The bug is in lib/a.ex:12 where it crashes.") == "mentions a line number")
        #expect(HeuristicExtractor.noiseReason("Logs go to /home/alice/app/log now.") == "machine-specific path")
        #expect(HeuristicExtractor.noiseReason("ok") == "too short to be a rule")
        #expect(HeuristicExtractor.noiseReason("Use `uv run pytest` for the tests.") == nil)
        #expect(HeuristicExtractor.noiseReason("See https://example.com/home/docs for the API.") == nil)
    }

    @Test func pathsAreMadeRepoRelativeAndHomesBecomeTilde() {
        let n = PathNormalizer(repoRoots: ["/work/app", "/Users/me/code/app"], home: "/home/me")
        #expect(n.normalize("edit /work/app/src/main.rs and /Users/me/code/app/README.md") == "edit src/main.rs and README.md")
        #expect(n.normalize("cd /work/app && make") == "cd . && make")
        #expect(n.normalize("config in /home/me/.config/x and /home/bob/.cargo/bin") == "config in ~/.config/x and ~/.cargo/bin")
        #expect(n.normalize("/work/application stays") == "/work/application stays")
    }

    @Test(arguments: [
        ("Run the tests with `make test`.", "run the tests with make test", true),
        ("Use `uv run pytest`, not `pytest`.", "Use `pytest -x` for quick runs.", false),
        ("Deploy with `make deploy`, not `fly deploy` directly.", "deploy with make deploy not fly deploy directly", true),
        ("Use ruff.", "Use black.", false),
    ])
    func dedupeIsConservative(_ a: String, _ b: String, _ same: Bool) {
        #expect(LearningDedupe.isDuplicate(a, b) == same)
    }
}

@Suite struct DigestTests {
    @Test func eventsRenderInOrderWithCategoriesAndTheBudgetKeepsErrorsAndPrompts() throws {
        var s = HeuristicExtractorTests.Script()
        s.user("please run the tests")
        for i in 0..<30 { s.bash("ls dir\(i)", ok: true) }
        s.bash("pytest", ok: false, output: "Exit code 1\nFAILED test_x.py::test_a - AssertionError")
        s.interrupt()
        s.user("stop, use tox")
        let events = try s.events()
        var d = Digest(sessions: [events], normalize: { $0 }, redact: { $0 })
        let full = d.renderedText()
        #expect(full.contains("[0] USER: please run the tests"))
        #expect(full.contains("TOOL Bash(pytest) -> ERROR(test failure): FAILED test_x.py::test_a - AssertionError"))
        #expect(full.contains("INTERRUPTED: user stopped the assistant"))
        d.fit(maxChars: 400)
        let cut = d.renderedText()
        #expect(Digest.size(cut) <= 400)
        #expect(cut.contains("USER: please run the tests") && cut.contains("USER: stop, use tox") && cut.contains("ERROR(test failure)"))
        #expect(cut.contains("dropped"))
        #expect(!cut.contains("ls dir5"))
    }

    @Test func secretsAreRedactedInTheDigest() throws {
        var s = HeuristicExtractorTests.Script()
        let token = "gh" + "p_" + String(repeating: "aB3dE5gH7jK9", count: 3)
        s.user("use token \(token) for the API")
        let d = Digest(sessions: [try s.events()], normalize: { $0 }, redact: SecretScanner().redact)
        #expect(!d.renderedText().contains(token))
        #expect(d.renderedText().contains("<REDACTED:"))
    }

    @Test(arguments: [
        ("bash: uvx: command not found", ErrorCategory.commandNotFound),
        ("cat: x.txt: No such file or directory", .fileNotFound),
        ("open: Permission denied", .permissionDenied),
        ("No files found", .noMatches),
        ("Command timed out after 2m", .timeout),
        ("test result: FAILED. 3 passed; 1 failed", .testFailure),
        ("SyntaxError: invalid syntax", .buildError),
        ("The user doesn't want to proceed with this tool use.", .userRejected),
        ("File has not been read yet. Read it first before writing to it.", .toolMechanics),
        ("Pre-commit validation failed: [FORMAT] Code is not formatted.", .lintFailure),
        ("something odd happened", .other),
    ])
    func errorCategories(_ text: String, _ expected: ErrorCategory) {
        #expect(ErrorCategory.classify(text) == expected)
    }
}

@Suite struct ExternalExtractorTests {
    func script(_ body: String) -> String {
        let dir = TestSupport.makeTempDir("ext")
        let path = dir + "/x.sh"
        TestSupport.write("#!/bin/sh\n" + body + "\n", to: path)
        chmod(path, 0o755)
        return path
    }

    let env = Environment(["PATH": "/usr/bin:/bin", "HOME": "/tmp"])

    @Test func anLLMLikeScriptReadsTheDigestAndPrintsBullets() throws {
        let s = script(#"""
            input=$(cat)
            case "$input" in *"TOOL Bash(make test)"*) ;; *) echo "digest missing" >&2; exit 9;; esac
            [ "$CONTEXT_SYNC_ACTIVE" = 1 ] || { echo "guard missing" >&2; exit 8; }
            printf 'Here you go:\n- Run the tests with `make test`.\n* Deploy with `make deploy`,\n  not `fly deploy`.\n'
            """#)
        let bullets = try ExternalExtractor(command: s, timeout: 10).run(digest: "[1] TOOL Bash(make test) -> OK\n", environment: env)
        #expect(bullets == ["Run the tests with `make test`.", "Deploy with `make deploy`, not `fly deploy`."])
    }

    @Test func noNewLearningsIsAnEmptyAnswer() throws {
        let s = script("cat >/dev/null; echo 'No new learnings.'")
        #expect(try ExternalExtractor(command: s, timeout: 10).run(digest: "x", environment: env).isEmpty)
    }

    @Test func failingHangingAndGarbageCommandsAreClearErrors() throws {
        let failing = script("cat >/dev/null; echo 'model unavailable' >&2; exit 3")
        #expect(throws: ContextSyncError("extractor command failed with exit code 3: model unavailable")) {
            _ = try ExternalExtractor(command: failing, timeout: 10).run(digest: "x", environment: env)
        }
        let hanging = script("sleep 30")
        let start = Date()
        #expect(throws: ContextSyncError.self) { _ = try ExternalExtractor(command: hanging, timeout: 1).run(digest: "x", environment: env) }
        #expect(Date().timeIntervalSince(start) < 10)
        let garbage = script("cat >/dev/null; echo '{\"error\": 42}'")
        #expect(throws: ContextSyncError.self) { _ = try ExternalExtractor(command: garbage, timeout: 10).run(digest: "x", environment: env) }
        #expect(throws: ContextSyncError.self) {
            _ = try ExternalExtractor(command: "/nonexistent/llm", timeout: 10).run(digest: "x", environment: env)
        }
    }

    @Test func refusesToRunInsideAnExtractor() {
        var nested = env
        nested.variables["CONTEXT_SYNC_ACTIVE"] = "1"
        #expect(throws: ContextSyncError.self) { _ = try ExternalExtractor(command: "true", timeout: 5).run(digest: "", environment: nested) }
    }
}
