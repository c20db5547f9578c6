#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Clibgit2
import Foundation

/// Pushing context-sync's commits, with retries.
///
/// Target: the branch's upstream, else `origin` and the same branch name. Each try is one
/// network operation run by a `GitNetworkRunner` (by default a child process killed at the
/// deadline). Per try:
/// - pushed → done;
/// - non-fast-forward, or a ref the server refused → fetch; if the remote branch has commits we
///   lack, replay our commits onto it in memory (learnings.md merged with
///   `LearningsDocument.merge`, never conflict markers), update the work tree safely, try
///   again; if there is nothing new, the refusal is the server's policy (a hook, a protected
///   branch) → stop;
/// - authentication or certificate failure → stop, naming what was tried;
/// - network error or deadline → wait (exponential backoff with jitter) and try again.
/// When every try failed for a transient reason the commit stays local: `.queued`.
public enum LearningsPush {
    public struct Options: Sendable {
        public var maxAttempts: Int
        /// Seconds each network operation may take.
        public var attemptDeadline: Double
        /// The first backoff; doubles after each transient failure; ×0.8–1.2 jitter.
        public var initialBackoff: Double
        public var runner: any GitNetworkRunner
        /// Only push when every unpushed commit on the branch is context-sync's own; otherwise
        /// the user's unpushed work would be published by a background job (the push is then
        /// queued until the user pushes themselves).
        public var onlyOwnCommits: Bool
        public var environment: Environment
        /// Sleeps the backoff between tries (tests pass one that does not wait).
        public var clock: any WaitClock

        public init(maxAttempts: Int = 3, attemptDeadline: Double = 60, initialBackoff: Double = 0.5,
                    runner: any GitNetworkRunner = ChildProcessNetworkRunner(),
                    onlyOwnCommits: Bool = true, environment: Environment = .current,
                    clock: any WaitClock = SystemClock()) {
            self.maxAttempts = max(1, maxAttempts)
            self.attemptDeadline = attemptDeadline
            self.initialBackoff = initialBackoff
            self.runner = runner
            self.onlyOwnCommits = onlyOwnCommits
            self.environment = environment
            self.clock = clock
        }
    }

    public enum Outcome: Sendable, Equatable {
        /// The remote already has HEAD.
        case upToDate
        /// Pushed `oid` (the branch tip, after any replay) on try number `attempts`.
        case pushed(oid: String, attempts: Int)
        /// Not pushed for a reason that may pass (network, deadline, the user's own unpushed
        /// commits): retry on the next run.
        case queued(oid: String, reason: String)
        /// Not pushed, and retrying as-is will not help (server policy, credentials,
        /// certificate, a conflict outside learnings.md). The commit stays local.
        case stopped(oid: String, reason: String)
    }

    struct Target {
        var remote: String
        /// `refs/heads/<name>` on the remote.
        var remoteRef: String
        /// `refs/remotes/<remote>/<name>` here.
        var trackingRef: String
    }

    /// Pushes the current branch of the repository at `path`. Throws only for local problems
    /// (no remote, unreadable repository); outcomes of the network are values. `log` receives
    /// one line per step.
    public static func push(repository path: String, options: Options,
                            log: (String) -> Void = { _ in }) throws -> Outcome {
        let repo = try Repository.discover(at: path)
        try repo.preflight(forPush: true)
        return try push(repo: repo, options: options, log: log)
    }

