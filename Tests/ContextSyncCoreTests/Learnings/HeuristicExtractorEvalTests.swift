import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// The built-in extractor on every real transcript in ../shared/fixtures, judged by a reader:
/// Tests/Eval/learnings/verdicts.json holds a verdict (useful / noise / wrong) for every bullet
/// it produces, per session (one session per run, as a timer run sees a new session) and per
/// project (the whole backlog in one run). A new bullet without a verdict, a bullet judged wrong,
/// or more than 5 bullets per session or 10 per run fails. scripts/eval-learnings.sh sets
/// CONTEXT_SYNC_EVAL_OUT to get the bullets as JSON and prints precision and recall.
@Suite struct HeuristicExtractorEvalTests {
    static let root = TestSupport.packageRoot + "/../shared/fixtures/claude-transcripts"
    static let evalDir = TestSupport.packageRoot + "/Tests/Eval/learnings"

    struct Produced: Codable, Equatable {
        var project: String
        /// The session of a per-session run, or "*" for the project run.
        var run: String
        var text: String
        var source: String
        var why: String
        var sessions: [String]
    }

    struct Verdict: Codable {
        var project: String
        var bullet: String
        var verdict: String
        var note: String?
    }

    static func projects() throws -> [(name: String, files: [String])] {
        let fm = FileManager.default
        let names = try fm.contentsOfDirectory(atPath: root).filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted()
        return names.map { name in
            var files: [String] = []
            let e = fm.enumerator(atPath: root + "/" + name)!
            while let p = e.nextObject() as? String {
                let base = (p as NSString).lastPathComponent
                if p.hasSuffix(".jsonl"), !p.contains("/subagents/"), !base.hasPrefix("agent-") { files.append(root + "/" + name + "/" + p) }
            }
            return (name, files.sorted())
        }
    }

    static func sessionId(_ path: String) -> String {
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        // DRMacIver's snapshots are all named transcript.jsonl: the folder names the session.
        return base == "transcript" ? ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent : base
    }

    nonisolated(unsafe) static var dropped: [String] = []

    static func produce() throws -> [Produced] {
        var out: [Produced] = []
        dropped = []
        for (project, files) in try projects() {
            let sessions = try files.map { try SessionEvents.read(path: $0, id: sessionId($0)) }
            let n = PathNormalizer(repoRoots: Array(Set(sessions.compactMap(\.cwd))).sorted(), home: "/home/USER")
            func add(_ r: HeuristicExtractor.Result, run: String) {
                for l in r.kept {
                    var seen: [String] = []
                    for e in l.evidence where !seen.contains(e.sessionId) { seen.append(e.sessionId) }
                    out.append(Produced(project: project, run: run, text: l.text, source: l.source.rawValue, why: l.why, sessions: seen))
                }
            }
            for s in sessions { add(HeuristicExtractor().extract([s], normalize: n.normalize), run: s.sessionId) }
            let all = HeuristicExtractor().extract(sessions, normalize: n.normalize)
            add(all, run: "*")
            dropped += all.dropped.map { "[\(project)] (\($0.reason)) [\($0.learning.source.rawValue)] \($0.learning.text)" }
        }
        return out
    }

    @Test func everyBulletOnTheRealSessionsHasAVerdictAndNoneIsWrong() throws {
        #expect(FileManager.default.fileExists(atPath: Self.root), "the real transcripts are expected at \(Self.root)")
        let produced = try Self.produce()
        #expect(!produced.isEmpty)
        if let out = ProcessInfo.processInfo.environment["CONTEXT_SYNC_EVAL_OUT"] {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            try enc.encode(produced).write(to: URL(fileURLWithPath: out))
            try Data(Self.dropped.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: out + ".dropped.txt"))
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.evalDir + "/verdicts.json"))
        let verdicts = try JSONDecoder().decode([Verdict].self, from: data)
        var byKey: [String: String] = [:]
        for v in verdicts {
            #expect(["useful", "noise", "wrong"].contains(v.verdict), "verdict \(v.verdict) for \(v.bullet)")
            byKey[v.project + "\u{0}" + v.bullet] = v.verdict
        }
        for p in produced {
            let v = byKey[p.project + "\u{0}" + p.text]
            #expect(v != nil, "no verdict in Tests/Eval/learnings/verdicts.json for [\(p.project)] \(p.text)")
            #expect(v != "wrong", "judged wrong: [\(p.project)] \(p.text)")
        }
        for (key, group) in Dictionary(grouping: produced, by: { $0.project + " " + $0.run }) {
            #expect(group.count <= (key.hasSuffix(" *") ? 10 : 5), "\(group.count) bullets in run \(key)")
        }
    }
}
