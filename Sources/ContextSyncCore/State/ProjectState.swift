import Foundation

/// Per-project state under `$XDG_STATE_HOME/context-sync/projects/<identity>.json`: the sessions
/// already processed (id → size and mtime seen) and a pending push, if any. Written atomically.
public struct ProjectState: Sendable, Equatable {
    public struct Processed: Sendable, Equatable {
        public var size: Int64
        public var mtimeNanos: Int64
        public var processedAt: String?

        public init(size: Int64, mtimeNanos: Int64, processedAt: String? = nil) {
            self.size = size
            self.mtimeNanos = mtimeNanos
            self.processedAt = processedAt
        }
    }

    static let formatVersion = 1
    public var identity: String
    public var sessions: [String: Processed] = [:]
    /// Branch whose commit is waiting to be pushed (set by a run that could not push).
    public var pendingPush: String?
    /// The sessions the last `digest` showed, at the size and mtime it read; `apply` marks
    /// exactly these processed (sessions that appeared since stay new).
    public var lastDigest: DigestRecord?

    public struct DigestRecord: Sendable, Equatable {
        /// When the digest was made (ISO 8601).
        public var at: String
        public var sessions: [SessionMark]

        public init(at: String, sessions: [SessionMark]) {
            self.at = at
            self.sessions = sessions
        }
    }

    public init(identity: String) {
        self.identity = identity
    }

    /// The state file of `identity` under `stateDirectory`.
    public static func path(for identity: ProjectIdentity, stateDirectory: String) -> String {
        stateDirectory + "/projects/" + identity.fileName + ".json"
    }

    /// Loads the state; missing means empty. An unreadable or corrupt file (a directory in its
    /// place, no permission, not our JSON) is an error naming it: never silently an empty state,
    /// which would reprocess every session and forget a pending push.
    public static func load(from path: String, identity: String) throws -> ProjectState {
        let remedy = "move it away to start over; sessions will be processed again"
        guard let data = try UserFile.readIfPresent(path, what: "state file", remedy: remedy) else {
            return ProjectState(identity: identity)
        }
        guard let v = try? JSONParser.parse(data), let sessions = v["sessions"]?.object else {
            throw ContextSyncError("corrupt state file \(path) (move it away to start over; sessions will be processed again)")
        }
        var s = ProjectState(identity: v["identity"]?.string ?? identity)
        for i in sessions.keys.indices {
            let e = sessions.values[i]
            guard let size = e["size"]?.number else { continue }
            let mtime = e["mtime"]?.string.flatMap { Int64($0) } ?? 0
            s.sessions[sessions.keys[i]] = Processed(size: Int64(size), mtimeNanos: mtime,
                                                     processedAt: e["processedAt"]?.string)
        }
        s.pendingPush = v["pendingPush"]?.string
        if let d = v["lastDigest"]?.object, let list = d["sessions"]?.array {
            let marks = list.compactMap { e -> SessionMark? in
                guard let id = e["id"]?.string, let size = e["size"]?.number else { return nil }
                return SessionMark(id: id, size: Int64(size), mtimeNanos: e["mtime"]?.string.flatMap { Int64($0) } ?? 0)
            }
            s.lastDigest = DigestRecord(at: d["at"]?.string ?? "", sessions: marks)
        }
        return s
    }

    public func save(to path: String) throws {
        var sessionsObj = JSONObject()
        for id in sessions.keys.sorted() {
            let p = sessions[id]!
            var b = JSONObjectBuilder()
            b.set("size", p.size)
            b.set("mtime", String(p.mtimeNanos))  // a string: nanoseconds overflow a double's precision
            b.set("processedAt", p.processedAt)
            sessionsObj.keys.append(id)
            sessionsObj.values.append(b.value)
        }
        var root = JSONObjectBuilder()
        root.set("version", Self.formatVersion)
        root.set("identity", identity)
        root.set("sessions", .object(sessionsObj))
        root.set("pendingPush", pendingPush)
        if let d = lastDigest {
            var b = JSONObjectBuilder()
            b.set("at", d.at)
            b.set("sessions", JSONValue.array(d.sessions.map { m in
                var e = JSONObjectBuilder()
                e.set("id", m.id)
                e.set("size", m.size)
                e.set("mtime", String(m.mtimeNanos))
                return e.value
            }))
            root.set("lastDigest", b.value)
        }
        try AtomicFile.write(root.value.serialized(pretty: true) + "\n", to: path, mode: 0o600)
    }

    /// Records `files` as processed at their current size and mtime.
    public mutating func markProcessed(_ files: [SessionFile], at date: Date = Date()) {
        markProcessed(files.map(SessionMark.init), at: date)
    }

    /// Records sessions as processed at the size and mtime given.
    public mutating func markProcessed(_ marks: [SessionMark], at date: Date = Date()) {
        let stamp = ISO8601DateFormatter().string(from: date)
        for m in marks {
            sessions[m.id] = Processed(size: m.size, mtimeNanos: m.mtimeNanos, processedAt: stamp)
        }
    }
}

/// A session as it was when it was read: id, size and mtime.
public struct SessionMark: Sendable, Equatable {
    public var id: String
    public var size: Int64
    public var mtimeNanos: Int64

    public init(id: String, size: Int64, mtimeNanos: Int64) {
        self.id = id
        self.size = size
        self.mtimeNanos = mtimeNanos
    }

    public init(_ file: SessionFile) {
        self.init(id: file.id, size: file.size, mtimeNanos: file.mtimeNanos)
    }
}
