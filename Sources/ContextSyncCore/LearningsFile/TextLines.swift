/// One line of a text file with the exact terminator it had, so that joining the lines again
/// gives back the original bytes.
struct TextLine: Sendable, Equatable {
    /// The line without its terminator (a lone `\r` not followed by `\n` stays in here).
    var content: String
    /// `"\n"`, `"\r\n"`, or `""` for a last line without a newline.
    var ending: String

    init(_ content: String, ending: String) {
        self.content = content
        self.ending = ending
    }

    /// Only spaces and tabs (as characters: a character of only space and tab bytes is one of
    /// them, and any other byte makes a character that is neither).
    var isBlank: Bool { content.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 } }

    var rendered: String { content + ending }
}

enum TextLines {
    /// Splits `text` into lines. `split(text).map(\.rendered).joined() == text` for every input.
    static func split(_ text: String) -> [TextLine] {
        var text = text
        return text.withUTF8 { bytes -> [TextLine] in
            var lines: [TextLine] = []
            var start = 0
            var i = 0
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "\n") {
                    let crlf = i > start && bytes[i - 1] == UInt8(ascii: "\r")
                    let end = crlf ? i - 1 : i
                    lines.append(TextLine(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self),
                                          ending: crlf ? "\r\n" : "\n"))
                    start = i + 1
                }
                i += 1
            }
            if start < bytes.count {
                lines.append(TextLine(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self), ending: ""))
            }
            return lines
        }
    }

    static func join(_ lines: [TextLine]) -> String {
        var out = ""
        for l in lines { out += l.content; out += l.ending }
        return out
    }

    /// The terminator most lines use (`"\r\n"` only when CRLF lines outnumber LF lines).
    static func dominantEnding(_ lines: [TextLine]) -> String {
        var lf = 0, crlf = 0
        for l in lines {
            if l.ending == "\n" { lf += 1 } else if l.ending == "\r\n" { crlf += 1 }
        }
        return crlf > lf ? "\r\n" : "\n"
    }

    /// Makes sure the last line has a terminator (adds `ending` when it has none).
    static func terminateLast(_ lines: inout [TextLine], ending: String) {
        if let last = lines.indices.last, lines[last].ending.isEmpty {
            lines[last].ending = ending
        }
    }
}
