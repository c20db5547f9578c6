/// Claude Code's compaction summary: "This session is being continued…" followed by numbered
/// sections ("1. Primary Request and Intent:", "4. Errors and fixes:", "5. Problem Solving:" …).
public enum CompactionSummary {
    public struct Section: Sendable, Equatable {
        public var title: String
        public var body: String
    }

    public static func sections(_ text: String) -> [Section] {
        var out: [Section] = []
        var current: Section?
        // `text.split(separator: "\n", omittingEmptySubsequences: false)`, by bytes.
        for line in TextBytes.lines(text, limit: Int.max) {
            if let title = sectionTitle(line) {
                if let c = current { out.append(c) }
                current = Section(title: title, body: "")
            } else if current != nil {
                current!.body += line + "\n"
            }
        }
        if let c = current { out.append(c) }
        return out
    }

    /// `4. Errors and fixes:` / `## Errors and Fixes` → "Errors and fixes".
    static func sectionTitle(_ line: String) -> String? {
        var s = Substring(line.trimmingWhitespace())
        if s.hasPrefix("#") {
            s = s.drop { $0 == "#" || $0 == " " }
            // `## 4. Errors and Fixes`
            let digits = s.prefix { $0.isNumber }
            if !digits.isEmpty, s.dropFirst(digits.count).hasPrefix(". ") { s = s.dropFirst(digits.count + 2) }
        } else {
            let digits = s.prefix { $0.isNumber }
            guard !digits.isEmpty, s.dropFirst(digits.count).hasPrefix(". ") else { return nil }
            s = s.dropFirst(digits.count + 2)
        }
        s = Substring(TextBytes.replacing(String(s), "**", with: ""))
        guard s.hasSuffix(":") || !line.contains(":") else { return nil }
        let title = s.hasSuffix(":") ? String(s.dropLast()) : String(s)
        guard title.count >= 3, title.count <= 60, title.first?.isUppercase == true else { return nil }
        return title
    }

    public static func isLessonSection(_ title: String) -> Bool {
        let t = title.lowercased()
        return t.contains("error") || t.contains("fix") || t.contains("problem solving") || t.contains("lesson")
            || t.contains("gotcha")
    }
}

extension CompactionSummary {
    /// Sections the digest keeps whole: lessons plus the decisions and the user's feedback.
    public static func isEvidenceSection(_ title: String) -> Bool {
        let t = title.lowercased()
        return isLessonSection(title) || t.contains("decision") || t.contains("user feedback") || t.contains("learn")
    }
}
