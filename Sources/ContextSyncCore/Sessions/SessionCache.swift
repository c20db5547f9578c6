import Foundation

/// A per-machine cache of what was read from each transcript, keyed by path and valid while the
/// file's size and mtime are unchanged. It makes warm runs stat-only. Safe to delete any time.
public final class SessionCache: @unchecked Sendable {
    public struct Entry: Sendable, Equatable {
        public var size: Int64
        public var mtimeNanos: Int64
        public var cwd: String?
        public var sessionId: String?
        public var isSidechain: Bool
        /// Present once the whole file was read at this size and mtime.
        public var summary: SessionSummary?
    }

    /// What a folder's transcripts said about their launch directories, valid while the folder's
    /// own mtime is unchanged (Claude Code adds sessions as new files; it never rewrites a
    /// transcript with another launch directory).
    public struct FolderEntry: Sendable, Equatable {
        public var mtimeNanos: Int64
        /// Distinct first `cwd`s of the folder's sessions (raw, before the path map).
        public var cwds: [String]
    }

    /// 3: titles and branches redacted (a cache of version 2 may hold secrets in them and is
    /// dropped, and overwritten by the next save).
    static let formatVersion = 3
    public let path: String?
    private var entries: [String: Entry] = [:]
    private var folders: [String: FolderEntry] = [:]
    private let lock = NSLock()
    private(set) var dirty = false

    /// An in-memory cache (tests, or when the cache directory is not writable).
    public init() {
        self.path = nil
    }

    /// Loads `path`; a missing, unreadable or malformed cache is simply empty.
    public init(path: String) {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else { return }
        guard let value = try? JSONParser.parse([UInt8](data)),
              value["version"]?.number == Double(Self.formatVersion),
              let files = value["files"]?.object
        else {
            // Another version's (or a broken) cache: the next save replaces it, even when
            // nothing new was read (an old version's file may hold what this one redacts).
            dirty = true
            return
        }
        entries.reserveCapacity(files.count)
        for i in files.keys.indices {
            if let e = Self.decode(files.values[i]) { entries[files.keys[i]] = e }
        }
        if let fs = value["folders"]?.object {
            for i in fs.keys.indices {
                guard let m = fs.values[i]["mtime"]?.string.flatMap({ Int64($0) }),
                      let cwds = fs.values[i]["cwds"]?.array else { continue }
                folders[fs.keys[i]] = FolderEntry(mtimeNanos: m, cwds: cwds.compactMap(\.string))
            }
        }
    }

    /// The folder's cached launch directories, when its mtime is unchanged.
    public func folder(_ ref: ClaudeRoot.FolderRef) -> FolderEntry? {
        lock.lock()
        defer { lock.unlock() }
        guard let f = folders[ref.path], f.mtimeNanos == ref.mtimeNanos else { return nil }
        return f
    }

    public func storeFolder(_ ref: ClaudeRoot.FolderRef, cwds: [String]) {
        lock.lock()
        defer { lock.unlock() }
        let e = FolderEntry(mtimeNanos: ref.mtimeNanos, cwds: cwds)
        if folders[ref.path] != e {
            folders[ref.path] = e
            dirty = true
        }
    }

    public func lookup(_ file: SessionFile) -> Entry? {
        lock.lock()
        defer { lock.unlock() }
        guard let e = entries[file.path], e.size == file.size, e.mtimeNanos == file.mtimeNanos else { return nil }
        return e
    }

    public func store(_ file: SessionFile, _ entry: Entry) {
        lock.lock()
        defer { lock.unlock() }
        if entries[file.path] != entry {
            entries[file.path] = entry
            dirty = true
        }
    }

    /// Drops entries of files and folders that no longer exist. Entries inside `keptFolders`
    /// (folders not listed this run) are kept as they are.
    public func retainOnly(_ livePaths: Set<String>, keptFolders: Set<String>, liveFolders: Set<String>) {
        lock.lock()
        defer { lock.unlock() }
        let before = entries.count, foldersBefore = folders.count
        entries = entries.filter { key, _ in
            if livePaths.contains(key) { return true }
            guard let slash = key.lastIndex(of: "/") else { return false }
            return keptFolders.contains(String(key[..<slash]))
        }
        folders = folders.filter { liveFolders.contains($0.key) }
        if entries.count != before || folders.count != foldersBefore { dirty = true }
    }

