import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// The observed causes of wrong bullets (issue 12), each built from the shape of a real
/// transcript: what a session really holds must produce nothing or the right rule.
@Suite struct HeuristicExtractorPrecisionTests {
    typealias Script = HeuristicExtractorTests.Script
    let normalizer = PathNormalizer(repoRoots: ["/work/app"], home: "/home/me")

    func kept(_ scripts: [Script], repo: RepoCommands = RepoCommands()) throws -> [String] {
        let sessions = try scripts.enumerated().map { try $0.element.events("s\($0.offset + 1)") }
        return HeuristicExtractor(repoCommands: repo).extract(sessions, normalize: normalizer.normalize).kept.map(\.text)
    }

    func kept(_ s: Script) throws -> [String] { try kept([s]) }

    // MARK: markers and pasted text

    @Test func markersMatchWholeWordsOnly() {
        #expect(!RuleText.contains("verifying the checksums", phrase: "fyi"))
        #expect(RuleText.contains("FYI: the cache is shared", phrase: "fyi"))
        #expect(!RuleText.contains("the instead_of flag", phrase: "instead of"))
        #expect(RuleText.contains("Use pnpm instead of npm.", phrase: "instead of"))
        #expect(RuleText.contains("Don’t reinstall", phrase: "don't"))
    }

    @Test func pastedTerminalAndLogTextIsNeverMined() throws {
        var s = Script()
        s.user("sync the index")
        // A later prompt that is a pasted run (the issue's "verifying" line, a real zsh correction prompt).
        s.user("""
            when trying to run this I get this error:
            > uv run wakil mcp serve
            zsh: correct 'wakil' to '.wakil' [nyae]? n
            verifying checksums... fyi never interrupted
            ╭─ Error ─────────────────────────╮
            │ Don't pass --json to serve       │
            """)
        s.user("⏺ Ran 1 stop hook: never skip the hook")
        s.user("""
            $ pnpm db:migrate
            2026-11-02 10:41:07 WARN never run migrations twice
            Error: P1001: Can't reach database server
            """)
        let texts = try kept(s)
        #expect(texts.isEmpty, "\(texts)")
    }

    // MARK: command kinds

    @Test func commandKindsComeFromTheProgramAndItsSubcommand() {
        func kind(_ c: String) -> CommandKind? { ShellCommand(c).main.flatMap(CommandKind.of) }
        #expect(kind("test -f pyproject.toml") == nil)
        #expect(kind("[ -d build ]") == nil)
        #expect(kind("uv run wakil init --force") == nil)
        #expect(kind("uv run pytest -q") == .test)
        #expect(kind("python -m pytest tests/test_math_utils.py -v") == .test)
        #expect(kind("npm run test:unit") == .test)
        #expect(kind("cargo clippy --all-targets") == .lint)
        #expect(kind("mix dialyzer --format short") == .lint)
        #expect(kind("just check") == .gate)
        #expect(kind("cargo run --release") == .run)
        #expect(kind("git commit -m test") == nil)
        // Pipes: a filter after the command is dropped, a command after `echo y |` is the command.
        #expect(kind("echo y | uv run pytest -q") == .test)
        #expect(kind("make test 2>&1 | tail -5") == .test)
        #expect(ShellCommand("uv run --project ../app pytest -x").main?.program == "pytest")
        #expect(ShellCommand("cd web && for f in *.ts; do echo $f; done").isComplex)
        #expect(ShellCommand("# List contents and open installer\nls /Volumes/LuLu").parts.map(\.program) == ["ls"])
    }

    @Test func commandsThatChangeRemoteStateAreRecognised() {
        for c in ["gh issue create --title x", "gh pr comment 239 --body ok", "git push -u origin main", "fly deploy",
                  "curl -X POST https://api.example.com/hook", "kubectl apply -f k8s.yaml", "npm publish", "gh pr merge 185 --squash",
                  "terraform apply -auto-approve", "cd web && vercel deploy --prod"] {
            #expect(ShellCommand(c).changesRemoteState, "\(c)")
        }
        for c in ["gh pr view 12", "gh pr checks 103", "git status", "curl -s https://example.com", "terraform plan", "make deploy-docs-preview --dry-run"] where c != "make deploy-docs-preview --dry-run" {
            #expect(!ShellCommand(c).changesRemoteState, "\(c)")
        }
    }

