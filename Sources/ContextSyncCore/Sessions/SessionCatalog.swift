import Foundation

/// A session transcript with its launch directory, as found on this machine.
public struct SessionHead: Sendable {
    public var file: SessionFile
    /// The first `cwd` written in the file, as written.
    public var rawCwd: String?
    /// `rawCwd` after the configured path map (foreign prefixes rewritten).
    public var cwd: String?
    public var sessionId: String?
    public var isSidechain: Bool
}

/// Everything under a Claude root: folders, their sessions and each session's launch directory.
/// Reads only what the cache does not already know, in parallel.
public final class SessionCatalog {
    public let root: ClaudeRoot
    public let cache: SessionCache
    public let config: Config
    /// Files that could not be read (vanished, permission denied): path and reason.
    public private(set) var warnings: [String] = []
    public private(set) var folders: [ProjectFolderListing] = []
    public private(set) var heads: [SessionHead] = []
    /// Old-layout (2.0.x) subagent files by the session id written inside them.
    public private(set) var topLevelAgents: [String: [String]] = [:]

    public init(root: ClaudeRoot, cache: SessionCache, config: Config) {
        self.root = root
        self.cache = cache
        self.config = config
    }

    /// Lists the folders and learns each session's launch `cwd` (from cache, else the file head).
    ///
    /// `mayContain`, when given, is asked with the (path-mapped) launch directories a folder held
    /// last time; a folder whose listing is unchanged since and for which it answers false is not
    /// listed at all. That keeps a warm run to one `stat` per folder.
    public func load(mayContain: ((String) -> Bool)? = nil) throws {
        let refs = try root.listFolderRefs()
        var listed: [(ClaudeRoot.FolderRef, ProjectFolderListing)] = []
        var skipped = Set<String>()
        for ref in refs {
            if let mayContain, let known = cache.folder(ref),
               !known.cwds.contains(where: { mayContain(config.mapPath($0)) }) {
                skipped.insert(ref.path)
                continue
            }
            listed.append((ref, root.listFolder(ref)))
        }
        folders = listed.map(\.1)
        var files: [SessionFile] = []
        var agents: [SessionFile] = []
        for f in folders {
            files.append(contentsOf: f.sessions)
            agents.append(contentsOf: f.agentFiles)
        }
        let all = files + agents
        let found = entries(all, withSummary: false)
        var heads: [SessionHead] = []
        heads.reserveCapacity(files.count)
        var cwdsByFolder: [String: Set<String>] = [:]
        var unreadable = Set<String>()
        for (i, file) in all.enumerated() {
            guard let e = found[i] else { unreadable.insert(file.folder); continue }
            if i >= files.count {
                if let sid = e.sessionId { topLevelAgents[sid, default: []].append(file.path) }
                continue
            }
            if let c = e.cwd, !e.isSidechain { cwdsByFolder[file.folder, default: []].insert(c) }
            heads.append(SessionHead(file: file, rawCwd: e.cwd, cwd: e.cwd.map { config.mapPath($0) },
                                     sessionId: e.sessionId, isSidechain: e.isSidechain))
        }
        for (ref, _) in listed where !unreadable.contains(ref.name) {
            cache.storeFolder(ref, cwds: (cwdsByFolder[ref.name] ?? []).sorted())
        }
        self.heads = heads
        cache.retainOnly(Set(all.map(\.path)), keptFolders: skipped, liveFolders: Set(refs.map(\.path)))
    }

    /// Full summaries for `files` (cache first, then parallel reads). Unreadable files are skipped
    /// with a warning.
    public func summaries(for files: [SessionFile]) -> [String: SessionSummary] {
        let found = entries(files, withSummary: true)
        var out: [String: SessionSummary] = [:]
        for (i, f) in files.enumerated() { if let s = found[i]?.summary { out[f.path] = s } }
        return out
    }

    /// The one loader: each file's cache entry, from the cache when it holds what is asked (the
    /// head; with `withSummary`, the summary too), else read in parallel and stored: the head
    /// only (its first lines), or the whole file once, which gives the summary and, for a file
    /// the cache did not know, the head too. nil (and a warning) where the file could not be read.
    private func entries(_ files: [SessionFile], withSummary: Bool) -> [SessionCache.Entry?] {
        let results = ConcurrentResults<SessionCache.Entry>(count: files.count)
        let errors = ConcurrentResults<String>(count: files.count)
        var todo: [Int] = []
        for (i, f) in files.enumerated() {
            if let e = cache.lookup(f), !withSummary || e.summary != nil { results[i] = e } else { todo.append(i) }
        }
        let pending = todo, cache = self.cache
        DispatchQueue.concurrentPerform(iterations: pending.count) { k in
            let i = pending[k]
            let f = files[i]
            do {
                let e: SessionCache.Entry
                if withSummary {
                    let s = try SessionSummary.read(path: f.path, id: f.id)
                    var known = cache.lookup(f) ?? SessionCache.Entry(size: f.size, mtimeNanos: f.mtimeNanos, cwd: s.cwd,
                                                                      sessionId: s.innerSessionId ?? f.id,
                                                                      isSidechain: s.isSidechainFile, summary: nil)
                    known.summary = s
                    e = known
                } else {
                    let h = try SessionSummary.readHead(path: f.path)
                    e = SessionCache.Entry(size: f.size, mtimeNanos: f.mtimeNanos, cwd: h.cwd, sessionId: h.sessionId,
                                           isSidechain: h.isSidechain, summary: nil)
                }
                cache.store(f, e)
                results[i] = e
            } catch {
                errors[i] = "\(f.path): \(error)"
            }
        }
        warnings.append(contentsOf: errors.values.compactMap { $0 })
        return results.values
    }
}

/// A text function the caller promises is pure (no state, no side effects), so concurrent
/// workers may share it although closures are not `Sendable`.
struct PureFunction: @unchecked Sendable {
    let apply: (String) -> String
}

enum ConcurrentWork {
    /// Indexes of `sizes`, largest first (ties in index order): the order to hand work to
    /// `concurrentPerform`, whose threads take the next item as they finish, so a large item
    /// does not start last and run alone.
    static func largestFirst(_ sizes: [Int]) -> [Int] {
        sizes.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }
    }

    /// `(0..<count).map(body)`, computed in parallel (the largest `sizes` first when given) and
    /// returned in index order: the serial result.
    static func map<T>(_ count: Int, largestFirst sizes: [Int]? = nil, _ body: @Sendable (Int) -> T) -> [T] {
        let out = ConcurrentResults<T>(count: count)
        let order = sizes.map(largestFirst)
        DispatchQueue.concurrentPerform(iterations: count) { k in
            let i = order?[k] ?? k
            out[i] = body(i)
        }
        return out.values.map { $0! }
    }
}

/// A fixed-size result array that concurrent workers fill at distinct indices.
final class ConcurrentResults<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()

    init(count: Int) {
        storage = Array(repeating: nil, count: count)
    }

    subscript(i: Int) -> T? {
        get { lock.lock(); defer { lock.unlock() }; return storage[i] }
        set { lock.lock(); storage[i] = newValue; lock.unlock() }
    }

    var values: [T?] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
