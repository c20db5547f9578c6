import Clibgit2
import Foundation

/// A bullet the code no longer supports.
public struct StaleBullet: Sendable, Equatable {
    public var text: String
    /// The path or project command the bullet names.
    public var name: String
    /// Why, in a sentence: what is gone, where it went, and the commit that removed it.
    public var reason: String
    /// `<short id> <subject>` of the commit that removed it.
    public var removedIn: String
    /// Where git's rename detection found the file went.
    public var renamedTo: String?
}

/// `context-sync stale`: bullets naming a repository path that no longer exists at HEAD, or a
/// project command (`make X`, `just X`, `npm run X` and the like) whose definition is gone.
/// One pass over HEAD's tree (libgit2, no checkout) lists what exists; only for a name that is
/// missing is the history walked (bounded) to find the commit that removed it. A name that was
/// never in the history (a build output, a file outside git) is not called stale: the evidence
/// bar is the commit that removed it.
public enum StaleBullets {
    public static func find(in doc: LearningsDocument, repo: Repository, tree: ObjectID, maxCommits: Int = 5000) throws -> [StaleBullet] {
        let index = try TreeIndex(repo: repo, tree: tree)
        var history: [ObjectID]?
        func commits() throws -> [ObjectID] {
            if let history { return history }
            let h = try repo.recentCommits(limit: maxCommits)
            history = h
            return h
        }
        var out: [StaleBullet] = []
        var seen = Set<String>()
        for text in doc.allBullets where seen.insert(text).inserted {
            for path in pathNames(in: text) where !index.exists(path) {
                guard let removal = try repo.commitRemoving(path: path, in: try commits()) else { continue }
                var reason = "`\(path)` no longer exists at HEAD"
                if let to = removal.renamedTo, index.exists(to) { reason += " (renamed to `\(to)`)" }
                reason += "; removed in \(removal.commit)"
                out.append(StaleBullet(text: text, name: path, reason: reason, removedIn: removal.commit,
                                       renamedTo: removal.renamedTo))
                break
            }
            if out.last?.text == text { continue }
            for cmd in commandNames(in: text) {
                guard let file = cmd.definitionFile, index.files.contains(file) || cmd.kind != .npm else { continue }
                let defined = try index.defines(cmd, repo: repo)
                guard !defined, let removal = try repo.commitRemoving(definitionOf: cmd, in: try commits()) else { continue }
                out.append(StaleBullet(text: text, name: cmd.display,
                                       reason: "`\(cmd.display)` is no longer defined in \(file); removed in \(removal)",
                                       removedIn: removal, renamedTo: nil))
                break
            }
        }
        return out
    }

    // MARK: - Names in a bullet

    /// Repository-relative paths named in backticks (or bare, when they contain a `/`).
    static func pathNames(in text: String) -> [String] {
        var tokens: [Substring] = []
        for (i, part) in text.split(separator: "`", omittingEmptySubsequences: false).enumerated() {
            if i % 2 == 1 { tokens += part.split(whereSeparator: { $0 == " " || $0 == "\t" }) }
            else { tokens += part.split(whereSeparator: { $0 == " " || $0 == "\t" }).filter { $0.contains("/") } }
        }
        var out: [String] = []
        for raw in tokens {
            var t = raw
            while let f = t.first, "\"'(<[{".contains(f) { t = t.dropFirst() }
            while let l = t.last, "\"')>]},;:.!?".contains(l) { t = t.dropLast() }
            if t.hasPrefix("./") { t = t.dropFirst(2) }
            if let colon = t.firstIndex(of: ":"), t[t.index(after: colon)...].allSatisfy(\.isNumber) { t = t[..<colon] }
            while t.hasSuffix("/") { t = t.dropLast() }
            guard !t.isEmpty, !t.contains("://"), !t.contains("*"), !t.contains("="), !t.contains("$"),
                  let f = t.first, f != "/", f != "~", f != "-", f != "@", f != "%" else { continue }
            let segments = t.split(separator: "/")
            guard segments.allSatisfy({ s in !s.isEmpty && s != ".." && s.contains { $0.isLetter } }) else { continue }
            let isFileName = segments.count == 1 && segments[0].contains(".") && !segments[0].hasPrefix(".")
                && (segments[0].split(separator: ".").last.map { $0.count <= 6 && $0.allSatisfy(\.isLetter) } ?? false)
            guard segments.count > 1 || isFileName else { continue }
            out.append(String(t))
        }
        return out
    }

