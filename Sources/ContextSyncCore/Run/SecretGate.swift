/// The last check before a commit: every blob the plan would commit is scanned whole, with the
/// same engine as `context-sync scan` (multi-line rules such as private key blocks included). A
/// secret counts when HEAD's version of the file does not already hold the same secret; it is
/// "ours" when it lies inside a bullet this run adds (then `--on-secret redact` may replace it),
/// else it is the user's own text (never rewritten: the run stops).
enum SecretGate {
    static func check(_ plan: LearningsPlan, snapshot: LearningsSnapshot, scanner: SecretScanner) -> [RunSecret] {
        var out: [RunSecret] = []
        for file in plan.files {
            guard let blob = file.commitBytes else { continue }
            let before = Set(scanner.secretSpans(snapshot.headFiles[file.path]?.bytes ?? [])
                .map { s in Array(snapshot.headFiles[file.path]!.bytes[s.range]) })
            let ours = file.path == plan.learningsPath ? plan.addedBullets.map { Array($0.utf8) } : []
            for span in scanner.secretSpans(blob) {
                let secret = Array(blob[span.range])
                if before.contains(secret) { continue }
                let inBullet = ours.contains { Self.contains($0, secret) }
                let line = 1 + blob[..<span.range.lowerBound].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                let shown = String(decoding: secret.prefix(64), as: UTF8.self)
                out.append(RunSecret(file: file.path, line: line, rule: span.rule,
                                     excerpt: SecretFinding.mask(Substring(shown)), inUserText: !inBullet))
            }
        }
        return out
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= haystack.count else { return needle.isEmpty }
        let first = needle[0]
        var i = 0
        while i <= haystack.count - needle.count {
            if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}

extension SecretScanner {
    /// Where the secrets in `bytes` are (after overlap resolution and suppression), by rule id.
    func secretSpans(_ bytes: [UInt8]) -> [(rule: String, range: Range<Int>)] {
        bytes.withUnsafeBufferPointer { buf in locate(buf).map { ($0.rule.id, $0.start..<$0.end) } }
    }
}
