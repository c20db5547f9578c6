import Clibgit2

/// A libgit2 call that failed: names the function, carries the return code and libgit2's message.
public struct GitError: Error, CustomStringConvertible, Sendable {
    public var function: String
    public var code: Int32
    public var errorClass: Int32
    public var message: String

    public var description: String { "\(function) failed (\(code)): \(message)" }

    static func last(_ function: String, _ code: Int32) -> GitError {
        if let e = git_error_last() {
            return GitError(function: function, code: code, errorClass: e.pointee.klass,
                            message: e.pointee.message.map { String(cString: $0) } ?? "unknown error")
        }
        return GitError(function: function, code: code, errorClass: 0, message: "unknown error")
    }
}

/// Checks a libgit2 return code: negative means failure.
@inline(__always)
@discardableResult
func check(_ code: Int32, _ function: @autoclosure () -> String) throws(GitError) -> Int32 {
    if code < 0 { throw GitError.last(function(), code) }
    return code
}

/// libgit2's global state, initialised exactly once per process.
public enum GitLibrary {
    private static let initialized: Bool = {
        git_libgit2_init()
        // Repositories using per-worktree config (sparse checkout) otherwise fail to open in 1.5.
        var names: [UnsafePointer<CChar>?] = []
        let ext = strdup("worktreeconfig")
        names.append(UnsafePointer(ext))
        names.withUnsafeMutableBufferPointer { buf in
            _ = cs_git_set_extensions(buf.baseAddress, 1)
        }
        return true
    }()

    /// Call before any libgit2 use; cheap after the first call.
    public static func ensureInitialized() {
        _ = initialized
    }

    /// `major.minor.rev` of the linked libgit2.
    public static var version: String {
        // Compiled-in numbers: libgit2 needs no initialisation for them.
        var major: Int32 = 0, minor: Int32 = 0, rev: Int32 = 0
        git_libgit2_version(&major, &minor, &rev)
        return "\(major).\(minor).\(rev)"
    }

    /// Compiled-in features (threads, https, ssh).
    public static var features: [String] {
        ensureInitialized()
        let f = UInt32(bitPattern: git_libgit2_features())
        var out: [String] = []
        if f & GIT_FEATURE_THREADS.rawValue != 0 { out.append("threads") }
        if f & GIT_FEATURE_HTTPS.rawValue != 0 { out.append("https") }
        if f & GIT_FEATURE_SSH.rawValue != 0 { out.append("ssh") }
        return out
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