    struct ProjectCommand: Equatable {
        enum Kind { case make, just, npm }
        var kind: Kind
        var target: String
        /// The file that defines it (repository-relative).
        var definitionFile: String? {
            switch kind {
            case .make: return "Makefile"
            case .just: return "justfile"
            case .npm: return "package.json"
            }
        }
        var display: String {
            switch kind {
            case .make: return "make \(target)"
            case .just: return "just \(target)"
            case .npm: return "npm run \(target)"
            }
        }
    }

    /// `make X`, `just X`, `npm|pnpm|yarn|bun run X` (and `npm test`/`npm start`) in backticks.
    static func commandNames(in text: String) -> [ProjectCommand] {
        var out: [ProjectCommand] = []
        for (i, part) in text.split(separator: "`", omittingEmptySubsequences: false).enumerated() where i % 2 == 1 {
            for piece in part.components(separatedBy: "&&") {
                let w = piece.split(separator: " ").map(String.init)
                guard let program = w.first else { continue }
                let args = w.dropFirst().filter { !$0.hasPrefix("-") && !$0.contains("=") }
                switch program {
                case "make":
                    if !w.contains("-C"), !w.contains("-f"), let t = args.first { out.append(.init(kind: .make, target: t)) }
                case "just":
                    if let t = args.first { out.append(.init(kind: .just, target: t)) }
                case "npm", "pnpm", "yarn", "bun":
                    if !w.contains("--prefix"), !w.contains("-C"), !w.contains("--dir"), !w.contains("--filter") {
                        let a = Array(args)
                        if a.first == "run", a.count > 1 { out.append(.init(kind: .npm, target: a[1])) }
                        else if program == "npm", let f = a.first, f == "test" || f == "start" { out.append(.init(kind: .npm, target: f)) }
                    }
                default: break
                }
            }
        }
        return out
    }

    static func defines(_ cmd: ProjectCommand, text: String) -> Bool {
        switch cmd.kind {
        case .npm:
            guard let v = try? JSONParser.parse(Array(text.utf8)), let scripts = v["scripts"]?.object else { return false }
            return scripts.keys.contains(cmd.target)
        case .make, .just:
            for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
                guard let f = line.first, f != " ", f != "\t", f != "#" else { continue }
                var head = line
                if cmd.kind == .just, head.hasPrefix("@") { head = head.dropFirst() }
                guard let colon = head.firstIndex(of: ":") else { continue }
                if head[head.index(after: colon)...].hasPrefix("=") { continue }
                let names = head[..<colon].split(separator: " ")
                if cmd.kind == .make ? names.contains(Substring(cmd.target)) : names.first == Substring(cmd.target) { return true }
            }
            return false
        }
    }
}

/// The paths of one tree, listed once.
struct TreeIndex {
    var files = Set<String>()
    var dirs = Set<String>()
    var baseNames = Set<String>()
    let tree: ObjectID

    init(repo: Repository, tree: ObjectID) throws {
        self.tree = tree
        final class Box { var files: [String] = []; var dirs: [String] = [] }
        let box = Box()
        var t: OpaquePointer?
        var raw = tree.raw
        try check(git_tree_lookup(&t, repo.pointer, &raw), "git_tree_lookup")
        defer { git_tree_free(t) }
        let payload = Unmanaged.passUnretained(box).toOpaque()
        let rc = git_tree_walk(t, GIT_TREEWALK_PRE, { root, entry, payload in
            guard let root, let entry, let payload else { return 0 }
            let b = Unmanaged<Box>.fromOpaque(payload).takeUnretainedValue()
            let path = String(cString: root) + String(cString: git_tree_entry_name(entry))
            if git_tree_entry_type(entry) == GIT_OBJECT_TREE { b.dirs.append(path) } else { b.files.append(path) }
            return 0
        }, payload)
        try check(rc, "git_tree_walk")
        files = Set(box.files)
        dirs = Set(box.dirs)
        baseNames = Set(box.files.map { String($0.split(separator: "/").last ?? "") })
    }

    func exists(_ path: String) -> Bool {
        if files.contains(path) || dirs.contains(path) { return true }
        return !path.contains("/") && baseNames.contains(path)
    }

    func defines(_ cmd: StaleBullets.ProjectCommand, repo: Repository) throws -> Bool {
        let candidates: [String]
        switch cmd.kind {
        case .make: candidates = ["Makefile", "makefile", "GNUmakefile"]
        case .just: candidates = ["justfile", "Justfile", ".justfile"]
        case .npm: candidates = files.filter { $0 == "package.json" || $0.hasSuffix("/package.json") }.sorted()
        }
        for c in candidates where files.contains(c) {
            if let bytes = try repo.fileBytes(tree: tree, path: c),
               StaleBullets.defines(cmd, text: String(decoding: bytes, as: UTF8.self)) { return true }
        }
        // No definition file at all: only stale if the history shows one defined it.
        return false
    }
}