    /// Writes the cache atomically when it changed. Failures are ignored: it is only a cache.
    public func save() {
        lock.lock()
        defer { lock.unlock() }
        guard dirty, let path else { return }
        var files = JSONObject()
        files.keys.reserveCapacity(entries.count)
        for key in entries.keys.sorted() {
            files.keys.append(key)
            files.values.append(Self.encode(entries[key]!))
        }
        var folderObj = JSONObject()
        for key in folders.keys.sorted() {
            var b = JSONObjectBuilder()
            b.set("mtime", String(folders[key]!.mtimeNanos))
            b.set("cwds", .array(folders[key]!.cwds.map(JSONValue.string)))
            folderObj.keys.append(key)
            folderObj.values.append(b.value)
        }
        var root = JSONObjectBuilder()
        root.set("version", Self.formatVersion)
        root.set("files", .object(files))
        root.set("folders", .object(folderObj))
        try? AtomicFile.write(root.value.serialized(), to: path, mode: 0o600)
        dirty = false
    }

    static func encode(_ e: Entry) -> JSONValue {
        var b = JSONObjectBuilder()
        b.set("size", e.size)
        b.set("mtime", String(e.mtimeNanos))
        b.set("cwd", e.cwd)
        b.set("sid", e.sessionId)
        if e.isSidechain { b.set("sidechain", true) }
        b.set("summary", e.summary.map { $0.jsonValue })
        return b.value
    }

    static func decode(_ v: JSONValue) -> Entry? {
        guard let size = v["size"]?.number, let mtime = v["mtime"]?.string.flatMap({ Int64($0) }) else { return nil }
        return Entry(size: Int64(size), mtimeNanos: mtime, cwd: v["cwd"]?.string, sessionId: v["sid"]?.string,
                     isSidechain: v["sidechain"]?.bool ?? false, summary: v["summary"].flatMap(SessionSummary.init(json:)))
    }
}

extension SessionSummary {
    /// The summary as JSON (also the `--json` shape of a session's details).
    public var jsonValue: JSONValue {
        var b = JSONObjectBuilder()
        b.set("id", id)
        b.set("innerSessionId", innerSessionId)
        b.set("cwd", cwd)
        b.set("branch", branch)
        b.set("version", version)
        b.set("firstTimestamp", firstTimestamp)
        b.set("lastTimestamp", lastTimestamp)
        b.set("title", title)
        b.set("humanPrompts", humanPrompts)
        b.set("toolCalls", toolCalls)
        b.set("toolErrors", toolErrors)
        b.set("interrupts", interrupts)
        b.set("compactions", compactions)
        b.set("records", records)
        b.set("malformedLines", malformedLines)
        if isSidechainFile { b.set("sidechainFile", true) }
        return b.value
    }

    public init?(json v: JSONValue) {
        guard let id = v["id"]?.string else { return nil }
        self.init(id: id)
        innerSessionId = v["innerSessionId"]?.string
        cwd = v["cwd"]?.string
        branch = v["branch"]?.string
        version = v["version"]?.string
        firstTimestamp = v["firstTimestamp"]?.string
        lastTimestamp = v["lastTimestamp"]?.string
        title = v["title"]?.string
        humanPrompts = Int(v["humanPrompts"]?.number ?? 0)
        toolCalls = Int(v["toolCalls"]?.number ?? 0)
        toolErrors = Int(v["toolErrors"]?.number ?? 0)
        interrupts = Int(v["interrupts"]?.number ?? 0)
        compactions = Int(v["compactions"]?.number ?? 0)
        records = Int(v["records"]?.number ?? 0)
        malformedLines = Int(v["malformedLines"]?.number ?? 0)
        isSidechainFile = v["sidechainFile"]?.bool ?? false
    }
}
