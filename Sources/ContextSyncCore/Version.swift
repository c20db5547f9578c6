/// The tool's version, printed by `context-sync --version`.
public enum ContextSyncVersion {
    public static let string = "0.1.0"
}
