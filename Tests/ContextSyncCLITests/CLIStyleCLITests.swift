import ContextSyncCore
import Foundation
import Testing

/// The CLI feels like one: argument errors in the house style with exit code 2, "did you mean"
/// for subcommands, help whose examples never wrap at 80 columns, shell completions installed
/// where each shell looks.
@Suite struct CLIStyleCLITests {
    /// A fake HOME with no XDG overrides, so nothing reaches the real user's folders.
    static func fakeHome() -> (home: String, env: [String: String]) {
        let home = CLI.tempDir()
        return (home, ["HOME": home, "XDG_DATA_HOME": "", "XDG_CONFIG_HOME": "", "XDG_STATE_HOME": home + "/state",
                       "XDG_CACHE_HOME": home + "/cache", "SHELL": "/bin/bash", "COLUMNS": "80"])
    }

    @Test(arguments: [
        (["run", "--dry-rn"], "unknown option '--dry-rn' (did you mean '--dry-run'? see 'context-sync run --help')"),
        (["run", "--all", "--project", "/x"], "--all and --project cannot be used together (see 'context-sync run --help')"),
        (["digest", "--page", "0"], "--page must be 1 or more (see 'context-sync digest --help')"),
        (["sessions", "--settle", "abc"], "the value 'abc' is invalid for '--settle <MINUTES>' (see 'context-sync sessions --help')"),
        (["install", "timer", "extra"], "unexpected argument 'extra' (see 'context-sync install timer --help')"),
        (["hook", "pre-push"], "missing expected argument '<remote>' (see 'context-sync hook pre-push --help')"),
        (["--generate-completion-script", "tcsh"],
         "can't generate completion scripts for 'tcsh'; Please use --generate-completion-script=<shell> with one of: zsh bash fish (see 'context-sync --help')"),
    ])
    func argumentErrorsAreOneLineInTheHouseStyleWithExitCode2(args: [String], message: String) throws {
        let r = try CLI.run(args, env: Self.fakeHome().env)
        #expect(r.status == 2, "\(args): \(r.stderr)")
        #expect(r.stderr == "context-sync: error: \(message)\n", "\(args)")
        #expect(r.stdout.isEmpty)
    }