    /// Pushes the current branch of an already opened (and preflighted) repository.
    static func push(repo: Repository, options: Options, log: (String) -> Void = { _ in }) throws -> Outcome {
        var head = try repo.head()
        let target = try pushTarget(repo, head: head)
        let caFile = caFile(repo, environment: options.environment)
        func request(_ op: NetworkRequest.Operation) -> NetworkRequest {
            let short = String(target.remoteRef.dropFirst("refs/heads/".count))
            let specs = op == .push ? ["\(head.refName):\(target.remoteRef)"]
                : ["+\(target.remoteRef):refs/remotes/\(target.remote)/\(short)"]
            return NetworkRequest(operation: op, gitdir: repo.workdir ?? repo.gitdir, remote: target.remote,
                                  refspecs: specs, caFile: caFile)
        }

        if let tracking = repo.referenceTarget(target.trackingRef) {
            if try repo.contains(tracking, head.commit) { return .upToDate }
            if options.onlyOwnCommits, let foreign = try repo.firstForeignCommit(from: head.commit, hiding: tracking) {
                return .queued(oid: head.commit.description, reason: "the branch \(head.branch) has unpushed commits that are not context-sync's (\(foreign)); context-sync does not publish them: push the branch yourself and the learnings go with it")
            }
        }

        var backoff = options.initialBackoff
        var lastTransient = ""
        // Tries that failed for a network reason count against `maxAttempts`; a non-fast-forward
        // that was fetched and replayed is progress, not a failed try, and gets a fresh try at
        // once (bounded separately: another machine pushing all the time cannot keep us here).
        var attempt = 0
        var replays = 0
        let maxReplays = 20
        var transientFailures = 0
        while transientFailures < options.maxAttempts && replays <= maxReplays {
            attempt += 1
            log("push \(head.branch) -> \(target.remote) \(target.remoteRef) (try \(attempt), \(transientFailures) failed of \(options.maxAttempts))")
            let r = options.runner.run(request(.push), deadline: options.attemptDeadline, environment: options.environment)
            switch r.kind {
            case .ok:
                return .pushed(oid: head.commit.description, attempts: attempt)
            case .auth, .certificate, .failed:
                return .stopped(oid: head.commit.description, reason: r.message)
            case .network, .timeout:
                lastTransient = r.message
                transientFailures += 1
                log("  \(r.message)")
            case .nonFastForward, .rejected:
                log("  \(r.kind == .rejected ? r.message : "the remote branch has new commits"); fetching")
                let f = options.runner.run(request(.fetch), deadline: options.attemptDeadline, environment: options.environment)
                if f.kind == .auth || f.kind == .certificate || f.kind == .failed {
                    return .stopped(oid: head.commit.description, reason: f.message)
                }
                if f.isTransient {
                    lastTransient = f.message
                    transientFailures += 1
                    log("  \(f.message)")
                    break
                }
                guard let theirs = repo.referenceTarget(target.trackingRef) else {
                    return .stopped(oid: head.commit.description, reason: r.message.isEmpty ? "the push was refused" : r.message)
                }
                if try repo.contains(head.commit, theirs) {
                    // Nothing new on the remote: the refusal is the server's policy.
                    let why = r.kind == .rejected ? r.message : "the push was refused and the remote has nothing new"
                    return .stopped(oid: head.commit.description, reason: why + " (not retried)")
                }
                do {
                    let tip = try repo.replay(head: head, onto: theirs, upstreamName: "\(target.remote)/\(target.remoteRef.dropFirst(11))")
                    head = try repo.head()
                    log("  replayed onto \(target.remote): now \(tip)")
                    if try repo.contains(theirs, head.commit) && head.commit == theirs { return .upToDate }
                } catch let e as ContextSyncError {
                    return .stopped(oid: head.commit.description, reason: e.message)
                }
                replays += 1
                continue  // a fresh try at once: no backoff after a successful replay
            }
            if transientFailures < options.maxAttempts {
                let jitter = Double.random(in: 0.8...1.2)
                options.clock.sleep(seconds: backoff * jitter)
                backoff *= 2
            }
        }
        if replays > maxReplays {
            return .queued(oid: head.commit.description, reason: "the remote branch kept moving (\(replays) replays); the next run tries again")
        }
        return .queued(oid: head.commit.description, reason: lastTransient.isEmpty
                       ? "the push did not succeed after \(options.maxAttempts) tries" : lastTransient)
    }