    @Test func shellBuiltinsMutatingOneOffsAndRemoteCommandsAreNeverProjectCommands() throws {
        var s = Script()
        s.user("go")
        s.bash("test -f pyproject.toml && echo yes", ok: true)
        s.bash("uv run wakil init --force", ok: true)
        s.bash("gh issue create --title 'Track eval gap' --body-file issue.md", ok: true)
        s.bash("git push origin feat/x", ok: true)
        s.bash("fly deploy", ok: true)
        #expect(try kept([s, s]).isEmpty)
    }

    // MARK: failure → fix pairing

    @Test func unrelatedSubcommandsAndOtherIdsAreNotFixes() throws {
        var s = Script()
        s.user("check the PR")
        s.bash("gh pr checks 103", ok: false, output: "Exit code 8\nlint\tpending\t0")
        s.bash("gh pr checks 104", ok: true)
        s.bash("uv run wakil ingest transcript notes/a.md", ok: false, output: "Exit code 1\nError: no such workspace")
        s.bash("uv run wakil search 'mosaic valuation'", ok: true)
        s.bash("bd show spotter-dov.1", ok: false, output: "Error: issue not found")
        s.bash("bd show spotter-dov.2", ok: true)
        #expect(try kept(s).isEmpty)
    }

    @Test func aCheckThenItsFixIsPhrasedFixWith() throws {
        var s = Script()
        s.user("format")
        s.bash("mix format --check-formatted", ok: false, output: "** (Mix) mix format failed due to --check-formatted.")
        s.bash("mix format", ok: true)
        #expect(try kept(s) == ["When `mix format --check-formatted` reports problems, fix them with `mix format`."])
    }

    @Test func aFixThatHidesItsStatusOrSwitchesChecksOffIsRejected() throws {
        var s = Script()
        s.user("run the tests")
        s.bash("npm test", ok: false, output: "sh: 1: vitest: not found")
        s.bash("pnpm test || true", ok: true)
        s.bash("git commit -m wip", ok: false, output: "Pre-commit validation failed:\n[FORMAT] Code is not formatted.")
        s.bash("git commit --no-verify -m wip", ok: true)
        let r = HeuristicExtractor().extract([try s.events()], normalize: normalizer.normalize)
        #expect(r.kept.isEmpty)
        #expect(r.dropped.contains { $0.reason == "the fix hides its own exit status" })
        #expect(r.dropped.contains { $0.reason == "the fix switches a safety check off" })
    }

    @Test func theFailingFileRetriedWithAFlagIsARule() throws {
        // marot/spotter: a tracked file under a gitignored folder.
        var s = Script()
        s.user("commit")
        s.bash("git add lib/app/live/session_live.ex priv/static/assets/spotter.css", ok: false,
               output: "Exit code 1\nThe following paths are ignored by one of your .gitignore files:\npriv/static/assets\nhint: Use -f if you really want to add them.")
        s.bash("git add lib/app/live/session_live.ex", ok: true)
        s.bash("git ls-files priv/static/assets/", ok: true)
        s.bash("git add -f priv/static/assets/spotter.css", ok: true)
        #expect(try kept(s) == ["Use `git add -f priv/static/assets/spotter.css`: without `-f` `git add` fails (The following paths are ignored by one of your .gitignore files:)."])
    }

    @Test func runFromADirectoryIsComparedAsThePathUnderIt() throws {
        // marot/spotter: `node assets/build.js` fails, `cd assets && node build.js` works.
        var s = Script()
        s.user("build the js")
        s.bash("node assets/build.js", ok: false, output: "Exit code 1\n✘ [ERROR] Could not resolve \"js/app.js\"")
        s.bash("cd /work/app/assets && node build.js 2>&1", ok: true)
        #expect(try kept(s) == ["Run `node build.js` from `assets/`: from the repository root it fails with file not found."])
    }

    // MARK: user prompts

    @Test func questionsComplaintsAndTaskInstructionsAreNotRules() throws {
        var s = Script()
        s.user("add the embed command")
        for p in ["don't I need to run the migrations first?", "isn't there a more idiomatic way to do this instead?",
                  "explain the bug to me, I'm not following", "I don't understand why you changed `config.toml`",
                  "add it to the readme and don't commit yet", "continue with phase 2, don't stop", "no, don't do that",
                  "go ahead and commit those changes, don't push"] {
            s.user(p)
        }
        let r = HeuristicExtractor().extract([try s.events()], normalize: normalizer.normalize)
        #expect(r.kept.isEmpty, "\(r.kept.map(\.text))")
        #expect(r.dropped.contains { $0.reason == "a question, not a rule" })
        #expect(r.dropped.contains { $0.reason == "a complaint, not a rule" })
    }