extension Repository {
    /// Commits reachable from HEAD, newest first, at most `limit`.
    func recentCommits(limit: Int) throws -> [ObjectID] {
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, pointer), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue)
        try check(git_revwalk_push_head(walk), "git_revwalk_push_head")
        var out: [ObjectID] = []
        var oid = git_oid()
        while out.count < limit, git_revwalk_next(&oid, walk) == 0 { out.append(ObjectID(oid)) }
        return out
    }

    /// `<short id> <subject>` of a commit.
    func describe(_ id: ObjectID) -> String {
        var c: OpaquePointer?
        var raw = id.raw
        guard git_commit_lookup(&c, pointer, &raw) == 0 else { return String(id.description.prefix(8)) }
        defer { git_commit_free(c) }
        return String(id.description.prefix(8)) + " " + (git_commit_summary(c).map { String(cString: $0) } ?? "")
    }

    func firstParent(_ id: ObjectID) -> ObjectID? {
        var c: OpaquePointer?
        var raw = id.raw
        guard git_commit_lookup(&c, pointer, &raw) == 0 else { return nil }
        defer { git_commit_free(c) }
        guard git_commit_parentcount(c) > 0, let p = git_commit_parent_id(c, 0) else { return nil }
        return ObjectID(p.pointee)
    }

    /// The newest commit among `commits` whose first parent has `path` and which does not, and
    /// where git's rename detection says it went.
    func commitRemoving(path: String, in commits: [ObjectID]) throws -> (commit: String, renamedTo: String?)? {
        for id in commits {
            guard let parent = firstParent(id) else { continue }
            let tree = try treeOfCommit(id), ptree = try treeOfCommit(parent)
            guard try anyTreeEntry(tree: tree, path: path) == nil, try anyTreeEntry(tree: ptree, path: path) != nil else { continue }
            return (describe(id), try renamed(path, from: ptree, to: tree))
        }
        return nil
    }

    /// The newest commit among `commits` after which the definition of `cmd` is gone.
    func commitRemoving(definitionOf cmd: StaleBullets.ProjectCommand, in commits: [ObjectID]) throws -> String? {
        guard let file = cmd.definitionFile else { return nil }
        for id in commits {
            guard let parent = firstParent(id) else { continue }
            let tree = try treeOfCommit(id), ptree = try treeOfCommit(parent)
            let now = try anyTreeEntry(tree: tree, path: file), before = try anyTreeEntry(tree: ptree, path: file)
            guard let before, now?.id != before.id else { continue }
            let had = StaleBullets.defines(cmd, text: String(decoding: try blobBytes(before.id), as: UTF8.self))
            let has = try now.map { StaleBullets.defines(cmd, text: String(decoding: try blobBytes($0.id), as: UTF8.self)) } ?? false
            if had && !has { return describe(id) }
        }
        return nil
    }

    private func renamed(_ path: String, from old: ObjectID, to new: ObjectID) throws -> String? {
        var a: OpaquePointer?, b: OpaquePointer?
        var ra = old.raw, rb = new.raw
        try check(git_tree_lookup(&a, pointer, &ra), "git_tree_lookup")
        defer { git_tree_free(a) }
        try check(git_tree_lookup(&b, pointer, &rb), "git_tree_lookup")
        defer { git_tree_free(b) }
        var diff: OpaquePointer?
        try check(git_diff_tree_to_tree(&diff, pointer, a, b, nil), "git_diff_tree_to_tree")
        defer { git_diff_free(diff) }
        var find = git_diff_find_options()
        git_diff_find_options_init(&find, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION))
        find.flags = GIT_DIFF_FIND_RENAMES.rawValue
        try check(git_diff_find_similar(diff, &find), "git_diff_find_similar")
        for i in 0..<git_diff_num_deltas(diff) {
            guard let d = git_diff_get_delta(diff, i), d.pointee.status == GIT_DELTA_RENAMED,
                  String(cString: d.pointee.old_file.path) == path else { continue }
            return String(cString: d.pointee.new_file.path)
        }
        return nil
    }
}

extension StaleBullets {
    /// The stale bullets of the repository containing `projectPath` (its work-tree
    /// learnings.md, else HEAD's), read without following symlinks.
    public static func find(projectPath: String) throws -> [StaleBullet] {
        let repo = try ProjectContext.repository(at: projectPath)
        guard let workdir = repo.workdir else { throw ContextSyncError("no work tree at \(projectPath)") }
        try repo.preflight(forPush: false)
        let head = try repo.head()
        let snapshot = try LearningsSnapshot.read(repo: repo, workdir: workdir, head: head)
        return try find(in: LearningsDocument(parsing: snapshot.learningsBase), repo: repo, tree: head.tree)
    }
}
