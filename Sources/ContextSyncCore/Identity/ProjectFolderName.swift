import Foundation

/// Claude Code's encoding of a working directory into a folder name under `projects/`.
///
/// Every UTF-16 code unit outside ASCII `[A-Za-z0-9]` becomes `-` (runs are not collapsed).
/// Names longer than 200 characters are cut to 200 and get `-<hash>` appended, where the hash is
/// the base-36 absolute value of a 32-bit `h = h*31 + unit` over the original path's UTF-16 units
/// (the SDK's `simpleHash`; the CLI may use another hash, so long names must be matched by prefix).
///
/// This is only a fast first guess and a display aid: the folder is never decoded back into a path.
public enum ProjectFolderName {
    public static let maxLength = 200

    /// The sanitised name, without the long-name hash.
    public static func sanitize(_ path: String) -> String {
        var out = ""
        out.reserveCapacity(path.utf16.count)
        for unit in path.utf16 {
            let isAlnum = (unit >= 0x30 && unit <= 0x39) || (unit >= 0x41 && unit <= 0x5A) || (unit >= 0x61 && unit <= 0x7A)
            out.append(isAlnum ? Character(Unicode.Scalar(UInt8(unit))) : "-")
        }
        return out
    }

    /// The folder name Claude Code (SDK variant) would use for `path`.
    public static func encode(_ path: String) -> String {
        let path = path.precomposedStringWithCanonicalMapping
        let s = sanitize(path)
        if s.utf8.count <= maxLength { return s }
        return String(s.prefix(maxLength)) + "-" + simpleHash(path)
    }

    /// True when `folder` may be the folder of `path`: equal, or for long paths, the same 200-char prefix.
    public static func mayMatch(folder: String, path: String) -> Bool {
        let s = sanitize(path.precomposedStringWithCanonicalMapping)
        if s.utf8.count <= maxLength { return folder == s }
        return folder.hasPrefix(String(s.prefix(maxLength)) + "-")
    }

    /// JavaScript-style `(h << 5) - h + unit`, wrapped to Int32, absolute value in base 36.
    public static func simpleHash(_ path: String) -> String {
        var h: Int32 = 0
        for unit in path.utf16 {
            h = (h &<< 5) &- h &+ Int32(unit)
        }
        let magnitude = h == Int32.min ? UInt32(Int32.max) + 1 : UInt32(abs(h))
        return String(magnitude, radix: 36)
    }
}
