/// Fitting a digest into a character budget, exactly: everything printed counts (headers, the
/// `[n] ` prefixes, the "… dropped" markers, the closing note and the footer).
extension Digest {
    /// One step of the cut: shorten or drop the lines of one tier.
    enum CutStep: Equatable { case shorten(Int), drop(Int) }

    /// Long lines are shortened to their informative part before any line with content is
    /// dropped (only routine lines go first); evidence is shortened last and dropped last.
    static let cutSteps: [CutStep] = [
        .shorten(Tier.routine), .shorten(Tier.context), .shorten(Tier.working), .shorten(Tier.findings), .drop(Tier.routine),
        .shorten(Tier.evidence), .drop(Tier.context), .drop(Tier.working), .drop(Tier.findings), .drop(Tier.evidence),
    ]

    /// The size of `renderedText()` (see `size`), counted without building the text.
    public var renderedSize: Int {
        var n = 0
        for s in sessions {
            n += Self.size(s.header) + 1
            var next = 0
            for l in s.lines {
                if l.eventIndex > next { n += Self.size(Self.droppedMarker(l.eventIndex - next)) }
                n += Self.size(l.prefix) + Self.size(l.text) + 1
                next = l.lastEventIndex + 1
            }
            if s.events.events.count > next && (s.isCut || droppedLines > 0) { n += Self.size(Self.droppedMarker(s.events.events.count - next)) }
            n += 1
        }
        if let note = closingNote { n += Self.size(note) + 1 }
        return n + Self.size(footer)
    }

    /// Cuts the digest until `renderedText()` is at most `maxChars` characters (UTF-16 code units):
    /// shortens, then drops, the least valuable lines; when even the headers do not fit, leaves
    /// whole sessions out from the end of the list (the oldest, when sessions come newest first).
    public mutating func fit(maxChars: Int) {
        guard renderedSize > maxChars else { return }
        for step in Self.cutSteps {
            let targets = targets(of: step)
            if targets.isEmpty { continue }
            // The smallest number of targets (longest first) whose cut makes the text fit.
            var lo = 1, hi = targets.count
            var all = self
            all.apply(step, to: targets[...])
            if all.renderedSize > maxChars {
                self = all
                continue
            }
            while lo < hi {
                let mid = (lo + hi) / 2
                var trial = self
                trial.apply(step, to: targets[..<mid])
                if trial.renderedSize <= maxChars { hi = mid } else { lo = mid + 1 }
            }
            var chosen = self
            chosen.apply(step, to: targets[..<lo])
            // Markers make the size not strictly monotonic: step on until it fits.
            var k = lo
            while chosen.renderedSize > maxChars && k < targets.count {
                k += 1
                chosen = self
                chosen.apply(step, to: targets[..<k])
            }
            // Longest first can overshoot: give back what still fits, shortest first.
            var applied = Array(targets[..<k])
            if case .drop = step {
                // Only lines that can fit the room left are tried (a restored line may also
                // remove a marker, hence the allowance).
                var slack = maxChars - chosen.renderedSize
                for j in applied.indices.reversed() where slack > 0 {
                    let t = applied[j]
                    let l = sessions[t.s].lines[t.l]
                    guard Self.size(l.prefix) + Self.size(l.text) + 1 <= slack + 30 else { continue }
                    var rest = applied
                    rest.remove(at: j)
                    var trial = self
                    trial.apply(step, to: rest[...])
                    let size = trial.renderedSize
                    if size <= maxChars {
                        applied = rest
                        chosen = trial
                        slack = maxChars - size
                    }
                }
            }
            self = chosen
            return
        }
        while renderedSize > maxChars && !sessions.isEmpty {
            sessions.removeLast()
            omittedSessions += 1
        }
    }

    /// The lines a step applies to, as (session, line) positions, longest first.
    func targets(of step: CutStep) -> [(s: Int, l: Int)] {
        var out: [(s: Int, l: Int, length: Int)] = []
        for (si, s) in sessions.enumerated() {
            for (li, l) in s.lines.enumerated() {
                switch step {
                case .shorten(let tier) where l.priority == tier && !l.isShortened && l.short != l.text:
                    out.append((si, li, Self.size(l.text)))
                case .drop(let tier) where l.priority == tier:
                    out.append((si, li, Self.size(l.text)))
                default: break
                }
            }
        }
        return out.sorted { $0.length != $1.length ? $0.length > $1.length : ($0.s, $0.l) < ($1.s, $1.l) }.map { ($0.s, $0.l) }
    }

    mutating func apply(_ step: CutStep, to targets: ArraySlice<(s: Int, l: Int)>) {
        switch step {
        case .shorten:
            for t in targets {
                sessions[t.s].lines[t.l].text = sessions[t.s].lines[t.l].short
                sessions[t.s].lines[t.l].isShortened = true
                sessions[t.s].isCut = true
                shortenedLines += 1
            }
        case .drop:
            var bySession: [Int: Set<Int>] = [:]
            for t in targets { bySession[t.s, default: []].insert(t.l) }
            for (si, drop) in bySession {
                for li in drop {
                    let l = sessions[si].lines[li]
                    droppedLines += 1
                    droppedChars += Self.size(l.prefix + l.text) + 1
                    if l.isShortened { shortenedLines -= 1 }
                }
                sessions[si].lines = sessions[si].lines.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
                sessions[si].isCut = true
            }
        }
    }

    /// The size of one session's block as rendered on its own (header, lines, blank line).
    static func blockSize(_ s: SessionBlock) -> Int {
        var n = size(s.header) + 2
        for l in s.lines { n += size(l.prefix) + size(l.text) + 1 }
        return n
    }
}
