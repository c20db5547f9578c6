#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Claude Code's own auto memory (`<claude-root>/projects/<folder>/memory/MEMORY.md`, the index
/// whose first lines every session loads, and topic files beside it) stays on the machine that
/// wrote it. `run` shares it: each entry (a bullet of those files; index lines that only link
/// to a topic file are skipped) that is new since the last harvest goes through the same path
/// as an extracted learning — path normalisation, the secret gate, dedupe — and is appended
/// with the marker ` (memory)` at its end, so a reader knows where it came from.
///
/// What was harvested is kept per file (size, mtime, entry hashes) in
/// `<state>/projects/<identity>.memory.json`, so an unchanged file is not even parsed, and
/// editing or deleting entries in MEMORY.md re-imports nothing that was already taken. Claude
/// Code's memory folder is only read, never written. Opt out with `[memory] harvest = false`, or
/// per repository with `[memory] exclude` globs.
public enum AutoMemory {
    public static let marker = " (memory)"

    public struct Record: Sendable, Equatable {
        public struct File: Sendable, Equatable {
            public var size: Int64
            public var mtimeNanos: Int64
            public var entries: Set<String>
        }
        public var files: [String: File] = [:]
        public var path: String

        public static func load(_ path: String) throws -> Record {
            var r = Record(path: path)
            guard FileManager.default.fileExists(atPath: path) else { return r }
            guard let data = FileManager.default.contents(atPath: path),
                  let v = try? JSONParser.parse([UInt8](data)), let files = v["files"]?.object else {
                throw ContextSyncError("corrupt memory harvest record \(path) (move it away; memory entries are then harvested again and deduplicated)")
            }
            for i in files.keys.indices {
                let e = files.values[i]
                r.files[files.keys[i]] = File(size: Int64(e["size"]?.number ?? -1),
                                              mtimeNanos: e["mtime"]?.string.flatMap { Int64($0) } ?? 0,
                                              entries: Set(e["entries"]?.array?.compactMap(\.string) ?? []))
            }
            return r
        }

        public func save() throws {
            var files = JSONObject()
            for key in self.files.keys.sorted() {
                let f = self.files[key]!
                var b = JSONObjectBuilder()
                b.set("size", f.size)
                b.set("mtime", String(f.mtimeNanos))
                b.set("entries", JSONValue.array(f.entries.sorted().map { .string($0) }))
                files.keys.append(key)
                files.values.append(b.value)
            }
            var root = JSONObjectBuilder()
            root.set("version", 1)
            root.set("files", .object(files))
            try AtomicFile.write(root.value.serialized(pretty: true) + "\n", to: path, mode: 0o600)
        }
    }

    public struct Harvest: Sendable {
        /// New entries as bullets (with the marker).
        public var bullets: [String]
        /// The record to save once they are committed.
        public var record: Record
        /// False when no memory file changed since the last harvest (nothing to save).
        public var changed: Bool
    }

    public static func recordPath(stateFile: String) -> String {
        (stateFile.hasSuffix(".json") ? String(stateFile.dropLast(5)) : stateFile) + ".memory.json"
    }

    /// Whether the repository at `topLevel` has its memory harvested.
    public static func enabled(topLevel: String, config: Config) -> Bool {
        guard config.memoryHarvest ?? true else { return false }
        return !config.memoryExclude.contains { OptIn.matches(glob: $0, path: topLevel) }
    }

    /// The new entries of the memory folders of `folders` (project folder paths).
    public static func harvest(folders: [String], recordPath: String) throws -> Harvest {
        var record = try Record.load(recordPath)
        let before = record
        var bullets: [String] = []
        var seen = Set<String>()
        for folder in Set(folders).sorted() {
            let dir = folder + "/memory"
            guard isRealDirectory(dir), let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for name in names.sorted() where name.hasSuffix(".md") {
                let path = dir + "/" + name
                var st = stat()
                guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size < 4_000_000 else { continue }
                let size = Int64(st.st_size), mtime = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
                let old = record.files[path]
                if let old, old.size == size, old.mtimeNanos == mtime { continue }
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                let entries = self.entries(in: String(decoding: data, as: UTF8.self))
                var hashes = old?.entries ?? []
                for e in entries {
                    let h = StableHash.fnv1a64Hex(LearningsDocument.normalizeForDedupe(e))
                    if !hashes.contains(h) && seen.insert(h).inserted { bullets.append(e + marker) }
                    hashes.insert(h)
                }
                record.files[path] = Record.File(size: size, mtimeNanos: mtime, entries: hashes)
            }
        }
        return Harvest(bullets: bullets, record: record, changed: record != before)
    }

    /// The entries of one memory file: its bullets (continuation lines joined), without index
    /// lines that only link to a topic file, and without entries over 300 characters.
    static func entries(in text: String) -> [String] {
        var out: [String] = []
        var inFence = false
        for chunk in LearningsDocument.chunks(TextLines.split(text)) {
            if case .other(let t) = chunk.kind, t.hasPrefix("```") { inFence.toggle() }
            guard !inFence, case .bullet(let raw) = chunk.kind else { continue }
            let t = raw.trimmingCharacters(in: .whitespaces)
            if isLinkOnly(t) || t.count < 12 || t.count > 300 { continue }
            out.append(t)
        }
        return out
    }

    /// `[Title](topic.md)` or `[Title](topic.md) — short description` index lines.
    static func isLinkOnly(_ t: String) -> Bool {
        guard t.hasPrefix("["), let close = t.range(of: "]("), let end = t[close.upperBound...].firstIndex(of: ")") else { return false }
        let target = t[close.upperBound..<end]
        return target.hasSuffix(".md") && !target.contains("://")
    }

    static func isRealDirectory(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }
}
