/// A location fact from a failed lookup: a Read of a path that does not exist, then the same file
/// name read or edited under another directory ("`x.py` is in `src/app/`, not `app/`").
enum LocationFacts {
    static let lookupTools: Set<String> = ["Read", "LS", "NotebookRead"]
    static let confirmingTools: Set<String> = ["Read", "Edit", "Write", "MultiEdit", "NotebookEdit", "NotebookRead"]

    static func find(_ s: SessionEvents, normalize: (String) -> String, into c: inout Candidates) {
        for (i, e) in s.events.enumerated() {
            guard case .tool(let call) = e.kind, lookupTools.contains(call.name),
                  case .error(let category, let line)? = call.outcome,
                  category == .fileNotFound || line.lowercased().contains("does not exist") else { continue }
            let missing = normalize(call.argument)
            guard let (missingDir, name) = split(missing), !name.isEmpty else { continue }
            for j in (i + 1)..<min(s.events.count, i + 25) {
                guard case .tool(let later) = s.events[j].kind, confirmingTools.contains(later.name), later.outcome == .ok else { continue }
                let found = normalize(later.argument)
                guard let (dir, n) = split(found), n == name, dir != missingDir else { continue }
                let ev = [Learning.Evidence(sessionId: s.sessionId, eventIndex: i), .init(sessionId: s.sessionId, eventIndex: j)]
                guard isPortable(dir), isPortable(missingDir) else {
                    c.reject("`\(name)` is in `\(dir)`, not `\(missingDir)`.", .location, "not a repository path", ev)
                    break
                }
                let text = "`\(name)` is in `\(dir.isEmpty ? "." : dir)`, not `\(missingDir.isEmpty ? "." : missingDir)`."
                c.add(Learning(text: text, source: .location, score: 0.75, evidence: ev,
                               why: "a lookup failed and the same file name was then found elsewhere"))
                break
            }
        }
    }

    /// ("src/app/", "x.py") for "src/app/x.py".
    static func split(_ path: String) -> (String, String)? {
        guard !path.contains(" "), !path.contains("*"), let slash = path.lastIndex(of: "/") else { return path.isEmpty ? nil : ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }

    /// Repository-relative: not absolute, not under a home directory.
    static func isPortable(_ dir: String) -> Bool {
        !dir.hasPrefix("/") && !dir.hasPrefix("~") && !PathNormalizer.containsMachinePath(dir) && !dir.hasPrefix("../")
    }
}
