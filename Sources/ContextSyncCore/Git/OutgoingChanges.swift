#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Clibgit2

/// One line of git's pre-push stdin: `<local ref> SP <local oid> SP <remote ref> SP <remote oid>`.
public struct PushedRef: Equatable, Sendable {
    public var localRef: String
    public var localOid: String
    public var remoteRef: String
    public var remoteOid: String

    public init(localRef: String, localOid: String, remoteRef: String, remoteOid: String) {
        self.localRef = localRef
        self.localOid = localOid
        self.remoteRef = remoteRef
        self.remoteOid = remoteOid
    }

    /// The local oid is all zeros: the remote ref is being deleted (nothing goes out).
    public var isDeletion: Bool { Self.isZero(localOid) }
    /// The remote oid is all zeros: the remote does not have this ref yet.
    public var isNewRef: Bool { Self.isZero(remoteOid) }

    static func isZero(_ oid: String) -> Bool { oid.allSatisfy { $0 == "0" } }
}

/// Parses git's pre-push stdin.
public enum PrePushInput {
    /// The ref updates, and one message per line that could not be read (those lines are skipped).
    public static func parse(_ text: String) -> (refs: [PushedRef], problems: [String]) {
        var refs: [PushedRef] = []
        var problems: [String] = []
        // Split on Characters that are newlines: "\r\n" is one Character in Swift.
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 4, isOid(fields[1]), isOid(fields[3]) else {
                problems.append("stdin line \(index + 1) is not `<local ref> <local oid> <remote ref> <remote oid>`: skipped")
                continue
            }
            refs.append(PushedRef(localRef: String(fields[0]), localOid: String(fields[1]).lowercased(),
                                  remoteRef: String(fields[2]), remoteOid: String(fields[3]).lowercased()))
        }
        return (refs, problems)
    }

    static func isOid(_ s: Substring) -> Bool {
        (s.count == 40 || s.count == 64) && s.allSatisfy { $0.isHexDigit }
    }
}

/// The lines one commit adds to one file, with their line numbers in the commit's version of it.
public struct AddedLines: Sendable, Equatable {
    /// The commit's full hex id.
    public var commit: String
    /// Repository-relative path.
    public var file: String
    /// 1-based line numbers in the new file, parallel to `lines`.
    public var lineNumbers: [Int]
    /// Each added line's bytes, without its line ending.
    public var lines: [[UInt8]]
}

/// What a push sends, read with libgit2.
public enum OutgoingChanges {
    /// The files whose added lines the pre-push hook checks by default: what Claude Code reads
    /// into every session, and what context-sync writes.
    public static let contextFiles = [".claude/learnings.md", "CLAUDE.md", ".claude/CLAUDE.md"]

    /// Blobs larger than this are treated as binary (not scanned) with `--all-files`.
    static let maxBlobSize: Int64 = 8 << 20

