import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// The classes of lessons real sessions hold (issue 12), as general signals.
@Suite struct HeuristicExtractorRecallTests {
    typealias Script = HeuristicExtractorTests.Script
    let normalizer = PathNormalizer(repoRoots: ["/work/app"], home: "/home/me")

    func result(_ scripts: [Script]) throws -> HeuristicExtractor.Result {
        let sessions = try scripts.enumerated().map { try $0.element.events("s\($0.offset + 1)") }
        return HeuristicExtractor().extract(sessions, normalize: normalizer.normalize)
    }

    @Test func aCommandThatWorksAfterExactlyOneOtherCommandHasAPrerequisite() throws {
        var s = Script()
        s.user("migrate")
        s.bash("pnpm db:migrate", ok: false, output: "Error: P1001: Can't reach database server at `localhost:5432`")
        s.bash("git status", ok: true)  // read-only: not a candidate
        s.bash("docker compose up -d db", ok: true)
        s.bash("pnpm db:migrate", ok: true)
        #expect(try result([s]).kept.map(\.text)
            == ["Run `docker compose up -d db` before `pnpm db:migrate` (without it: Error: P1001: Can't reach database server at `localhost:5432`)."])
    }

    @Test func noPrerequisiteWhenCodeWasEditedTheUserSteppedInOrSeveralThingsRan() throws {
        var edited = Script()
        edited.user("migrate")
        edited.bash("pnpm db:migrate", ok: false, output: "Error: relation missing")
        edited.tool("Edit", [("file_path", "/work/app/prisma/schema.prisma"), ("old_string", "a"), ("new_string", "b")], ok: true)
        edited.bash("docker compose up -d db", ok: true)
        edited.bash("pnpm db:migrate", ok: true)
        var user = Script()
        user.user("commit")
        user.bash("ssh-add -l", ok: false, output: "The agent has no identities.")
        user.user("1Password's unlocked, try the commit again")
        user.bash("git status --porcelain=v1", ok: true)
        user.bash("ssh-add -l", ok: true)
        var several = Script()
        several.user("migrate")
        several.bash("pnpm db:migrate", ok: false, output: "Error: P1001")
        several.bash("docker compose up -d db", ok: true)
        several.bash("pnpm install", ok: true)
        several.bash("pnpm db:migrate", ok: true)
        for s in [edited, user, several] { #expect(try result([s]).kept.isEmpty) }
    }

    @Test func theSameFailureInThreeSessionsIsAGotcha() throws {
        // ebridges/wakil: commit signing through a locked 1Password agent, in three sessions.
        func session(_ msg: String) -> Script {
            var s = Script()
            s.user("commit it")
            s.bash("git add docs/a.md && git commit -m \"\(msg)\"", ok: false,
                   output: "Exit code 128\nerror: 1Password: failed to fill whole buffer\n\nfatal: failed to write commit object")
            return s
        }
        #expect(try result([session("one")]).kept.isEmpty)
        let three = try result([session("one"), session("two"), session("three")])
        #expect(three.kept.map(\.text) == ["`git commit` keeps failing with \"error: 1Password: failed to fill whole buffer\" (3 sessions)."])
        #expect(three.kept.first.map { Set($0.evidence.map(\.sessionId)).count } == 3)
        // One and the same command (program and subcommand) failing alike: two sessions are enough.
        let two = try result([session("one"), session("two")])
        #expect(two.kept.map(\.text) == ["`git commit` keeps failing with \"error: 1Password: failed to fill whole buffer\" (2 sessions)."])
    }

    @Test func twoSessionsOfDifferentCommandsFailingAlikeAreNotYetAGotcha() throws {
        // ebridges/wakil: a lint rule tripped by `uv run ruff check` and `uv run ruff format --check`
        // while code was being written, once each.
        func session(_ cmd: String) -> Script {
            var s = Script()
            s.user("lint it")
            s.bash(cmd, ok: false, output: "Exit code 1\nsrc/app.py:3:101: E501 Line too long (106 > 100)")
            return s
        }
        #expect(try result([session("uv run ruff check src"), session("uv run ruff format --check src")]).kept.isEmpty)
    }

    @Test func aFailedLookupThenTheSameNameElsewhereIsALocationFact() throws {
        var s = Script()
        s.user("fix the config loader")
        s.tool("Read", [("file_path", "/work/app/lib/app/config.ex")], ok: false, output: "File does not exist.")
        s.tool("Glob", [("pattern", "**/config.ex")], ok: true, output: "/work/app/lib/app/settings/config.ex")
        s.tool("Read", [("file_path", "/work/app/lib/app/settings/config.ex")], ok: true)
        #expect(try result([s]).kept.map(\.text) == ["`config.ex` is in `lib/app/settings/`, not `lib/app/`."])
    }

    @Test func aGateCommandIsAcceptedAfterOneSuccess() throws {
        // DRMacIver/claude-reliability: the Justfile's check recipe.
        var s = Script()
        s.user("port it")
        s.bash("just check 2>&1", ok: true)
        s.bash("just lint 2>&1", ok: true)  // one session, not known to be defined: not a template
        #expect(try result([s]).kept.map(\.text) == ["Check changes with `just check`."])
    }

    @Test func everyKeptBulletSaysWhy() throws {
        var s = Script()
        s.user("build it")
        s.bash("npm run build", ok: false, output: "npm ERR! enoent Could not read package.json: No such file or directory")
        s.bash("cd /work/app/web && npm run build", ok: true)
        s.user("Remember that the web app is built into `web/dist`.")
        let r = try result([s])
        #expect(r.kept.count == 2)
        #expect(r.kept.allSatisfy { !$0.why.isEmpty })
    }

    @Test func aRuleCitedFromTheProjectsOwnDocsIsKeptPlansAreNot() throws {
        var s = Script()
        s.user("add the column")
        s.assistant("According to `AGENTS.md`, migrations must be generated with `pnpm db:generate`, never written by hand. Let me do that.")
        s.assistant("Let me check AGENTS.md first, it always has the rules.")
        s.assistant("CLAUDE.md says we must never push to main.")  // already in every session's context
        #expect(try result([s]).kept.map(\.text)
            == ["Migrations must be generated with `pnpm db:generate`, never written by hand (AGENTS.md)."])
    }

    @Test func anAssistantDiscoveryCountsWhenTheSessionThenUsesTheName() throws {
        // marot/spotter: the discovery, then the name in a later command.
        var s = Script()
        s.user("commit the styles")
        s.assistant("The CSS file is in `priv/static/assets/` which is gitignored. Let me check how it is tracked.")
        s.assistant("I'll note that `mix assets.deploy` defaults to minified output.")  // a plan
        s.assistant("Per your note the key lives in `env.sh`.")  // addressed to the user
        s.bash("git ls-files priv/static/assets/", ok: true)
        var never = Script()
        never.user("look")
        never.assistant("The config is read from `config/runtime.exs` at boot.")  // never used afterwards
        let r = try result([s, never])
        #expect(r.kept.map(\.text) == ["The CSS file is in `priv/static/assets/` which is gitignored."])
        #expect(r.dropped.contains { $0.reason == "stated once and never used later in the session" })
    }

    @Test func aTestProjectFileRunInTwoSessionsIsTheTestCommandWhateverItsFlags() throws {
        // keparlak/NumWordify (Windows): the same .csproj with other flags each time, once from `cd <root> &&`.
        var one = Script()
        one.user("run the tests")
        one.bash("dotnet test tests/App.Tests/App.Tests.csproj -c Debug --nologo 2>&1 | tail -20", ok: true)
        var two = Script()
        two.user("run the tests")
        two.bash("cd \"/work/app\" && dotnet test tests/App.Tests/App.Tests.csproj -f net9.0 --nologo -v q 2>&1 | tail -5", ok: true)
        var file = Script()  // a one-off source file is still not part of the form
        file.user("run it")
        file.bash("dotnet test tests/App.Tests/Only.cs", ok: true)
        #expect(try result([one]).kept.isEmpty)  // one session: not yet stable
        #expect(try result([one, two, file]).kept.map(\.text) == ["Run the tests with `dotnet test tests/App.Tests/App.Tests.csproj`."])
        // Bare `dotnet test` is what every .NET session knows: no template.
        var bare1 = Script(), bare2 = Script()
        bare1.user("test"); bare1.bash("dotnet test -c Release", ok: true)
        bare2.user("test"); bare2.bash("dotnet test", ok: true)
        #expect(try result([bare1, bare2]).kept.map(\.text).allSatisfy { !$0.contains("dotnet test`") })
    }

    @Test func aGeneratedFileThenItsGeneratorIsARule() throws {
        var s = Script()
        s.user("add the field to the API types")
        s.tool("Read", [("file_path", "/work/app/internal/api/types.gen.go")], ok: true,
               output: "     1\t// Code generated by oapi-codegen version v2.1.0 DO NOT EDIT.\n     2\tpackage api\n     3\t\n     4\ttype User struct {")
        s.tool("Edit", [("file_path", "/work/app/api/openapi.yaml"), ("old_string", "a"), ("new_string", "b")], ok: true)
        s.bash("go generate ./internal/api/...", ok: true)
        let r = try result([s])
        #expect(r.kept.map(\.text)
            == ["`internal/api/types.gen.go` is generated: change its source and run `go generate ./internal/api/...`; do not edit it by hand."])
        #expect(r.kept.first?.evidence.count == 2)
    }

    @Test func aGeneratedHeaderWithoutAGeneratorOrAMentionInCodeIsNoRule() throws {
        var noGenerator = Script()
        noGenerator.user("look at the client")
        noGenerator.tool("Read", [("file_path", "/work/app/src/client.ts")], ok: true,
                         output: "1→/* eslint-disable */\n2→// @generated by a tool\n3→export const x = 1")
        noGenerator.bash("npm test", ok: true)
        var mention = Script()  // ebridges/wakil: code that talks about auto-generated lines
        mention.user("prepend the entry")
        mention.tool("Read", [("file_path", "/work/app/wakil/service.py")], ok: true,
                     output: "1→import re\n2→\n3→def prepend(entry):\n4→    \"\"\"Before any auto-generated back-link bullets.\"\"\"\n5→    pass")
        mention.bash("make gen", ok: true)
        var otherTask = Script()  // the generator ran for the user's next request
        otherTask.user("read the schema")
        otherTask.tool("Read", [("file_path", "/work/app/db/schema.gen.sql")], ok: true, output: "-- DO NOT EDIT: generated by sqlc\nCREATE TABLE t ();")
        otherTask.user("now regenerate the mocks")
        otherTask.bash("mockgen -source=store.go -destination=mock_store.go", ok: true)
        let r = try result([noGenerator, mention, otherTask])
        #expect(r.kept.isEmpty)
        #expect(r.dropped.contains { $0.reason == "its header says generated, but no generator command ran" })
    }
}
