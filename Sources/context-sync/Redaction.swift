import ContextSyncCore

/// The scanner's redaction, configured from the workspace (allowlist from config).
enum Redaction {
    static func function(_ ws: Workspace) throws -> (String) -> String {
        let scanner = try SecretScanner(allowlist: ws.config.secretAllowlist)
        return { scanner.redact($0) }
    }
}
