/// The operating system an installer targets: `install launchd` is for macOS, `install timer`
/// for Linux (systemd). `$CONTEXT_SYNC_PLATFORM` (`macos` or `linux`) replaces the detected one,
/// for tests, as `$CONTEXT_SYNC_SYSTEMCTL` replaces systemctl.
public enum HostPlatform: String, Sendable {
    case linux
    case macOS = "macos"

    public static var detected: HostPlatform {
        #if os(macOS)
        return .macOS
        #else
        return .linux
        #endif
    }

    public static func current(_ env: Environment) -> HostPlatform {
        env["CONTEXT_SYNC_PLATFORM"].flatMap { HostPlatform(rawValue: $0.lowercased()) } ?? detected
    }

    var name: String { self == .macOS ? "macOS" : "Linux" }

    /// Throws (exit 2) unless `self` is `wanted`, pointing to the installer for this platform.
    public func require(_ wanted: HostPlatform, for installer: String, instead: String) throws {
        guard self != wanted else { return }
        throw ContextSyncError("install \(installer) is for \(wanted.name), and this is \(name): nothing was written (use `context-sync install \(instead)` instead)")
    }
}