    @Test func aCorrectionThatGeneralisesIsWrittenAsTheRule() throws {
        var s = Script()
        s.user("run the tests")
        s.user("no, you should always use `uv run pytest` instead of calling pytest directly")
        // ebridges/wakil, a scoped rule.
        s.user("In the skills and documents use only repo-root-relative paths rather than absolute paths (e.g. `/work/app/pyproject.toml` should be `./pyproject.toml`)")
        // ebridges/wakil: the rule after "going forward".
        s.user("Fix this so that going forward kebab-case H1 is the standard.")
        // M-Thisness/M-Claude, after commits with --no-verify: the task, then the rule.
        s.user("complete the commit, always verify and run hooks.")
        #expect(try kept(s) == [
            "Always use `uv run pytest` instead of calling pytest directly.",
            "Always verify and run hooks.",
            "Kebab-case H1 is the standard.",
            "In the skills and documents use only repo-root-relative paths rather than absolute paths (e.g. `pyproject.toml` should be `./pyproject.toml`).",
        ])
    }

    @Test func helpAndUsageTextIsNeverARule() throws {
        var s = Script()
        s.user("what flags are there")
        s.user("""
            Usage: wakil ingest [OPTIONS] PATH
              --force      Never ask before overwriting existing notes
              --dry-run    Don't write anything, always print the plan
            Options:
              -h, --help   Show this message and exit.
            """)
        #expect(try kept(s).isEmpty)
        #expect(RuleText.looksLikeUsage("  -f, --force   Never ask"))
    }

    // MARK: sentences, length, limits

    @Test func sentencesEndAtSentenceEndsOnly() {
        #expect(RuleText.sentences("Remember that `db/seeds.rb` is evaluated on every deploy, so keep it idempotent.")
            == ["Remember that `db/seeds.rb` is evaluated on every deploy, so keep it idempotent."])
        #expect(RuleText.sentences("Use v1.2.3 of the API, e.g. with config.toml. Then run `make db.reset`.  Done!")
            == ["Use v1.2.3 of the API, e.g. with config.toml.", "Then run `make db.reset`.", "Done!"])
    }

    @Test func bulletsStayShort() {
        let long = "Always " + String(repeating: "run the full check before pushing ", count: 10)
        #expect(long.count > 300)
        #expect(HeuristicExtractor.noiseReason(long) == "longer than 300 characters")
    }

    @Test func atMostFivePerSessionAndTenPerRun() throws {
        var s = Script()
        s.user("notes")
        for i in 1...7 { s.user("Remember that service \(i) listens on `svc\(i).internal`.") }
        let one = HeuristicExtractor().extract([try s.events("s1")], normalize: normalizer.normalize)
        #expect(one.kept.count == 5)
        #expect(one.dropped.filter { $0.reason == "over the limit of 5 per session" }.count == 2)
        let sessions = try ["alpha", "beta", "gamma"].map { name -> SessionEvents in
            var t = Script()
            t.user("notes")
            for i in 1...4 { t.user("Remember that the \(name) worker \(i) reads `queue-\(name)-\(i)` first.") }
            return try t.events(name)
        }
        let three = HeuristicExtractor().extract(sessions, normalize: normalizer.normalize)
        #expect(three.kept.count == 10)
        #expect(three.dropped.filter { $0.reason == "over the limit of 10 per run" }.count == 2)
    }

    // MARK: templates and summaries

    @Test func commandTemplatesOnlyForStableCommands() throws {
        var once = Script()
        once.user("test")
        once.bash("uv run pytest -q -m 'not eval'", ok: true)
        once.bash("pnpm run test:unit", ok: true)
        once.bash("mix test", ok: true)
        var again = Script()
        again.user("test")
        again.bash("mix test", ok: true)
        // Seen once, not defined by the repository; `mix test` is known to every Elixir session.
        #expect(try kept([once, again]).isEmpty)
        var repo = RepoCommands()
        repo.packageScripts = ["test:unit"]
        #expect(try kept([once, again], repo: repo) == ["Run the tests with `pnpm run test:unit`."])
    }

    @Test func repositoryFilesDefineCommands() throws {
        let dir = TestSupport.makeTempDir("repo-cmds")
        TestSupport.write(#"{"scripts": {"test:unit": "vitest", "lint": "eslint ."}}"#, to: dir + "/package.json")
        TestSupport.write("VAR := 1\ncheck: lint test\n\tcargo test\n.PHONY: check\n", to: dir + "/Makefile")
        TestSupport.write("set shell := [\"bash\"]\nci target='all':\n    just check\n", to: dir + "/justfile")
        TestSupport.write("[tasks.verify]\nrun = \"cargo test\"\n", to: dir + "/mise.toml")
        let r = RepoCommands.read(root: dir)
        #expect(r.packageScripts == ["test:unit", "lint"])
        #expect(r.makeTargets == ["check"])
        #expect(r.justRecipes == ["ci"])
        #expect(r.miseTasks == ["verify"])
        #expect(r.defines(ShellCommand("pnpm run lint").main!))
        #expect(!r.defines(ShellCommand("make deploy").main!))
    }

    @Test func compactionStatusLinesAndOneSessionRestatementsAreDropped() throws {
        var s = Script()
        s.user("go on")
        s.compaction("""
            4. Errors and fixes:
               - Remaining: fix the credo warnings in `lib/app.ex`
               - Still need to run `mix dialyzer` before committing
               - Fixed test_transcript_rows by updating the fixture
               - **Credo nesting depth (max 2, was 4)** in `classify_text_lines`: Fixed by extracting helpers.
               - **Git: `priv/static/assets/` gitignored**: Used `git add -f priv/static/assets/spotter.css`.
               - The pre-commit hook always runs `mix credo --strict` and must pass.
            5. Pending Tasks:
               - Always run the full suite
            """)
        let one = HeuristicExtractor().extract([try s.events("s1")], normalize: normalizer.normalize)
        #expect(one.kept.isEmpty, "\(one.kept.map(\.text))")
        #expect(one.dropped.contains { $0.reason == "stated in one compaction summary only" })
        #expect(one.dropped.contains { $0.reason == "one compaction summary's account of its own code" })
        // Two sessions' summaries: the rule line, and the linter check that kept biting
        // (marot/spotter: Credo's nesting depth in both summaries).
        let two = try kept([s, s])
        #expect(two == ["Credo nesting depth (max 2) failed in 2 sessions; fixed by extracting helpers.",
                        "The pre-commit hook always runs `mix credo --strict` and must pass."])
    }

    // MARK: what happened next

    @Test func rulesTakenBackOrReplacedLaterAndCorrectedDiscoveriesAreDropped() throws {
        var s = Script()
        s.user("set up the tests")
        s.user("Always run the tests with `npm test`.")
        s.user("scratch that, I was thinking of the other repo")
        s.user("Never use `yarn` for installs.")
        s.user("no, always use `yarn` instead of npm here, the lockfile is yarn.lock")
        s.assistant("The build output in `dist/` is generated by the bundler.")
        s.assistant("Actually `dist/` is committed by hand, the bundler writes to `build/`.")
        s.bash("ls dist/", ok: true)
        let r = HeuristicExtractor().extract([try s.events()], normalize: normalizer.normalize)
        #expect(r.kept.map(\.text) == ["Always use `yarn` instead of npm here, the lockfile is yarn.lock."])
        #expect(r.dropped.contains { $0.reason == "the user took it back in the next prompt" })
        #expect(r.dropped.contains { $0.reason.hasPrefix("replaced by a later rule about the same name") })
        #expect(r.dropped.contains { $0.reason == "corrected later in the session" })
    }
}

/// The parse cache gives what parsing gives, also after it has been emptied for being full.
@Suite struct ShellCommandCacheTests {
    @Test func cachedCommandsEqualFreshlyParsedOnes() {
        let lines = ["cd app && uv run pytest -x 2>&1", "npm run build || true", "git push origin main", "make\ntest",
                     "cat <<EOF\nx\nEOF", "FOO=1 ./scripts/check.sh --all"]
        for raw in lines {
            #expect(ShellCommand(raw) == ShellCommand(parsing: raw))
            #expect(ShellCommand(raw) == ShellCommand(parsing: raw))  // the second comes from the cache
        }
        for k in 0...(ShellCommand.ParseCache.capacity + 10) { _ = ShellCommand("echo \(k)") }
        for raw in lines { #expect(ShellCommand(raw) == ShellCommand(parsing: raw)) }
    }
}
