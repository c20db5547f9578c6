/// A unified diff of two texts by lines (what `tidy --dry-run` prints), with three lines of
/// context. Longest common subsequence on the lines that differ between the common prefix and
/// suffix: learnings files are small (a few hundred lines), so quadratic space there is fine;
/// beyond 4,000 differing lines a hunk replaces the whole middle.
public enum UnifiedDiff {
    public static func diff(_ old: String, _ new: String, oldName: String, newName: String, context: Int = 3) -> String {
        if old == new { return "" }
        let a = TextLines.split(old).map { $0.content }, b = TextLines.split(new).map { $0.content }
        var pre = 0
        while pre < a.count, pre < b.count, a[pre] == b[pre] { pre += 1 }
        var suf = 0
        while suf < a.count - pre, suf < b.count - pre, a[a.count - 1 - suf] == b[b.count - 1 - suf] { suf += 1 }
        let am = Array(a[pre..<(a.count - suf)]), bm = Array(b[pre..<(b.count - suf)])
        // ops: (kind, aIndex, bIndex) over the whole files.
        enum Op { case same(Int, Int), del(Int), ins(Int) }
        var ops: [Op] = (0..<pre).map { .same($0, $0) }
        if am.count * bm.count <= 16_000_000 {
            let n = am.count, m = bm.count
            var lcs = [[Int32]](repeating: [Int32](repeating: 0, count: m + 1), count: n + 1)
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    lcs[i][j] = am[i] == bm[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
                }
            }
            var i = 0, j = 0
            while i < n || j < m {
                if i < n, j < m, am[i] == bm[j] { ops.append(.same(pre + i, pre + j)); i += 1; j += 1 }
                else if i < n, j == m || lcs[i + 1][j] >= lcs[i][j + 1] { ops.append(.del(pre + i)); i += 1 }
                else { ops.append(.ins(pre + j)); j += 1 }
            }
        } else {
            ops += am.indices.map { .del(pre + $0) } + bm.indices.map { .ins(pre + $0) }
        }
        for k in 0..<suf { ops.append(.same(a.count - suf + k, b.count - suf + k)) }

        var out = "--- \(oldName)\n+++ \(newName)\n"
        let changed = ops.indices.filter { if case .same = ops[$0] { return false } else { return true } }
        var h = 0
        while h < changed.count {
            var lo = max(0, changed[h] - context), hiChange = changed[h]
            var k = h
            while k + 1 < changed.count, changed[k + 1] - hiChange <= 2 * context { k += 1; hiChange = changed[k] }
            let hi = min(ops.count - 1, hiChange + context)
            if lo < 0 { lo = 0 }
            var aStart = 0, bStart = 0, aLen = 0, bLen = 0, body = ""
            var first = true
            for op in ops[lo...hi] {
                switch op {
                case .same(let x, let y):
                    if first { aStart = x; bStart = y; first = false }
                    aLen += 1; bLen += 1; body += " " + a[x] + "\n"
                case .del(let x):
                    if first { aStart = x; bStart = nextB(ops, from: lo); first = false }
                    aLen += 1; body += "-" + a[x] + "\n"
                case .ins(let y):
                    if first { bStart = y; aStart = nextA(ops, from: lo); first = false }
                    bLen += 1; body += "+" + b[y] + "\n"
                }
            }
            out += "@@ -\(aLen == 0 ? aStart : aStart + 1),\(aLen) +\(bLen == 0 ? bStart : bStart + 1),\(bLen) @@\n" + body
            h = k + 1
        }
        return out

        func nextA(_ ops: [Op], from: Int) -> Int {
            for op in ops[from...] { switch op { case .same(let x, _), .del(let x): return x; case .ins: continue } }
            return a.count
        }
        func nextB(_ ops: [Op], from: Int) -> Int {
            for op in ops[from...] { switch op { case .same(_, let y), .ins(let y): return y; case .del: continue } }
            return b.count
        }
    }
}
