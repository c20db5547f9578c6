import Foundation

/// A shell command line as the extractor compares it: split into simple commands, each with its
/// launcher (`uv run`, `npx`, `bundle exec`, …), program, subcommand, directory and arguments.
/// `cd D && X P` is read as `X` run in `D`.
struct ShellCommand: Equatable {
    struct Part: Equatable {
        /// The words as written, launcher included (`uv run pytest -x`).
        var words: [String]
        var launcher: [String]
        /// Basename of the program, `python3` folded to `python` (`pytest`, `npm`, `./build.sh`).
        var program: String
        /// `test`, `run build`, `pr create`, or for `python x.py` the script; nil when none.
        var subcommand: String?
        /// The words after the program and subcommand.
        var arguments: [String]
        /// From a preceding `cd D &&`, or `-C D` / `--prefix D`.
        var directory: String?

        /// `npm run build`, `mix test`, `pytest`: what the program is asked to do.
        var identity: String { subcommand.map { program + " " + $0 } ?? program }
        var flags: [String] { arguments.filter { $0.hasPrefix("-") } }
        var text: String { words.joined(separator: " ") }
    }

    /// The command line as given.
    let raw: String
    /// The command line on one line (made when asked: long scripts are common and rarely shown).
    var text: String { Digest.oneLine(raw).trimmingWhitespace() }
    /// The simple commands joined by `&&`, `;` or `||`, without `cd` steps and output filters.
    let parts: [Part]
    /// `|| true`, `|| echo …`, `; echo $?`, `|| :`: the command hides its own exit status.
    let masksStatus: Bool
    /// A here-document, a subshell or a loop: not a command a rule can quote.
    let isComplex: Bool

    /// The command line `raw`, parsed once per process for each distinct text: the extractor's
    /// finders read the same commands again and again (a pure function, so a cache).
    init(_ raw: String) {
        if let known = Self.parsed.value(for: raw) { self = known; return }
        self.init(parsing: raw)
        Self.parsed.store(self, for: raw)
    }

    static let parsed = ParseCache()

    /// Parsed commands by text, bounded in entries and in the bytes of their texts (emptied when
    /// either is full: a few long scripts must not hold memory), safe across threads.
    final class ParseCache: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [String: ShellCommand] = [:]
        private var bytes = 0
        static let capacity = 4096
        static let byteCapacity = 8 << 20

        func value(for raw: String) -> ShellCommand? {
            lock.lock()
            defer { lock.unlock() }
            return entries[raw]
        }

