import ArgumentParser
import ContextSyncCore
import Foundation

/// `context-sync hook <name>`: entry points called by installed git hooks.
struct HookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Entry points for installed git hooks (pre-push).",
        discussion: """
            `context-sync install hook` writes .git/hooks/pre-push, which runs \
            `context-sync hook pre-push <remote> <url>` with git's input on stdin. You rarely run it \
            by hand.

            EXAMPLES
              context-sync install hook             # install the pre-push hook
              git push                              # the hook checks, then pushes
              m=$(git rev-parse main) o=$(git rev-parse origin/main)
              echo "refs/heads/main $m refs/heads/main $o" \\
                | context-sync hook pre-push origin "$(git remote get-url origin)"
            """,
        subcommands: [PrePushHookCommand.self, HarvestHookCommand.self]
    )
}

/// `context-sync hook harvest`: the pre-push hook's harvest, started by the hook in the
/// background (hidden: nobody runs it by hand). Runs `run --if-opted-in --no-push` for the
/// repository within the budget, stopping its whole process group when over; notes go to stderr
/// (the unattended error file the hook points it at).
struct HarvestHookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harvest",
        abstract: "The pre-push hook's background harvest.",
        shouldDisplay: false
    )

    @Option(help: ArgumentHelp("The repository.", valueName: "PATH"))
    var project: String

    @Option(help: ArgumentHelp("Seconds the harvest may take.", valueName: "SECONDS"))
    var budget: Double?

    @OptionGroup var claudeDirOption: ClaudeDirOption

    func run() throws {
        let hook = PrePushHook(remote: "", url: "", budget: budget, directory: project, claudeDir: claudeDirOption.path)
        let stamp = ISO8601DateFormatter().string(from: Date())
        _ = hook.harvest(top: project, note: { FileHandleOutput.stderr.write("\(stamp) context-sync: note: \($0)\n") })
    }
}

/// `context-sync hook pre-push <remote> <url>`: what the installed pre-push script runs.
struct PrePushHookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pre-push",
        abstract: "Check a push for secrets in Claude context files, then harvest learnings (run by the pre-push hook).",
        discussion: """
            Reads git's pre-push input on stdin, one line per ref: \
            `<local ref> <local oid> <remote ref> <remote oid>`. For every commit the push sends \
            (not reachable from the remote's oid, or for a new branch from any \
            refs/remotes/<remote>/* ref), it scans the lines the commit adds, compared with its \
            first parent, to .claude/learnings.md, CLAUDE.md and .claude/CLAUDE.md (every file \
            with --all-files), honouring [secrets] allow in config.toml and `context-sync:allow` \
            on a line.

            A secret refuses the push (exit 1) with one line per finding, secret masked:
              context-sync: secret in <commit> <file>:<line>: <rule> <masked>

            Otherwise it starts, in the background (the push does not wait for it), \
            `context-sync run --if-opted-in --no-push --quiet` for this repository, with this \
            command's --claude-dir if given (skipped unless it is opted in, the rule of `run \
            --all`), so the next push carries new learnings, and stops it (its whole process \
            group) after the budget; its notes go to $XDG_STATE_HOME/context-sync/unattended.err. \
            A push that carries learnings context-sync committed says so in one line. Nothing \
            but a secret ever refuses the push: problems are notes and exit 0.

            ENVIRONMENT
              CONTEXT_SYNC_HOOK_BUDGET   harvest budget in seconds (default 20; 0: none)
              CONTEXT_SYNC_HOOK_HARVEST  a shell command run instead of the harvest
              CONTEXT_SYNC_HOOK_WAIT     1: the push waits for the harvest (up to the budget)
              CONTEXT_SYNC_ACTIVE        set for context-sync's children; when set,
                                         the hook does nothing (no recursion)

            EXIT CODES
              0  the push may go on
              1  a secret was found: push refused

            EXAMPLES
              git push --dry-run            # runs the installed hook
              base=$(git rev-parse origin/main) tip=$(git rev-parse main)
              echo "refs/heads/main $tip refs/heads/main $base" |
                context-sync hook pre-push origin "$(git remote get-url origin)"
            """
    )

    @Argument(help: "The remote's name (or its URL when pushing to a URL), as git passes it.")
    var remote: String

    @Argument(help: "The remote's URL, as git passes it.")
    var url: String

    @Flag(name: .customLong("all-files"), help: "Scan the lines added to every file, not only the Claude context files.")
    var allFiles = false

    @Option(help: ArgumentHelp("Seconds the harvest may take (default: $CONTEXT_SYNC_HOOK_BUDGET, else 20; 0: no harvest).",
                               valueName: "SECONDS"))
    var budget: Double?

    @OptionGroup var claudeDirOption: ClaudeDirOption

    func run() throws {
        let input = FileHandle.standardInput.readDataToEndOfFile()
        var hook = PrePushHook(remote: remote, url: url, allFiles: allFiles, budget: budget, claudeDir: claudeDirOption.path)
        // The push never waits for extraction, unless asked to.
        hook.detach = Environment.current[PrePushHook.waitVariable] != "1"
        let outcome = hook.run(stdin: String(decoding: input, as: UTF8.self))
        for line in outcome.messages { FileHandleOutput.stderr.write(line + "\n") }
        if outcome.status != .ok { throw ExitCode(outcome.status.rawValue) }
    }
}