    /// The branch's upstream (remote and merge ref), else `origin` and the same name.
    static func pushTarget(_ repo: Repository, head: HeadState) throws -> Target {
        var remote = "origin"
        var remoteRef = head.refName
        var buf = git_buf()
        if git_branch_upstream_remote(&buf, repo.pointer, head.refName) == 0, let p = buf.ptr {
            remote = String(cString: p)
            git_buf_dispose(&buf)
            var mbuf = git_buf()
            if git_branch_upstream_merge(&mbuf, repo.pointer, head.refName) == 0, let m = mbuf.ptr {
                remoteRef = String(cString: m)
            }
            git_buf_dispose(&mbuf)
        } else {
            git_buf_dispose(&buf)
        }
        guard repo.remoteNames.contains(remote) else {
            throw ContextSyncError("no remote '\(remote)' to push \(head.branch) to: add one (git remote add \(remote) URL) or pass --no-push")
        }
        let short = remoteRef.hasPrefix("refs/heads/") ? String(remoteRef.dropFirst(11)) : head.branch
        return Target(remote: remote, remoteRef: "refs/heads/" + short, trackingRef: "refs/remotes/\(remote)/\(short)")
    }

    /// A CA bundle for HTTPS: `$CONTEXT_SYNC_CA_FILE`, `$GIT_SSL_CAINFO`, or `http.sslCAInfo`.
    static func caFile(_ repo: Repository, environment: Environment) -> String? {
        environment["CONTEXT_SYNC_CA_FILE"] ?? environment["GIT_SSL_CAINFO"] ?? repo.configString("http.sslCAInfo")
    }
}

extension Repository {
    /// True when `ancestor` is `commit` or one of its ancestors.
    func contains(_ commit: ObjectID, _ ancestor: ObjectID) throws -> Bool {
        if commit == ancestor { return true }
        var c = commit.raw, a = ancestor.raw
        let rc = git_graph_descendant_of(pointer, &c, &a)
        try check(rc, "git_graph_descendant_of")
        return rc == 1
    }

