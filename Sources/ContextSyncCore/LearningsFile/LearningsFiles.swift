#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The CLAUDE.md directive: a short "Accumulated Learnings" section that imports learnings.md
/// with Claude Code's `@path` syntax. Claude Code resolves an import relative to the file that
/// contains it, so `./CLAUDE.md` imports `@.claude/learnings.md` and `.claude/CLAUDE.md`
/// imports `@learnings.md`.
public enum ClaudeDirective {
    public static let heading = "## Accumulated Learnings"

    /// The import path to write into the CLAUDE.md at `claudeFile` (repository-relative).
    public static func importPath(forClaudeFile claudeFile: String) -> String {
        claudeFile.hasPrefix(".claude/") ? "learnings.md" : LearningsDocument.relativePath
    }

    /// The section's text, each line ended with `eol`.
    public static func section(importPath: String, eol: String = "\n") -> String {
        [
            heading,
            "",
            "Learnings from earlier Claude Code sessions on this project, kept by context-sync.",
            "Read them before starting work, and follow them unless told otherwise:",
            "",
            "@\(importPath)",
        ].map { $0 + eol }.joined()
    }

    /// True when `text` already imports the learnings file or has the section heading.
    public static func isPresent(in text: String, importPath: String) -> Bool {
        for line in TextLines.split(text) {
            let c = line.content.learningsTrimmed()
            if c.lowercased() == heading.lowercased() { return true }
            for token in c.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                if token == "@" + importPath || token == "@./" + importPath { return true }
            }
        }
        return false
    }

    /// `text` (nil: the file does not exist) with the section appended at the end, or nil when
    /// it is already there. The file's own bytes are kept; its line ending is used.
    public static func adding(to text: String?, claudeFile: String) -> String? {
        let importPath = importPath(forClaudeFile: claudeFile)
        let text = text ?? ""
        if isPresent(in: text, importPath: importPath) { return nil }
        var lines = TextLines.split(text)
        let eol = TextLines.dominantEnding(lines)
        while let last = lines.last, last.isBlank, last.ending.isEmpty { lines.removeLast() }
        LearningsDocument.endWithBlankLine(&lines, eol: eol)
        return TextLines.join(lines) + section(importPath: importPath, eol: eol)
    }
}

/// The `.gitattributes` line that makes plain git merges of learnings.md take both sides.
public enum GitAttributesLine {
    public static let line = ".claude/learnings.md merge=union"
    public static let path = ".gitattributes"

    /// True when some line gives learnings.md the union merge driver.
    public static func isPresent(in text: String) -> Bool {
        for l in TextLines.split(text) {
            let parts = l.content.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let first = parts.first else { continue }
            let pattern = first.hasPrefix("/") ? first.dropFirst() : first
            if pattern == ".claude/learnings.md" && parts.dropFirst().contains("merge=union") { return true }
        }
        return false
    }

    /// `text` (nil: no file) with the line added at the end, or nil when already present.
    public static func adding(to text: String?) -> String? {
        let text = text ?? ""
        if isPresent(in: text) { return nil }
        var lines = TextLines.split(text)
        let eol = TextLines.dominantEnding(lines)
        TextLines.terminateLast(&lines, ending: eol)
        return TextLines.join(lines) + line + eol
    }
}

/// The files context-sync owns in a work tree, and the one place that writes them.
public enum LearningsFiles {
    /// What one run changes: repository-relative path -> the file's complete new text, only for
    /// files whose text changes.
    public struct Update: Sendable, Equatable {
        public var changes: [String: String]
        /// The bullets that were new (after deduplication), as written.
        public var addedBullets: [String]

        public var isEmpty: Bool { changes.isEmpty }
    }

    /// `CLAUDE.md` when the work tree has one at its top (a symlink counts: it is then refused
    /// when read), else `.claude/CLAUDE.md`.
    public static func claudeFile(workdir: String) -> String {
        var st = stat()
        return lstat(workdir + "/CLAUDE.md", &st) == 0 ? "CLAUDE.md" : ".claude/CLAUDE.md"
    }

    /// Every path context-sync may write, for a work tree.
    public static func ownedPaths(workdir: String) -> [String] {
        [LearningsDocument.relativePath, claudeFile(workdir: workdir), GitAttributesLine.path]
    }

    /// Reads a work-tree file as UTF-8 (a regular file reached without following a symlink;
    /// see `WorkTreeFile`); nil when missing. Throws for non-UTF-8 content (rewriting it would
    /// change bytes the user wrote) and for a symlink or another non-regular file.
    public static func read(_ relativePath: String, workdir: String) throws -> String? {
        try WorkTreeFile(workdir: workdir).readText(relativePath)
    }

    /// Computes the update for adding `bullets` to the work tree's learnings.md: the new
    /// learnings.md, and — when bullets were added — the CLAUDE.md directive and the
    /// `.gitattributes` line if they are missing. Writes nothing.
    public static func plan(workdir: String, bullets: [String], date: String, machine: String) throws -> Update {
        var changes: [String: String] = [:]
        let current = try read(LearningsDocument.relativePath, workdir: workdir)
        var doc = LearningsDocument(parsing: current ?? "")
        let added = doc.append(bullets: bullets, date: date, machine: machine)
        guard !added.isEmpty else { return Update(changes: [:], addedBullets: []) }
        changes[LearningsDocument.relativePath] = doc.rendered()
        for path in [claudeFile(workdir: workdir), GitAttributesLine.path] {
            if let new = try ensureDirective(path: path, in: try read(path, workdir: workdir)) {
                changes[path] = new
            }
        }
        return Update(changes: changes, addedBullets: added)
    }

    /// The idempotent, content-only edits for the CLAUDE.md directive and `.gitattributes`:
    /// the new text of `path` given its current text, or nil when it needs no change (or is not
    /// one of those files). The committer applies the same edit to HEAD's version.
    public static func ensureDirective(path: String, in text: String?) throws -> String? {
        if path == GitAttributesLine.path { return GitAttributesLine.adding(to: text) }
        if path == "CLAUDE.md" || path == ".claude/CLAUDE.md" { return ClaudeDirective.adding(to: text, claudeFile: path) }
        return nil
    }

    /// Writes every changed file atomically (temporary file, fsync, rename), never through a
    /// symlink.
    public static func apply(_ update: Update, workdir: String) throws {
        let files = WorkTreeFile(workdir: workdir)
        for path in update.changes.keys.sorted() {
            try files.write(update.changes[path]!, to: path)
        }
    }
}
