#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A transcript file found under `projects/`, with what `stat` said about it.
public struct SessionFile: Sendable, Equatable {
    public var path: String
    /// The project folder's name (Claude Code's encoding of the launch directory).
    public var folder: String
    /// The file name without `.jsonl`.
    public var id: String
    public var size: Int64
    /// Modification time in nanoseconds since the epoch.
    public var mtimeNanos: Int64

    public var mtimeSeconds: Double { Double(mtimeNanos) / 1e9 }
}

/// A folder under `projects/`.
public struct ProjectFolderListing: Sendable {
    public var name: String
    public var path: String
    /// Top-level `*.jsonl` session transcripts (not `agent-*.jsonl`).
    public var sessions: [SessionFile]
    /// Top-level `agent-*.jsonl` (the 2.0.x subagent layout).
    public var agentFiles: [SessionFile]
}

/// Claude Code's configuration root and what lies under its `projects/` folder.
public struct ClaudeRoot: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public var projectsPath: String { path + "/projects" }

    /// A folder under `projects/` and its own modification time (changes when files are added,
    /// removed or renamed in it, not when a transcript is appended to).
    public struct FolderRef: Sendable {
        public var name: String
        public var path: String
        public var mtimeNanos: Int64
    }

    /// The project folders: one `readdir` and a `stat` per folder. A missing `projects/` folder is
    /// an empty root; an unreadable one is an error.
    public func listFolderRefs() throws -> [FolderRef] {
        guard Paths.isDirectory(projectsPath) else {
            if Paths.exists(path) || !Paths.exists(projectsPath) { return [] }
            throw ContextSyncError("not a directory: \(projectsPath)")
        }
        var out: [FolderRef] = []
        for name in try Self.entries(projectsPath) where !name.hasPrefix(".") {
            let folderPath = projectsPath + "/" + name
            var st = stat()
            guard stat(folderPath, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { continue }
            out.append(FolderRef(name: name, path: folderPath, mtimeNanos: Self.mtimeNanos(st)))
        }
        return out.sorted { $0.name < $1.name }
    }

    /// The transcripts of one folder: `readdir` and `stat` only, no file reads.
    public func listFolder(_ ref: FolderRef) -> ProjectFolderListing {
        var listing = ProjectFolderListing(name: ref.name, path: ref.path, sessions: [], agentFiles: [])
        for file in (try? Self.entries(ref.path)) ?? [] where file.hasSuffix(".jsonl") && !file.hasPrefix(".") {
            let p = ref.path + "/" + file
            var st = stat()
            guard stat(p, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            let f = SessionFile(path: p, folder: ref.name, id: String(file.dropLast(6)), size: Int64(st.st_size),
                                mtimeNanos: Self.mtimeNanos(st))
            if file.hasPrefix("agent-") { listing.agentFiles.append(f) } else { listing.sessions.append(f) }
        }
        listing.sessions.sort { $0.id < $1.id }
        return listing
    }

    /// Every project folder with its transcripts.
    public func listFolders() throws -> [ProjectFolderListing] {
        try listFolderRefs().map(listFolder)
    }

    /// Subagent transcripts in the 2.1.x layout: `<folder>/<id>/subagents/**/agent-*.jsonl`.
    public static func subagentFiles(of session: SessionFile) -> [String] {
        let dir = String(session.path.dropLast(6)) + "/subagents"
        var out: [String] = []
        func walk(_ d: String, depth: Int) {
            guard depth < 8, let names = try? entries(d) else { return }
            for n in names where !n.hasPrefix(".") {
                let p = d + "/" + n
                if n.hasPrefix("agent-") && n.hasSuffix(".jsonl") {
                    out.append(p)
                } else if Paths.isDirectory(p) {
                    walk(p, depth: depth + 1)
                }
            }
        }
        walk(dir, depth: 0)
        return out.sorted()
    }

    static func entries(_ dir: String) throws -> [String] {
        guard let d = opendir(dir) else { throw ContextSyncError.io("cannot read directory", path: dir, errno: errno) }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name = withUnsafePointer(to: e.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            out.append(name)
        }
        return out
    }

    static func mtimeNanos(_ st: stat) -> Int64 {
        #if canImport(Darwin)
        return Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
        #else
        return Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        #endif
    }
}
