import Foundation

/// `context-sync install completions`: the shell completion script ArgumentParser generates
/// (`--generate-completion-script <shell>`), written where each shell finds a user's completions
/// without any setup, except zsh, whose `~/.zfunc` must be on `fpath`:
///
///   bash  `${XDG_DATA_HOME:-~/.local/share}/bash-completion/completions/context-sync`
///   zsh   `~/.zfunc/_context-sync`
///   fish  `${XDG_CONFIG_HOME:-~/.config}/fish/completions/context-sync.fish`
///
/// The script gets a marker comment on its second line (zsh needs `#compdef` first), so a file
/// context-sync wrote is recognised after an upgrade changes the script; a file without it is the
/// user's and is neither replaced nor removed. The file ends with a newline.
public struct CompletionsInstaller: Sendable {
    public enum Shell: String, CaseIterable, Sendable {
        case bash, zsh, fish
    }

    public var shell: Shell
    public var environment: Environment

    public init(shell: Shell, environment: Environment = .current) {
        self.shell = shell
        self.environment = environment
    }

    /// The shell named by `$SHELL` (its last path component), if it is one of ours.
    public static func loginShell(_ environment: Environment) -> Shell? {
        guard let s = environment["SHELL"] else { return nil }
        return Shell(rawValue: String(s.split(separator: "/").last ?? ""))
    }

    /// The folder the script goes in, and the folders above it that uninstall may remove when
    /// empty (only those named after the completion system, never `~/.local/share` or `~/.config`).
    public var directory: String {
        switch shell {
        case .bash: return (environment["XDG_DATA_HOME"] ?? environment.home + "/.local/share") + "/bash-completion/completions"
        case .zsh: return environment.home + "/.zfunc"
        case .fish: return (environment["XDG_CONFIG_HOME"] ?? environment.home + "/.config") + "/fish/completions"
        }
    }

    public var path: String {
        switch shell {
        case .bash: return directory + "/context-sync"
        case .zsh: return directory + "/_context-sync"
        case .fish: return directory + "/context-sync.fish"
        }
    }

    private var removableDirectories: [String] {
        shell == .bash ? [directory, (directory as NSString).deletingLastPathComponent] : [directory]
    }

    /// `script` with the marker comment as its second line (or first, if the script does not
    /// start with a comment).
    public static func marked(_ s: String) -> [UInt8] {
        let script = s.hasSuffix("\n") || s.isEmpty ? s : s + "\n"
        let marker = "# \(IntegrationNames.installedMarker) (`context-sync install completions`)\n"
        if script.hasPrefix("#"), let nl = script.firstIndex(of: "\n") {
            let head = script[...nl]
            return Array((head + marker + script[script.index(after: nl)...]).utf8)
        }
        return Array((marker + script).utf8)
    }

    public func install(script: String) throws -> InstallReport {
        var report = InstallReport()
        let content = Self.marked(script)
        switch try ManagedFile.state(of: path, wanted: content) {
        case .same:
            report.did("already installed: \(path)")
        case .absent, .ours:
            try AtomicFile.makeDirectories(directory, mode: 0o755)
            try ManagedFile.write(content, to: path)
            report.did("wrote \(path)")
        case .foreign:
            throw ContextSyncError(
                "\(path) exists and was not written by context-sync: not replaced (move it away, then run again)")
        }
        if shell == .zsh {
            report.did("zsh loads it when ~/.zfunc is on fpath: add `fpath=(~/.zfunc $fpath); autoload -Uz compinit; compinit` to ~/.zshrc")
        }
        return report
    }

    public func uninstall() throws -> InstallReport {
        var report = InstallReport()
        guard try ManagedFile.uninstall(path, wanted: Self.marked(""), into: &report) else { return report }
        for dir in removableDirectories {
            guard ManagedFile.removeDirectoryIfEmpty(dir) else { break }
            report.did("removed \(dir)")
        }
        return report
    }
}
