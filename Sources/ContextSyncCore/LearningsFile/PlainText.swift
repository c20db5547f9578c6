/// Text that goes into learnings.md from outside (bullets from an extractor or from `apply`,
/// machine names) is made plain before it is written: a NUL or another control character would
/// make git treat the file as binary (and stop `merge=union` from working), an ANSI escape
/// sequence or a bidirectional override would make the file read differently from what it says.
public enum PlainText {
    /// `text` without ANSI escape sequences, C0/C1 control characters (a tab, NEL, line or
    /// paragraph separator becomes a space; `\n` and `\r` are kept for the caller, which joins
    /// lines), DEL, bidirectional embedding/override/isolate marks and byte-order marks.
    public static func sanitize(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsWork) else { return text }
        var out = String.UnicodeScalarView()
        var scalars = Array(text.unicodeScalars)[...]
        while let c = scalars.first {
            scalars = scalars.dropFirst()
            switch c.value {
            case 0x1B:
                // ESC [ params intermediates final (CSI), ESC ] ... BEL/ESC \ (OSC), or ESC + one char.
                if let n = scalars.first, n == "[" {
                    scalars = scalars.dropFirst()
                    while let p = scalars.first, (0x20...0x3F).contains(p.value) { scalars = scalars.dropFirst() }
                    if let f = scalars.first, (0x40...0x7E).contains(f.value) { scalars = scalars.dropFirst() }
                } else if let n = scalars.first, n == "]" {
                    scalars = scalars.dropFirst()
                    var steps = 0
                    while let p = scalars.first, steps < 4096 {
                        steps += 1
                        scalars = scalars.dropFirst()
                        if p.value == 0x07 { break }
                        if p.value == 0x1B, scalars.first == "\\" { scalars = scalars.dropFirst(); break }
                    }
                } else if !scalars.isEmpty {
                    scalars = scalars.dropFirst()
                }
            case 0x0A, 0x0D:
                out.append(c)
            case 0x09, 0x2028, 0x2029, 0x85:
                out.append(" ")
            default:
                if !needsWork(c) { out.append(c) }
            }
        }
        return String(out)
    }

    private static func needsWork(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return (v < 0x20 && v != 0x0A && v != 0x0D) || v == 0x7F || (0x80...0x9F).contains(v) || (0x202A...0x202E).contains(v)
            || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F || v == 0xFEFF
            || v == 0x2028 || v == 0x2029
    }
}

/// Unresolved git conflict markers in a text: `<<<<<<< `, `=======` and `>>>>>>> ` lines of one
/// conflict block (a lone `=======` line is Markdown, not a marker).
public enum ConflictMarkers {
    /// 1-based line numbers of the marker lines, empty when there is no conflict block.
    public static func lines(in text: String) -> [Int] {
        var out: [Int] = []
        var open: [Int] = []
        var inBlock = false
        for (i, line) in TextLines.split(text).enumerated() {
            let c = line.content
            if c.hasPrefix("<<<<<<<") && (c.count == 7 || c.dropFirst(7).first == " ") {
                inBlock = true
                open = [i + 1]
            } else if inBlock && (c == "=======" || c.hasPrefix("|||||||")) {
                open.append(i + 1)
            } else if inBlock && c.hasPrefix(">>>>>>>") && (c.count == 7 || c.dropFirst(7).first == " ") {
                out += open + [i + 1]
                inBlock = false
                open = []
            }
        }
        return out
    }
}