    /// Commits reachable from `tip` but not from `hidden`, oldest first.
    func commits(from tip: ObjectID, hiding hidden: ObjectID) throws -> [ObjectID] {
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, pointer), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue)
        var t = tip.raw, h = hidden.raw
        try check(git_revwalk_push(walk, &t), "git_revwalk_push")
        try check(git_revwalk_hide(walk, &h), "git_revwalk_hide")
        var out: [ObjectID] = []
        var oid = git_oid()
        while git_revwalk_next(&oid, walk) == 0 { out.append(ObjectID(oid)) }
        return out
    }

    /// The subject line of the commit `hex`; nil when it is not a commit here.
    func commitSummary(hex: String) -> String? {
        guard let id = ObjectID(hex: hex) else { return nil }
        var c: OpaquePointer?
        var raw = id.raw
        guard git_commit_lookup(&c, pointer, &raw) == 0 else { return nil }
        defer { git_commit_free(c) }
        return git_commit_summary(c).map { String(cString: $0) } ?? ""
    }

    /// The first commit between `hidden` and `tip` whose message is not context-sync's, as
    /// "<short id> <subject>", or nil.
    func firstForeignCommit(from tip: ObjectID, hiding hidden: ObjectID) throws -> String? {
        for id in try commits(from: tip, hiding: hidden) {
            var c: OpaquePointer?
            var raw = id.raw
            try check(git_commit_lookup(&c, pointer, &raw), "git_commit_lookup")
            defer { git_commit_free(c) }
            let summary = git_commit_summary(c).map { String(cString: $0) } ?? ""
            if !summary.hasPrefix(LearningsCommitter.messagePrefix) {
                return String(id.description.prefix(8)) + " " + summary
            }
        }
        return nil
    }

    /// Replays the commits of `head` that `upstream` lacks onto `upstream`, in memory, merging
    /// learnings.md by sections and bullets and the CLAUDE.md directive / `.gitattributes` line
    /// by re-adding them to upstream's version. Then checks the new tip out (safely: files the
    /// user modified are never overwritten) and moves the branch. Returns the new tip.
    /// Throws `ContextSyncError` (nothing changed) when another file conflicts, a commit is a
    /// merge, or the checkout would overwrite the user's changes.
    func replay(head: HeadState, onto upstream: ObjectID, upstreamName: String) throws -> ObjectID {
        if try contains(upstream, head.commit) {
            // Fast-forward: the remote already has our commits.
            try checkoutAndMove(head: head, to: upstream, message: "context-sync: fast-forward to \(upstreamName)")
            return upstream
        }
        var onto = upstream
        for id in try commits(from: head.commit, hiding: upstream) {
            onto = try replayOne(id, onto: onto, upstreamName: upstreamName)
        }
        try checkoutAndMove(head: head, to: onto, message: "context-sync: replay onto \(upstreamName)")
        return onto
    }

    private func replayOne(_ id: ObjectID, onto: ObjectID, upstreamName: String) throws -> ObjectID {
        var commit: OpaquePointer?, ontoCommit: OpaquePointer?
        var raw = id.raw, oraw = onto.raw
        try check(git_commit_lookup(&commit, pointer, &raw), "git_commit_lookup")
        defer { git_commit_free(commit) }
        try check(git_commit_lookup(&ontoCommit, pointer, &oraw), "git_commit_lookup(onto)")
        defer { git_commit_free(ontoCommit) }
        guard git_commit_parentcount(commit) == 1 else {
            throw ContextSyncError("cannot replay merge commit \(id.description.prefix(8)) onto \(upstreamName): merge by hand (git pull), then run context-sync again")
        }
        let parentTree = try treeOfCommit(ObjectID(git_commit_parent_id(commit, 0).pointee))
        let ourTree = ObjectID(git_commit_tree_id(commit).pointee)
        let ontoTree = ObjectID(git_commit_tree_id(ontoCommit).pointee)

        var index: OpaquePointer?
        try check(git_cherrypick_commit(&index, pointer, commit, ontoCommit, 0, nil), "git_cherrypick_commit")
        defer { git_index_free(index) }

        // Our files: resolved by us whether or not git saw a textual conflict. Never merged
        // into anything but a regular file (a symlink on the remote is refused, not followed).
        let learnings = LearningsDocument.relativePath
        for path in [".claude", learnings, LearningsTidy.archivePath, "CLAUDE.md", ".claude/CLAUDE.md", GitAttributesLine.path] {
            guard let e = try anyTreeEntry(tree: ontoTree, path: path) else { continue }
            let ok = path == ".claude" ? e.mode == GIT_FILEMODE_TREE.rawValue
                : (e.mode == GIT_FILEMODE_BLOB.rawValue || e.mode == GIT_FILEMODE_BLOB_EXECUTABLE.rawValue)
            if !ok {
                throw ContextSyncError("cannot push: \(path) on \(upstreamName) is not a regular \(path == ".claude" ? "directory" : "file") (a symbolic link or submodule); context-sync does not merge into it (fix it on the remote; the local commit is kept)")
            }
        }
        // learnings.md and the archive: three-way merges by sections and bullets, so a bullet
        // tidy removed here stays removed and a bullet the other machine added stays added.
        for path in [learnings, LearningsTidy.archivePath] {
            let base = try fileBytes(tree: parentTree, path: path)
            let mine = try fileBytes(tree: ourTree, path: path)
            let theirs = try fileBytes(tree: ontoTree, path: path)
            if let mine, let theirs, mine != theirs, base != theirs, base != mine {
                let merged = LearningsDocument.merge(base: base.map { String(decoding: $0, as: UTF8.self) },
                                                     ours: String(decoding: theirs, as: UTF8.self),
                                                     theirs: String(decoding: mine, as: UTF8.self))
                try setIndexEntry(index, path: path, bytes: Array(merged.utf8))
            }
        }
        for path in ["CLAUDE.md", ".claude/CLAUDE.md", GitAttributesLine.path]
        where git_index_get_bypath(index, path, 1) != nil || git_index_get_bypath(index, path, 2) != nil
            || git_index_get_bypath(index, path, 3) != nil {
            // A conflict in a file we only add a section / line to: upstream's version plus ours.
            let up = try fileBytes(tree: ontoTree, path: path).map { String(decoding: $0, as: UTF8.self) }
            let text = try LearningsFiles.ensureDirective(path: path, in: up) ?? up ?? ""
            try setIndexEntry(index, path: path, bytes: Array(text.utf8))
        }
        if git_index_has_conflicts(index) == 1 {
            throw ContextSyncError("cannot push: \(conflictPaths(index).joined(separator: ", ")) changed both here and on \(upstreamName); merge by hand (git pull), then run context-sync again (the local commit is kept)")
        }
        var tree = git_oid()
        try check(git_index_write_tree_to(&tree, index, pointer), "git_index_write_tree_to")
        if ObjectID(tree) == ontoTree { return onto }  // already upstream
        let message = String(cString: git_commit_message(commit))
        return try createCommit(tree: ObjectID(tree), parents: [onto], message: message,
                                author: git_commit_author(commit))
    }

    private func setIndexEntry(_ index: OpaquePointer?, path: String, bytes: [UInt8]) throws {
        let blob = try createBlob(bytes)
        _ = git_index_conflict_remove(index, path)  // git_index_add leaves conflict stages (P8)
        var entry = git_index_entry()
        entry.mode = GIT_FILEMODE_BLOB.rawValue
        entry.id = blob.raw
        let rc = path.withCString { p -> Int32 in
            entry.path = p
            return git_index_add(index, &entry)
        }
        try check(rc, "git_index_add(\(path))")
    }

    private func conflictPaths(_ index: OpaquePointer?) -> [String] {
        var it: OpaquePointer?
        guard git_index_conflict_iterator_new(&it, index) == 0 else { return ["?"] }
        defer { git_index_conflict_iterator_free(it) }
        var out: [String] = []
        var a: UnsafePointer<git_index_entry>?, o: UnsafePointer<git_index_entry>?, t: UnsafePointer<git_index_entry>?
        while git_index_conflict_next(&a, &o, &t, it) == 0 {
            if let e = a ?? o ?? t { out.append(String(cString: e.pointee.path)) }
        }
        return out
    }

    /// Safe checkout of `target`'s tree (never overwrites the user's modifications; staged
    /// changes to other files stay), then moves the branch.
    private func checkoutAndMove(head: HeadState, to target: ObjectID, message: String) throws {
        var commit: OpaquePointer?
        var raw = target.raw
        try check(git_commit_lookup(&commit, pointer, &raw), "git_commit_lookup")
        defer { git_commit_free(commit) }
        var opts = git_checkout_options()
        git_checkout_options_init(&opts, UInt32(GIT_CHECKOUT_OPTIONS_VERSION))
        opts.checkout_strategy = GIT_CHECKOUT_SAFE.rawValue
        let rc = git_checkout_tree(pointer, commit, &opts)
        if rc < 0 {
            let e = GitError.last("git_checkout_tree", rc)
            throw ContextSyncError("cannot update the work tree to include the remote's commits (\(e.message)): your uncommitted changes touch the same files; commit or stash them, pull, then run context-sync again (the local commit is kept)")
        }
        var ref: OpaquePointer?
        try check(git_reference_lookup(&ref, pointer, head.refName), "git_reference_lookup")
        defer { git_reference_free(ref) }
        var moved: OpaquePointer?
        try check(git_reference_set_target(&moved, ref, &raw, message), "git_reference_set_target")
        git_reference_free(moved)
    }
}

extension LearningsPush {
    /// True when the current branch is ahead of its remote-tracking branch with context-sync's
    /// commits only: a push left undone (a killed run, a queue record lost) that git itself
    /// shows. False without a remote or a tracking branch, or when any unpushed commit is the
    /// user's (those are not ours to publish).
    static func hasUnpushedOwnCommits(_ repo: Repository) -> Bool {
        guard let head = try? repo.head(), let target = try? pushTarget(repo, head: head),
              let tracking = repo.referenceTarget(target.trackingRef) else { return false }
        guard (try? repo.contains(tracking, head.commit)) == false,
              let ahead = try? repo.commits(from: head.commit, hiding: tracking), !ahead.isEmpty else { return false }
        return (try? repo.firstForeignCommit(from: head.commit, hiding: tracking)) == .some(nil)
    }
}
