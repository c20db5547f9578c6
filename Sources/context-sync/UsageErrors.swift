import ArgumentParser
import ContextSyncCore

/// ArgumentParser's argument errors in the house style: one line on stderr,
/// `context-sync: error: <what> (<what to do>)`, exit code 2 (README, "Exit codes").
/// An unknown subcommand (`context-sync rn`, `context-sync install tim`) gets the nearest
/// subcommand name, as ArgumentParser already does for options.
enum UsageErrors {
    /// The commands the non-option arguments name, from the root down (`install timer` →
    /// [ContextSync, InstallCommand, InstallTimerCommand]), and the first argument that names no
    /// subcommand of a command that has subcommands (the unknown command), if any.
    static func commandPath(_ arguments: [String]) -> (path: [ParsableCommand.Type], unknown: String?) {
        var path: [ParsableCommand.Type] = [ContextSync.self]
        // `context-sync help install timer` names the same commands as `install timer --help`.
        let words = arguments.first == "help" ? Array(arguments.dropFirst()) : arguments
        for arg in words.prefix(16) {
            if arg == "--" { break }
            if arg.hasPrefix("-") { break }
            let subcommands = path[path.count - 1].configuration.subcommands
            if subcommands.isEmpty { break }
            guard let next = subcommands.first(where: { names(of: $0).contains(arg) }) else {
                return (path, arg)
            }
            path.append(next)
        }
        return (path, nil)
    }

    /// The names a subcommand answers to: its command name and aliases.
    static func names(of command: ParsableCommand.Type) -> [String] {
        [command._commandName] + command.configuration.aliases
    }

    /// The nearest subcommand name to `word`: a name that `word` starts (or that starts with
    /// `word`), else the fewest edits, at most 2 (or a third of the word), then the alphabet.
    static func nearest(_ word: String, among commands: [ParsableCommand.Type]) -> String? {
        let w = word.lowercased()
        let candidates = commands.flatMap(names(of:))
        func score(_ name: String) -> (Int, Int) {
            (name.hasPrefix(w) || (w.hasPrefix(name) && !name.isEmpty) ? 0 : 1, Config.editDistance(w, name))
        }
        let best = candidates.min { a, b in
            let sa = score(a), sb = score(b)
            return sa != sb ? sa < sb : a < b
        }
        guard let best else { return nil }
        let s = score(best)
        return s.0 == 0 || s.1 <= max(2, w.count / 3) ? best : nil
    }

    /// ArgumentParser's message lines as one: "; " between sentences, " " after a colon.
    static func oneLine(_ message: String) -> String {
        var out = ""
        for raw in message.split(separator: "\n").prefix(20) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if !out.isEmpty { out += out.hasSuffix(":") ? " " : "; " }
            while line.hasSuffix(".") { line.removeLast() }
            out += line
        }
        return out
    }

    /// The one-line message for an argument error.
    static func message(for error: Error, arguments: [String]) -> String {
        let (path, unknown) = commandPath(arguments)
        let command = path.map { $0._commandName }.joined(separator: " ")
        if let unknown {
            let parent = path[path.count - 1]
            let hint = nearest(unknown, among: parent.configuration.subcommands)
                .map { "did you mean '\($0)'? see '\(command) --help'" } ?? "see '\(command) --help' for the commands"
            return "unknown command '\(unknown)' (\(hint))"
        }
        var what = oneLine(ContextSync.message(for: error))
        if what.hasPrefix("Error: ") { what.removeFirst("Error: ".count) }
        var hint = "see '\(command) --help'"
        // "Unknown option '--dry-rn'. Did you mean '--dry-run'?" → "... (did you mean '--dry-run'? see ...)"
        if let r = what.range(of: ". Did you mean ") {
            let suggestion = String(what[r.upperBound...])
            hint = "did you mean \(suggestion) \(hint)"
            what = String(what[..<r.lowerBound])
        }
        if let first = what.first { what = first.lowercased() + what.dropFirst() }
        while what.hasSuffix(".") { what.removeLast() }
        return "\(what) (\(hint))"
    }
}