    @Test func unknownSubcommandsGetTheNearestName() throws {
        let env = Self.fakeHome().env
        let cases: [([String], String)] = [
            (["rn"], "unknown command 'rn' (did you mean 'run'? see 'context-sync --help')"),
            (["instal", "skill"], "unknown command 'instal' (did you mean 'install'? see 'context-sync --help')"),
            (["install", "tim"], "unknown command 'tim' (did you mean 'timer'? see 'context-sync install --help')"),
            (["install", "compleitons"], "unknown command 'compleitons' (did you mean 'completions'? see 'context-sync install --help')"),
            (["hook", "pre-pus", "origin", "url"], "unknown command 'pre-pus' (did you mean 'pre-push'? see 'context-sync hook --help')"),
            (["frobnicate"], "unknown command 'frobnicate' (see 'context-sync --help' for the commands)"),
            // With help asked for, an unknown command is still the error (not the parent's help).
            (["rn", "--help"], "unknown command 'rn' (did you mean 'run'? see 'context-sync --help')"),
            (["help", "install", "tim"], "unknown command 'tim' (did you mean 'timer'? see 'context-sync install --help')"),
        ]
        for (args, message) in cases {
            let r = try CLI.run(args, env: env)
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr == "context-sync: error: \(message)\n", "\(args)")
        }
        // A known command still runs, and help is ArgumentParser's own, on stdout, exit 0.
        let help = try CLI.run(["install", "--help"], env: env)
        #expect(help.status == 0 && help.stderr.isEmpty)
        #expect(help.stdout.hasPrefix("OVERVIEW: "))
        #expect(help.stdout.contains("\nSUBCOMMANDS:\n"))
        let nested = try CLI.run(["help", "install", "timer"], env: env)
        #expect(nested.status == 0 && nested.stdout.hasPrefix("OVERVIEW: Run `context-sync run --all` on a systemd user timer"))
    }

    /// Every command's help, found by walking the SUBCOMMANDS sections from the root.
    static func allHelp(env: [String: String]) throws -> [(command: String, text: String)] {
        var out: [(String, String)] = []
        var queue: [[String]] = [[]]
        while let path = queue.first, out.count < 100 {
            queue.removeFirst()
            let r = try CLI.run(path + ["--help"], env: env)
            #expect(r.status == 0, "\(path)")
            out.append((path.joined(separator: " "), r.stdout))
            guard let start = r.stdout.range(of: "\nSUBCOMMANDS:\n") else { continue }
            for line in r.stdout[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
                if line.isEmpty { break }
                // "  name    abstract" or "  name (default) ..."; continuation lines are indented further.
                guard line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
                let name = line.dropFirst(2).split(separator: " ").first.map(String.init) ?? ""
                if !name.isEmpty && name != "help" { queue.append(path + [name]) }
            }
        }
        return out
    }

    @Test func helpExamplesNeverWrapAt80ColumnsAndRootInstallHookHaveThem() throws {
        let helps = try Self.allHelp(env: Self.fakeHome().env)
        let names = Set(helps.map(\.command))
        for c in ["", "run", "install", "install timer", "install completions", "hook", "hook pre-push"] {
            #expect(names.contains(c), "\(c) not found by walking the help: \(names.sorted())")
        }
        var examplesBlocks = 0
        for (command, text) in helps {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let header = lines.firstIndex(of: "EXAMPLES") else {
                #expect(!["", "install", "hook"].contains(command), "'\(command)' help has no EXAMPLES")
                continue
            }
            examplesBlocks += 1
            let block = lines[(header + 1)...].prefix { !$0.isEmpty }
            #expect(!block.isEmpty)
            let indent = block.first.map { $0.prefix { $0 == " " }.count } ?? 0
            var previous = ""
            for line in block {
                #expect(line.count <= 80, "'\(command)': \(line)")
                let lead = line.prefix { $0 == " " }.count
                // A line wrapped by the help formatter starts further left than the examples; a
                // line indented further must continue a line ending in a backslash or a pipe.
                #expect(lead >= indent, "'\(command)' example wraps: \(line)")
                if lead > indent { #expect(previous.hasSuffix("\\") || previous.hasSuffix("|"), "'\(command)' example wraps: \(line)") }
                previous = line
            }
        }
        #expect(examplesBlocks >= 10)
    }

    @Test func completionsInstallInEachShellsUserFolderAndUninstallRemovesOnlyOurs() throws {
        let (home, env) = Self.fakeHome()
        let fm = FileManager.default
        let bash = home + "/.local/share/bash-completion/completions/context-sync"
        let zsh = home + "/.zfunc/_context-sync"
        let fish = home + "/.config/fish/completions/context-sync.fish"

        // Default shell from $SHELL.
        let first = try CLI.run(["install", "completions"], env: env)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == "wrote \(bash)\n")
        let script = try String(contentsOfFile: bash, encoding: .utf8)
        #expect(script.contains("installed by context-sync"))
        let generated = try CLI.run(["--generate-completion-script", "bash"], env: env).stdout
        var lines = script.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.remove(at: 1) == "# installed by context-sync (`context-sync install completions`)")
        #expect(lines.joined(separator: "\n") == generated, "the script is ArgumentParser's, marker aside")
        let again = try CLI.run(["install", "completions"], env: env)
        #expect(again.stdout == "already installed: \(bash)\n")

        let z = try CLI.run(["install", "completions", "--shell", "zsh"], env: env)
        #expect(z.status == 0)
        #expect(z.stdout.contains("fpath=(~/.zfunc $fpath)"))
        #expect(try String(contentsOfFile: zsh, encoding: .utf8).hasPrefix("#compdef context-sync\n"))
        #expect(try CLI.run(["install", "completions", "--shell", "fish"], env: ["SHELL": ""].merging(env) { a, _ in a }).status == 0)
        #expect(fm.fileExists(atPath: fish))

        // XDG_DATA_HOME moves the bash file.
        var xdg = env
        xdg["XDG_DATA_HOME"] = home + "/data"
        #expect(try CLI.run(["install", "completions", "--shell", "bash"], env: xdg).stdout == "wrote \(home)/data/bash-completion/completions/context-sync\n")

        // A file we did not write is neither replaced nor removed.
        try "complete -F _mine context-sync\n".write(toFile: fish, atomically: true, encoding: .utf8)
        let foreign = try CLI.run(["install", "completions", "--shell", "fish"], env: env)
        #expect(foreign.status == 2)
        #expect(foreign.stderr.hasPrefix("context-sync: error: \(fish) exists and was not written by context-sync"))
        let keep = try CLI.run(["install", "completions", "--uninstall", "--shell", "fish"], env: env)
        #expect(keep.status == 2)
        #expect(try String(contentsOfFile: fish, encoding: .utf8) == "complete -F _mine context-sync\n")
        try fm.removeItem(atPath: fish)

        // Uninstall without --shell: every shell's file, and the folders only it lived in.
        let un = try CLI.run(["install", "completions", "--uninstall"], env: env)
        #expect(un.status == 0, "\(un.stderr)")
        #expect(un.stdout.contains("removed \(bash)\n") && un.stdout.contains("removed \(zsh)\n"))
        #expect(un.stdout.contains("not installed: \(fish)\n"))
        for p in [bash, zsh, home + "/.zfunc", home + "/.local/share/bash-completion"] { #expect(!fm.fileExists(atPath: p), "\(p)") }
        #expect(fm.fileExists(atPath: home + "/.local/share"), "folders we did not name stay")
        #expect(fm.fileExists(atPath: home + "/.config/fish"))

        let bad = try CLI.run(["install", "completions", "--shell", "tcsh"], env: env)
        #expect(bad.status == 2)
        #expect(bad.stderr == "context-sync: error: --shell tcsh: not a shell context-sync has completions for (use bash, zsh or fish)\n")
        var noShell = env
        noShell["SHELL"] = "/bin/tcsh"
        #expect(try CLI.run(["install", "completions"], env: noShell).stderr.contains("pass --shell bash, zsh or fish"))
    }

    /// One `--claude-dir` option and one resolution (flag, else $CLAUDE_CONFIG_DIR, else config
    /// `claude_dir`, else ~/.claude): what `install skill` writes, `doctor` and
    /// `projects` find.
    @Test func everyCommandResolvesTheClaudeRootTheSameWay() throws {
        let (home, base) = Self.fakeHome()
        var env = base
        env["XDG_CONFIG_HOME"] = home + "/config"
        // The skill needs context-sync on PATH (doctor warns otherwise).
        try FileManager.default.createDirectory(atPath: home + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: home + "/bin/context-sync", withDestinationPath: CLI.binary)
        env["PATH"] = home + "/bin:/usr/bin:/bin"
        try FileManager.default.createDirectory(atPath: home + "/config/context-sync", withIntermediateDirectories: true)
        try "claude_dir = \"\(home)/from-config\"\n".write(toFile: home + "/config/context-sync/config.toml", atomically: true, encoding: .utf8)
        func skillCheck(_ extra: [String]) throws -> String? {
            let r = try CLI.run(["doctor", "--json"] + extra, env: env, cwd: home)
            let checks = try JSONParser.parse(r.stdout)["checks"]?.array ?? []
            return checks.first { $0["check"]?.string == "skill" }?["status"]?.string
        }
        #expect(try CLI.run(["install", "skill"], env: env).stdout == "wrote \(home)/from-config/skills/context-sync/SKILL.md\n")
        #expect(try skillCheck([]) == "ok", "doctor looks where install skill wrote")
        #expect(try CLI.run(["projects", "--json"], env: env)["claudeRoot"] == "\(home)/from-config")
        // The flag wins over config, in every command that has it.
        #expect(try CLI.run(["install", "skill", "--claude-dir", home + "/flag"], env: env).stdout == "wrote \(home)/flag/skills/context-sync/SKILL.md\n")
        #expect(try skillCheck(["--claude-dir", home + "/other"]) == "warn")
        #expect(try CLI.run(["projects", "--json", "--claude-dir", home + "/flag"], env: env)["claudeRoot"] == "\(home)/flag")
        // $CLAUDE_CONFIG_DIR (Claude Code's own) wins over config, the flag over both.
        env["CLAUDE_CONFIG_DIR"] = home + "/from-env"
        #expect(try CLI.run(["install", "skill"], env: env).stdout == "wrote \(home)/from-env/skills/context-sync/SKILL.md\n")
        #expect(try CLI.run(["projects", "--json"], env: env)["claudeRoot"] == "\(home)/from-env")
        #expect(try CLI.run(["projects", "--json", "--claude-dir", home + "/flag"], env: env)["claudeRoot"] == "\(home)/flag")
        #expect(try skillCheck([]) == "ok", "doctor looks where install skill wrote")
        // Without config either, still $CLAUDE_CONFIG_DIR.
        try FileManager.default.removeItem(atPath: home + "/config/context-sync/config.toml")
        #expect(try CLI.run(["projects", "--json"], env: env)["claudeRoot"] == "\(home)/from-env")
    }
}

private extension CLI.Result {
    /// A top-level string of the JSON on stdout.
    subscript(_ key: String) -> String? { (try? JSONParser.parse(stdout))?[key]?.string }
}
