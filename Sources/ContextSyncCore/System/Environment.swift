import Foundation

/// The process environment as a value, so tests can pass their own.
public struct Environment: Sendable {
    public var variables: [String: String]

    public init(_ variables: [String: String]) {
        self.variables = variables
    }

    public static var current: Environment { Environment(ProcessInfo.processInfo.environment) }

    public subscript(_ name: String) -> String? {
        guard let v = variables[name], !v.isEmpty else { return nil }
        return v
    }

    public var home: String {
        self["HOME"] ?? NSHomeDirectory()
    }

    /// `$XDG_CONFIG_HOME/context-sync/config.toml`, default `~/.config/context-sync/config.toml`.
    public var configFile: String {
        (self["XDG_CONFIG_HOME"] ?? home + "/.config") + "/context-sync/config.toml"
    }

    /// `$XDG_STATE_HOME/context-sync`, default `~/.local/state/context-sync`.
    public var stateDirectory: String {
        (self["XDG_STATE_HOME"] ?? home + "/.local/state") + "/context-sync"
    }

    /// `$XDG_CACHE_HOME/context-sync`, default `~/.cache/context-sync`. Safe to delete at any time.
    public var cacheDirectory: String {
        (self["XDG_CACHE_HOME"] ?? home + "/.cache") + "/context-sync"
    }

    /// The Claude Code root every command uses (`Workspace`, `Doctor`, the installers through
    /// `Workspace`), resolved as every setting is: `--claude-dir`, else `$CLAUDE_CONFIG_DIR` (where
    /// Claude Code itself then keeps its data), else config `claude_dir` (for runs without that
    /// variable: cron, timers), else `~/.claude`.
    public func claudeRoot(flag: String?, config: Config?) -> String {
        for candidate in [flag, self["CLAUDE_CONFIG_DIR"], config?.claudeDir] {
            if let c = candidate, !c.isEmpty { return Paths.absolute(c) }
        }
        return home + "/.claude"
    }
}