        func store(_ command: ShellCommand, for raw: String) {
            let size = raw.utf8.count
            guard size <= Self.byteCapacity / 16 else { return }
            lock.lock()
            defer { lock.unlock() }
            if entries.count >= Self.capacity || bytes + size > Self.byteCapacity {
                entries.removeAll(keepingCapacity: true)
                bytes = 0
            }
            if entries.updateValue(command, forKey: raw) == nil { bytes += size }
        }
    }

    init(parsing raw: String) {
        // A here-document or command substitution: keep the simple commands before it.
        var cut = raw
        var truncated = false
        // Searched and replaced by bytes where that is Foundation's answer (see TextBytes).
        for marker in ["<<", "$(", "`"] where ByteSearch.contains(cut, marker) {
            if let r = TextBytes.range(of: marker, in: cut) {
                cut = String(cut[..<r.lowerBound])
                truncated = true
            }
        }
        // Newlines separate commands like `;`.
        if ByteSearch.contains(cut, "\n") {
            cut = TextBytes.replacing(TextBytes.replacing(cut, "\\\n", with: " "), "\n", with: " ; ")
        }
        var s = Digest.oneLine(cut)
        for noise in [" 2>&1", " 2>/dev/null", " >/dev/null", " &>/dev/null"] where ByteSearch.contains(s, noise) {
            s = TextBytes.replacing(s, noise, with: "")
        }
        self.raw = raw
        var tokens = Self.tokenize(s.trimmingWhitespace())
        // The command the substitution belongs to keeps its program and subcommand; its cut-off
        // argument makes it unquotable.
        if truncated, let last = tokens.last, !["&&", "||", ";", "|"].contains(last) { tokens.append("…") }
        // A loop, a condition or a function: its words are not commands of their own.
        var complex = tokens.isEmpty || tokens.first?.hasPrefix("(") == true
        var atStart = true
        for t in tokens {
            if atStart && Self.shellKeywords.contains(t) { complex = true }
            atStart = t == "&&" || t == "||" || t == ";" || t == "|"
        }
        isComplex = complex
        var parts: [Part] = []
        var masks = false
        var dir: String?
        var segment: [String] = []
        var separatorBefore = ""
        var afterPipe = false
        func close(_ sep: String) {
            defer { segment = []; separatorBefore = sep }
            guard !segment.isEmpty else { return }
            // `| head`, `| grep x`: an output filter; `echo y | cmd` runs `cmd`.
            if afterPipe, let first = segment.first, Self.filters.contains(first) { return }
            if separatorBefore == "||" || separatorBefore == ";",
               let first = segment.first, ["true", ":", "echo", "exit"].contains(first) {
                masks = true
                return
            }
            if segment.first?.hasPrefix("#") == true { return }  // a comment line
            if segment.first == "cd", segment.count >= 2 { dir = segment[1]; return }
            if var p = Self.part(segment) {
                if p.directory == nil { p.directory = dir }
                parts.append(p)
            }
        }
        for t in tokens {
            switch t {
            case "&&", "||", ";":
                close(t); afterPipe = false
            case "|":
                close("|"); afterPipe = true
            default:
                segment.append(t)
            }
        }
        close("")
        self.parts = parts
        masksStatus = masks
    }

    static let filters: Set<String> = ["head", "tail", "grep", "rg", "less", "more", "sort", "uniq", "wc", "tee", "jq", "sed", "awk",
                                       "cut", "tr", "column", "cat", "fold", "nl", "xargs", "yq", "fgrep", "egrep", "ts", "pv"]
    static let launcherValueFlags: Set<String> = ["--project", "--directory", "--with", "--python", "-p", "--env-file", "--package",
                                                  "--from", "--group", "--extra", "--cwd", "-C", "-u", "--user"]

    static let shellKeywords: Set<String> = ["for", "while", "until", "if", "then", "else", "elif", "fi", "do", "done", "case",
                                             "esac", "function", "select", "{", "}", "[[", "]]"]

    /// Words, with quoted strings kept whole and separators as their own tokens.
    static func tokenize(_ s: String) -> [String] {
        tokenizeBytes(s)
    }

    /// `tokenizeCharacters` over the bytes: every byte it looks for (quotes, space, tab, `&`,
    /// `|`, `;`) is ASCII, and counts only where it is a character by itself (always in plain
    /// ASCII; elsewhere unless a combining mark follows or a Prepend precedes it); CR and LF are
    /// ordinary characters here, so CR LF needs no care. A text holding a character canonically
    /// equivalent to ASCII (U+037E is `;` to `Character`) takes the character loop.
    static func tokenizeBytes(_ s: String) -> [String] {
        var s = s
        let plain = TextBytes.isPlainASCII(s)
        let tokens: [String]? = s.withUTF8 { b -> [String]? in
            if !plain && TextBytes.holdsASCIIEquivalent(b) { return nil }
            func alone(_ i: Int) -> Bool { plain || TextBytes.standsAlone(b, i) }
            var out: [String] = []
            var start = -1  // first byte of the current word
            var quote: UInt8 = 0
            func flush(_ end: Int) {
                if start >= 0 && end > start { out.append(String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)) }
                start = -1
            }
            var i = 0
            while i < b.count {
                let c = b[i]
                let special = (c == 0x22 || c == 0x27 || c == 0x20 || c == 0x09 || c == 0x26 || c == 0x7C || c == 0x3B) && alone(i)
                if quote != 0 {
                    if c == quote && special { quote = 0 }
                } else if !special {
                    if start < 0 { start = i }
                } else if c == 0x22 || c == 0x27 {
                    quote = c
                    if start < 0 { start = i }
                } else if c == 0x20 || c == 0x09 {
                    flush(i)
                } else if c == 0x26 && i + 1 < b.count && b[i + 1] == 0x26 && alone(i + 1) {
                    flush(i); out.append("&&"); i += 1
                } else if c == 0x7C && i + 1 < b.count && b[i + 1] == 0x7C && alone(i + 1) {
                    flush(i); out.append("||"); i += 1
                } else if c == 0x7C || c == 0x3B {
                    flush(i); out.append(c == 0x7C ? "|" : ";")
                } else if start < 0 {
                    start = i
                }
                i += 1
            }
            flush(b.count)
            return out
        }
        return tokens ?? tokenizeCharacters(s)
    }

    /// Words, quotes kept and joined to their word, and the separators `&&`, `||`, `|`, `;`.
    static func tokenizeCharacters(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        var quote: Character?
        let chars = Array(s)
        var i = 0
        func flush() { if !cur.isEmpty { out.append(cur); cur = "" } }
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                cur.append(c)
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c; cur.append(c)
            } else if c == " " || c == "\t" {
                flush()
            } else if c == "&" && i + 1 < chars.count && chars[i + 1] == "&" {
                flush(); out.append("&&"); i += 1
            } else if c == "|" && i + 1 < chars.count && chars[i + 1] == "|" {
                flush(); out.append("||"); i += 1
            } else if c == "|" || c == ";" {
                flush(); out.append(String(c))
            } else {
                cur.append(c)
            }
            i += 1
        }
        flush()
        return out
    }

    static let launcherPairs: [[String]] = [["uv", "run"], ["poetry", "run"], ["pipenv", "run"], ["bundle", "exec"], ["pnpm", "exec"],
                                            ["pnpm", "dlx"], ["yarn", "dlx"], ["npm", "exec"], ["hatch", "run"], ["pdm", "run"],
                                            ["rye", "run"], ["mise", "exec"], ["direnv", "exec"], ["nix", "develop"]]
    static let launcherPairFirsts = Set(launcherPairs.map { $0[0] })
    static let directoryFlags: Set<String> = ["-C", "--prefix", "--cwd", "--dir", "--directory"]
    static let launcherWords: Set<String> = ["npx", "bunx", "uvx", "pipx", "sudo", "time", "nice", "env", "command", "exec", "xvfb-run"]

    /// Programs whose first word is a subcommand; the value is how many words it has.
    static let subcommandWords: [String: Int] = [
        "npm": 1, "pnpm": 1, "yarn": 1, "bun": 1, "mix": 1, "cargo": 1, "go": 1, "swift": 1, "make": 1, "just": 1,
        "task": 1, "mise": 1, "git": 1, "gh": 2, "docker": 1, "docker-compose": 1, "kubectl": 1, "terraform": 1,
        "helm": 1, "uv": 1, "poetry": 1, "bundle": 1, "rails": 1, "rake": 1, "dotnet": 1, "gradle": 1, "gradlew": 1,
        "mvn": 1, "deno": 1, "pip": 1, "brew": 1, "apt": 1, "apt-get": 1, "flutter": 1, "dart": 1, "composer": 1,
        "artisan": 1, "fly": 1, "flyctl": 1, "vercel": 1, "netlify": 1, "heroku": 1, "firebase": 1, "aws": 2, "gcloud": 2,
        "az": 2, "wrangler": 1, "supabase": 1, "prisma": 1, "alembic": 1, "tox": 0, "nox": 0, "php": 1, "claude": 1,
    ]

    static func part(_ segment: [String]) -> Part? {
        var words = segment
        var launcher: [String] = []
        var directory: String?
        // VAR=value prefixes.
        while let f = words.first, TextBytes.contains(f, "="), !f.hasPrefix("-"), f.first?.isLetter == true { words.removeFirst() }
        let written = words
        var changed = true
        while changed, !words.isEmpty {
            changed = false
            if words.count >= 2, launcherPairFirsts.contains(words[0]), launcherPairs.contains([words[0], words[1]]) {
                launcher += words.prefix(2); words.removeFirst(2); changed = true
            } else if launcherWords.contains(words[0]) {
                launcher.append(words.removeFirst()); changed = true
                if launcher.last == "timeout", let n = words.first, n.first?.isNumber == true { launcher.append(words.removeFirst()) }
            } else if words[0] == "timeout", words.count >= 2, words[1].first?.isNumber == true {
                launcher += words.prefix(2); words.removeFirst(2); changed = true
            }
            while let f = words.first, f.hasPrefix("-"), !launcher.isEmpty {
                launcher.append(words.removeFirst())
                // `uv run --project P`, `npx --package x`: the flag's value belongs to the launcher too.
                if Self.launcherValueFlags.contains(f), let v = words.first, !v.hasPrefix("-") { launcher.append(words.removeFirst()) }
            }
        }
        guard let first = words.first else { return nil }
        var program = first.split(separator: "/").last.map(String.init) ?? first
        if first.hasPrefix("./") || first.hasPrefix("../") { program = first }
        if program == "python3" || program.hasPrefix("python3.") { program = "python" }
        if program == "pip3" { program = "pip" }
        if program == "gradlew" || program == "./gradlew" { program = "gradlew" }
        var rest = Array(words.dropFirst())
        // `-C dir` (make, git), `--prefix dir` (npm), `--manifest-path`.
        var i = 0
        while i < rest.count {
            if directoryFlags.contains(rest[i]), i + 1 < rest.count, directory == nil {
                directory = rest[i + 1]; rest.removeSubrange(i...(i + 1))
            } else { i += 1 }
        }
        var sub: [String] = []
        if program == "python" || program == "node" || program == "ruby" || program == "bash" || program == "sh" || program == "deno" && rest.first == "run" {
            if program == "python", rest.first == "-m", rest.count >= 2 {
                // `python -m pytest` is pytest.
                program = rest[1]; rest = Array(rest.dropFirst(2))
            } else if let script = rest.first(where: { !$0.hasPrefix("-") }), let k = rest.firstIndex(of: script) {
                sub = [script]; rest.remove(at: k)
            }
        } else if let n = subcommandWords[program], n > 0 {
            var k = 0
            while k < rest.count, sub.count < n, !rest[k].hasPrefix("-"), Self.isWordy(rest[k]) { sub.append(rest[k]); k += 1 }
            // `npm run build`, `mise run check`, `yarn workspace x build`: the script name is part of it.
            if ["run", "run-script", "exec"].contains(sub.last ?? ""), k < rest.count, !rest[k].hasPrefix("-") { sub.append(rest[k]); k += 1 }
            rest = Array(rest.dropFirst(k))
        }
        return Part(words: written, launcher: launcher, program: program, subcommand: sub.isEmpty ? nil : sub.joined(separator: " "),
                    arguments: rest, directory: directory)
    }

    static func isWordy(_ w: String) -> Bool {
        // Plain ASCII by bytes (each byte a character): letters, digits, `-_:.`, a letter first, no `..`.
        if TextBytes.isPlainASCII(w) {
            var previousDot = false
            for (k, c) in w.utf8.enumerated() {
                let letter = c &- 0x41 < 26 || c &- 0x61 < 26
                if k == 0 && !letter { return false }
                guard letter || c &- 0x30 < 10 || c == 0x2D || c == 0x5F || c == 0x3A || c == 0x2E else { return false }
                if c == 0x2E && previousDot { return false }
                previousDot = c == 0x2E
            }
            return !w.isEmpty
        }
        return isWordyByCharacters(w)
    }

    /// The character test `isWordy` stands for (its reference in the tests).
    static func isWordyByCharacters(_ w: String) -> Bool {
        !w.isEmpty && w.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ":" || $0 == "." }
            && w.first?.isLetter == true && !w.contains("..")
    }

    /// The part that matters: the last one that is not routine file or git work.
    var main: Part? { parts.last { !Self.routinePrograms.contains($0.program) } ?? parts.last }

    static let routinePrograms: Set<String> = ["git", "ls", "cat", "cd", "echo", "printf", "mkdir", "rm", "cp", "mv", "pwd", "which",
                                               "find", "grep", "rg", "head", "tail", "wc", "touch", "chmod", "chown", "sed", "awk",
                                               "sleep", "kill", "pkill", "ps", "open", "tree", "stat", "file", "diff", "sort", "uniq",
                                               "export", "source", ".", "test", "[", "[[", "true", "false", "xargs", "tee", "jq",
                                               "less", "more", "date", "whoami", "type", "command", "read", "set", "unset", "ln",
                                               "du", "df", "lsof", "basename", "dirname", "realpath", "readlink", "cut", "tr",
                                               "history", "clear", "exit", "wait", "bd", "code", "xdg-open", "pbcopy", "say",
                                               "osascript", "afplay", "notify-send"]

    static let remoteVerbs: Set<String> = ["deploy", "publish", "release", "push", "upload"]
    static let remoteFirstArguments: Set<String> = ["deploy", "publish", "upload"]

    /// Only file listing, reading or git bookkeeping: never a lesson by itself.
    var isRoutine: Bool {
        parts.isEmpty || isComplex || parts.allSatisfy { Self.routinePrograms.contains($0.program) }
    }

    /// Changes state outside this checkout: pushes, deploys, publishes, creates or edits issues,
    /// pull requests, releases, cloud resources, or sends data with curl. Never a project command.
    var changesRemoteState: Bool {
        parts.contains { p in
            let sub = p.subcommand ?? ""
            let subWords = sub.isEmpty ? [] : sub.split(separator: " ").map(String.init)
            switch p.program {
            case "git": return ["push", "send-email"].contains(sub) || sub == "remote" && p.arguments.first.map { ["add", "set-url", "remove"].contains($0) } == true
            case "gh": return p.subcommand.map { !["view", "list", "status", "diff", "checks", "api", "auth status", "run view", "run list", "pr view", "pr list", "pr diff", "pr checks", "pr status", "issue view", "issue list", "repo view", "release view", "release list", "run watch"].contains($0) } ?? false
                || sub == "api" && p.arguments.contains { ["-X", "--method", "-f", "-F", "--field", "--raw-field", "--input"].contains($0) }
            case "curl", "wget", "http", "xh":
                return p.arguments.contains { ["-X", "--request", "-d", "--data", "--data-raw", "--data-binary", "-F", "--form", "-T", "--upload-file", "--post-data"].contains($0) }
            case "ssh", "scp", "rsync", "sftp": return true
            case "kubectl": return ["apply", "delete", "create", "patch", "scale", "rollout", "edit", "replace", "set", "annotate", "label", "drain", "exec"].contains(sub)
            case "terraform", "tofu", "pulumi": return ["apply", "destroy", "import", "up"].contains(sub)
            case "helm": return ["install", "upgrade", "uninstall", "rollback", "push"].contains(sub)
            case "docker", "podman": return ["push", "login"].contains(sub)
            case "aws", "gcloud", "az":
                return subWords.contains { ["deploy", "create", "delete", "put", "update", "cp", "sync", "rm", "mv", "invoke", "publish", "set"].contains($0) || $0.hasPrefix("put-") || $0.hasPrefix("create-") || $0.hasPrefix("delete-") || $0.hasPrefix("update-") }
                    || p.arguments.contains { ["create", "delete", "deploy", "cp", "sync", "rm", "put", "update"].contains($0) || $0.hasPrefix("put-") || $0.hasPrefix("create-") || $0.hasPrefix("delete-") || $0.hasPrefix("update-") }
            case "twine": return sub == "upload" || p.arguments.first == "upload"
            default:
                return subWords.contains { Self.remoteVerbs.contains($0) }
                    || p.arguments.first.map { Self.remoteFirstArguments.contains($0) } == true
                    || TextBytes.contains(p.program, "deploy") || TextBytes.contains(p.program, "release") || TextBytes.contains(p.program, "publish")
            }
        }
    }
}