    /// The commits the push sends, oldest first: reachable from the pushed local oids and not
    /// from what the remote is known to have — each ref's remote oid when this repository has it;
    /// for a new ref (or a remote oid unknown here) every `refs/remotes/<remote>/*` ref. `remote`
    /// is git's first hook argument: a remote name, or the URL when pushing to a URL (then the
    /// remotes configured with that URL are used).
    public static func outgoingCommits(in repo: Repository, refs: [PushedRef], remote: String) throws -> [String] {
        let pushes = refs.filter { !$0.isDeletion }
        guard !pushes.isEmpty else { return [] }
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, repo.pointer), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue)
        var needTrackingRefs = false
        for ref in pushes {
            // A tag is walked from the commit it points at; a ref to a tree or blob sends no commits.
            guard var oid = commit(repo, peeling: ref.localOid) else {
                if (try? exists(repo, ref.localOid)) == true { continue }
                throw ContextSyncError("\(ref.localRef) points at \(ref.localOid), which this repository does not have")
            }
            try check(git_revwalk_push(walk, &oid), "git_revwalk_push(\(ref.localOid))")
            if ref.isNewRef {
                needTrackingRefs = true
            } else if var remoteOid = commit(repo, peeling: ref.remoteOid) {
                try check(git_revwalk_hide(walk, &remoteOid), "git_revwalk_hide(\(ref.remoteOid))")
            } else {
                needTrackingRefs = true
            }
        }
        if needTrackingRefs {
            for var tip in trackingTips(repo, remote: remote) {
                _ = git_revwalk_hide(walk, &tip)  // a tip that is not a commit hides nothing
            }
        }
        var out: [String] = []
        var oid = git_oid()
        while true {
            let rc = git_revwalk_next(&oid, walk)
            if rc == GIT_ITEROVER.rawValue { break }
            try check(rc, "git_revwalk_next")
            out.append(Repository.hex(oid))
        }
        return out
    }

    /// The lines `commit` adds compared with its first parent (a root commit: with the empty
    /// tree), for `paths` only (exact repository-relative paths), or for every file when nil.
    /// Binary files and deletions add nothing.
    public static func addedLines(in repo: Repository, commit: String, paths: [String]?) throws -> [AddedLines] {
        var commitOid = try oid(commit)
        var c: OpaquePointer?
        try check(git_commit_lookup(&c, repo.pointer, &commitOid), "git_commit_lookup(\(commit))")
        defer { git_commit_free(c) }
        var newTree: OpaquePointer?
        try check(git_commit_tree(&newTree, c), "git_commit_tree")
        defer { git_tree_free(newTree) }
        var oldTree: OpaquePointer?
        if git_commit_parentcount(c) > 0 {
            var parent: OpaquePointer?
            try check(git_commit_parent(&parent, c, 0), "git_commit_parent")
            defer { git_commit_free(parent) }
            try check(git_commit_tree(&oldTree, parent), "git_commit_tree")
        }
        defer { if oldTree != nil { git_tree_free(oldTree) } }

        var opts = git_diff_options()
        try check(git_diff_options_init(&opts, UInt32(GIT_DIFF_OPTIONS_VERSION)), "git_diff_options_init")
        opts.context_lines = 0
        opts.max_size = maxBlobSize
        opts.flags |= GIT_DIFF_IGNORE_SUBMODULES.rawValue
        var diff: OpaquePointer?
        let rc: Int32
        if let paths {
            opts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH.rawValue
            let cStrings = paths.map { strdup($0) }
            defer { cStrings.forEach { free($0) } }
            var pointers: [UnsafeMutablePointer<CChar>?] = cStrings
            rc = pointers.withUnsafeMutableBufferPointer { buf in
                opts.pathspec = git_strarray(strings: buf.baseAddress, count: buf.count)
                return git_diff_tree_to_tree(&diff, repo.pointer, oldTree, newTree, &opts)
            }
        } else {
            rc = git_diff_tree_to_tree(&diff, repo.pointer, oldTree, newTree, &opts)
        }
        try check(rc, "git_diff_tree_to_tree(\(commit))")
        defer { git_diff_free(diff) }

        var out: [AddedLines] = []
        for index in 0..<git_diff_num_deltas(diff) {
            guard let delta = git_diff_get_delta(diff, index) else { continue }
            let status = delta.pointee.status
            guard status == GIT_DELTA_ADDED || status == GIT_DELTA_MODIFIED || status == GIT_DELTA_TYPECHANGE
                    || status == GIT_DELTA_RENAMED || status == GIT_DELTA_COPIED,
                  let pathPointer = delta.pointee.new_file.path else { continue }
            let path = String(cString: pathPointer)
            if let paths, !paths.contains(path) { continue }
            var patch: OpaquePointer?
            try check(git_patch_from_diff(&patch, diff, index), "git_patch_from_diff(\(path))")
            guard let patch else { continue }  // binary or unchanged
            defer { git_patch_free(patch) }
            if delta.pointee.flags & GIT_DIFF_FLAG_BINARY.rawValue != 0 { continue }
            var added = AddedLines(commit: commit, file: path, lineNumbers: [], lines: [])
            for hunk in 0..<git_patch_num_hunks(patch) {
                let count = git_patch_num_lines_in_hunk(patch, hunk)
                guard count > 0 else { continue }
                for l in 0..<Int(count) {
                    var line: UnsafePointer<git_diff_line>?
                    guard git_patch_get_line_in_hunk(&line, patch, hunk, l) == 0, let line,
                          line.pointee.origin == CChar(UInt8(ascii: "+")), let content = line.pointee.content else { continue }
                    var bytes = [UInt8](UnsafeRawBufferPointer(start: content, count: line.pointee.content_len))
                    if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
                    if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
                    added.lineNumbers.append(Int(line.pointee.new_lineno))
                    added.lines.append(bytes)
                }
            }
            if !added.lines.isEmpty { out.append(added) }
        }
        return out
    }

    /// The oids of `refs/remotes/<remote>/*` for `remote` (or for every remote configured with
    /// `remote` as its URL).
    static func trackingTips(_ repo: Repository, remote: String) -> [git_oid] {
        var names = Set<String>()
        let configured = repo.remoteNames
        if configured.contains(remote) {
            names.insert(remote)
        } else {
            for name in configured where repo.configString("remote.\(name).url") == remote
                || repo.configString("remote.\(name).pushurl") == remote {
                names.insert(name)
            }
        }
        guard !names.isEmpty else { return [] }
        var list = git_strarray()
        guard git_reference_list(&list, repo.pointer) == 0 else { return [] }
        defer { git_strarray_dispose(&list) }
        var out: [git_oid] = []
        for ref in Repository.strings(list) {
            guard names.contains(where: { ref.hasPrefix("refs/remotes/\($0)/") }) else { continue }
            var oid = git_oid()
            if git_reference_name_to_id(&oid, repo.pointer, ref) == 0 { out.append(oid) }
        }
        return out
    }

    static func exists(_ repo: Repository, _ hex: String) throws -> Bool {
        var oid = try oid(hex)
        var object: OpaquePointer?
        guard git_object_lookup(&object, repo.pointer, &oid, GIT_OBJECT_ANY) == 0 else { return false }
        git_object_free(object)
        return true
    }

    /// The commit `hex` names, peeling tags; nil when this repository lacks it or it is no commit.
    static func commit(_ repo: Repository, peeling hex: String) -> git_oid? {
        guard var oid = try? oid(hex) else { return nil }
        var object: OpaquePointer?
        guard git_object_lookup(&object, repo.pointer, &oid, GIT_OBJECT_ANY) == 0 else { return nil }
        defer { git_object_free(object) }
        var peeled: OpaquePointer?
        guard git_object_peel(&peeled, object, GIT_OBJECT_COMMIT) == 0 else { return nil }
        defer { git_object_free(peeled) }
        return git_object_id(peeled).pointee
    }

    static func oid(_ hex: String) throws -> git_oid {
        var oid = git_oid()
        try check(git_oid_fromstr(&oid, hex), "git_oid_fromstr(\(hex))")
        return oid
    }
}
