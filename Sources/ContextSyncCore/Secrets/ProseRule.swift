/// Credentials written without an assignment operator: prose and log forms ("the password is X",
/// "secret key: X", "user/pass: a / b"), `.netrc` lines (`machine h login u password X`) and SQL
/// (`CREATE USER … IDENTIFIED BY 'X'`, `ALTER ROLE … PASSWORD 'X'`).
///
/// These run only where the generic matcher found a secret-shaped name but no `=`/`:` after it,
/// and read at most one line forward.
extension ScanRun {
    mutating func prose(nameStart s: Int, nameEnd e: Int) {
        var ne = e
        while ne > s && (p[ne - 1] == UInt8(ascii: ".") || p[ne - 1] == UInt8(ascii: "-")) { ne -= 1 }
        guard ne == e, ne > s else { return }  // "…the password." ends a sentence
        let name = span(s, ne)
        if name.equalsLowercased("password") {
            if sqlPassword(after: ne, nameStart: s) { return }
            if netrc(after: ne, nameStart: s) { return }
        }
        if s >= 2 && p[s - 1] == UInt8(ascii: "/") {
            if KeywordFamily.classify(name)?.kind == .password { userSlashPass(nameStart: s, nameEnd: ne) }
            return
        }
        if configSet(nameStart: s, nameEnd: ne) { return }
        proseValue(nameStart: s, nameEnd: ne)
    }

    /// `aws configure set aws_secret_access_key X`, `npm config set _authToken X`,
    /// `heroku config:set`-style commands that take the name and the value as two words.
    private mutating func configSet(nameStart s: Int, nameEnd e: Int) -> Bool {
        let before = span(max(0, s - 16), s)
        guard before.containsLowercased("configure set ") || before.containsLowercased("config set "), e < n, p[e] == 0x20 else { return false }
        var k = e
        while k < n && p[k] == 0x20 { k += 1 }
        guard let (vs, ve, quoted) = proseToken(at: k), let family = KeywordFamily.classify(span(s, e)) else { return false }
        let assignment = Assignment(nameStart: s, nameEnd: e, op: .equals, valueStart: vs, valueEnd: ve, quoted: quoted, terminator: ve < n ? p[ve] : 0)
        guard let rule = GenericRule.evaluate(span(vs, ve), family: family, assignment: assignment, p: p, n: n) else { return false }
        keywordUntil = max(keywordUntil, ve)
        add(rule, vs, ve)
        return true
    }

    // MARK: - "the password is X", "secret key for prod: X"

    private mutating func proseValue(nameStart s: Int, nameEnd e: Int) {
        var k = e
        var words = 0
        var previous = ByteSpan(base: p, start: 0, end: 0)
        let limit = min(n, e + 96)
        var connected = false
        var middleEnd = e  // end of the words between the name and the connector
        var lastWordStart = e
        while k < limit && words <= 4 {
            // "secret access key: X": a colon after at least one more word, followed by a blank
            // (`SHA256:abc` is one token). `name = x` / `name: x` right after the name are
            // assignments: when those were rejected, prose does not take them back.
            if p[k] == UInt8(ascii: ":") && words > 0 && k + 1 < limit && (p[k + 1] == 0x20 || p[k + 1] == 0x09) { k += 1; connected = true; break }
            guard p[k] == 0x20 || p[k] == 0x09 else { break }
            while k < limit && (p[k] == 0x20 || p[k] == 0x09) { k += 1 }
            guard k < limit else { return }
            if p[k] == UInt8(ascii: "=") || p[k] == UInt8(ascii: ":") { return }
            if k + 1 < limit && p[k] == UInt8(ascii: "-") && p[k + 1] == UInt8(ascii: ">") { k += 2; connected = true; break }
            if k + 2 < limit && p[k] == 0xE2 && p[k + 1] == 0x86 && p[k + 2] == 0x92 { k += 3; connected = true; break }  // →
            let ws = k
            while k < limit && (Ascii.isNameChar(p[k]) || p[k] == UInt8(ascii: "@")) { k += 1 }
            guard k > ws, k - ws <= 32 else { return }
            let w = span(ws, k)
            lastWordStart = ws
            if w.count <= 4 {  // connectors and stop words are short: compare only those
                if w.equalsLowercased("is") || w.equalsLowercased("was") || w.equalsLowercased("are")
                    || (w.equalsLowercased("to") && words == 0 && precededBySettingVerb(s))
                    || (w.equalsLowercased("to") && (previous.equalsLowercased("set") || previous.equalsLowercased("changed")
                        || previous.equalsLowercased("reset") || previous.equalsLowercased("updated")))
                {
                    connected = true
                    if k < limit && p[k] == UInt8(ascii: ":") { k += 1 }
                    break
                }
                if w.equalsLowercased("not") || w.equalsLowercased("none") || w.equalsLowercased("in") || w.equalsLowercased("from") { return }
            }
            previous = w
            words += 1
            middleEnd = k
        }
        guard connected else {
            // The keywords among the words read, but the last, have nothing more to find (the
            // last may still be a name of its own: `-pass pass:X`).
            keywordUntil = max(keywordUntil, lastWordStart)
            return
        }
        // "token ID: …", "key SHA256:…", "secret name is …": the words between describe the
        // secret, they do not hold it (checked only now: it allocates).
        if words > 0 && describesSecret(from: e, to: middleEnd) { return }
        // "is now", "is set to", "is just"
        for _ in 0..<3 {
            var m = k
            while m < limit && (p[m] == 0x20 || p[m] == 0x09) { m += 1 }
            var we = m
            while we < limit && Ascii.isLetter(p[we]) { we += 1 }
            let w = span(m, we)
            if we < n && p[we] == 0x20 && (w.equalsLowercased("now") || w.equalsLowercased("still") || w.equalsLowercased("just") || w.equalsLowercased("set")
                || w.equalsLowercased("to") || w.equalsLowercased("literally") || w.equalsLowercased("changed") || w.equalsLowercased("reset")
                || w.equalsLowercased("updated"))
            {
                k = we
            } else {
                break
            }
        }
        while k < n && (p[k] == 0x20 || p[k] == 0x09) { k += 1 }
        guard k < n else { return }
        guard let (vs, ve, quoted) = proseToken(at: k), ve - vs >= 8 else { return }
        // Only now that the shape fits is the name classified (it allocates).
        guard let family = KeywordFamily.classify(span(s, e)) else { return }
        if family.bareKey && afterDescriptiveWord(s) { return }  // "Public key ping-sha256: …"

        keywordUntil = max(keywordUntil, ve)
        let assignment = Assignment(nameStart: s, nameEnd: e, op: .colon, valueStart: vs, valueEnd: ve, quoted: quoted, terminator: ve < n ? p[ve] : 0)
        let value = span(vs, ve)
        guard var rule = GenericRule.evaluate(value, family: family, assignment: assignment, p: p, n: n) else { return }
        if rule == .genericSecret && Self.looksLikeAWSSecret(value) && lineMentionsAWS(around: s) { rule = .awsSecretAccessKey }
        add(rule, vs, ve)
    }

    private func describesSecret(from s: Int, to e: Int) -> Bool {
        var k = s
        while k < e {
            while k < e && !Ascii.isAlnum(p[k]) { k += 1 }
            let ws = k
            while k < e && Ascii.isAlnum(p[k]) { k += 1 }  // ping-sha256: ping, sha256
            guard k > ws else { continue }
            let lower = span(ws, k).string.lowercased()
            if lower == "id" || lower == "ids" || KeywordFamily.excludedWords.contains(lower) { return true }
        }
        return false
    }

    /// "I set the DB password to X", "changed the root password to X".
    private func precededBySettingVerb(_ s: Int) -> Bool {
        let before = span(max(0, s - 40), s)
        return before.containsLowercased("set ") || before.containsLowercased("changed ") || before.containsLowercased("reset ")
            || before.containsLowercased("updated ")
    }

    /// One value token of prose: `"…"`, `'…'`, `` `…` ``, `**…**`, or up to the next blank; a
    /// trailing `.`, `,`, `;` or `)` that ends the sentence is not part of it.
    private func proseToken(at k: Int) -> (Int, Int, Bool)? {
        guard k < n else { return nil }
        let q = p[k]
        if q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") || q == UInt8(ascii: "`") {
            var m = k + 1
            while m < n && m - k < 512 && p[m] != q && p[m] != 0x0A { m += 1 }
            guard m < n, p[m] == q, m > k + 1 else { return nil }
            return (k + 1, m, true)
        }
        if q == UInt8(ascii: "*") && k + 1 < n && p[k + 1] == UInt8(ascii: "*") {
            var m = k + 2
            while m + 1 < n && m - k < 512 && !(p[m] == UInt8(ascii: "*") && p[m + 1] == UInt8(ascii: "*")) && p[m] != 0x0A { m += 1 }
            guard m + 1 < n, p[m] == UInt8(ascii: "*"), m > k + 2 else { return nil }
            return (k + 2, m, true)
        }
        var m = k
        // Unquoted prose values also end at `&` (`&quot;` in HTML) and at code punctuation.
        while m < n && m - k < 512 && Ascii.isPrintable(p[m]) && p[m] != UInt8(ascii: "\"") && p[m] != UInt8(ascii: "\\") && p[m] != UInt8(ascii: "<")
            && p[m] != UInt8(ascii: "&") && p[m] != UInt8(ascii: "(") && p[m] != UInt8(ascii: "'")
        {
            m += 1
        }
        var e = m
        while e > k && (p[e - 1] == UInt8(ascii: ".") || p[e - 1] == UInt8(ascii: ",") || p[e - 1] == UInt8(ascii: ";") || p[e - 1] == UInt8(ascii: ")")) {
            e -= 1
        }
        return e > k ? (k, e, false) : nil
    }

    private func lineMentionsAWS(around i: Int) -> Bool {
        var s = i, e = i
        while s > 0 && i - s < 400 && p[s - 1] != 0x0A { s -= 1 }
        while e < n && e - i < 400 && p[e] != 0x0A { e += 1 }
        let line = span(s, e)
        return line.containsLowercased("aws") || line.containsLowercased("akia") || line.containsLowercased("asia")
            || line.containsLowercased("access key") || line.containsLowercased("secret key")
    }

    // MARK: - user/pass: a / b

    private mutating func userSlashPass(nameStart s: Int, nameEnd e: Int) {
        var us = s - 1
        while us > 0 && s - us < 12 && Ascii.isLetter(p[us - 1]) { us -= 1 }
        let userWord = span(us, s - 1)
        guard userWord.equalsLowercased("user") || userWord.equalsLowercased("username") || userWord.equalsLowercased("login")
            || userWord.equalsLowercased("email") || userWord.equalsLowercased("u") || userWord.equalsLowercased("usr")
        else { return }
        var k = e
        while k < n && p[k] == 0x20 { k += 1 }
        guard k < n, p[k] == UInt8(ascii: ":") || p[k] == UInt8(ascii: "=") else { return }
        k += 1
        while k < n && p[k] == 0x20 { k += 1 }
        let vs = k
        while k < n && k - vs < 128 && Ascii.isPrintable(p[k]) && p[k] != UInt8(ascii: "/") && p[k] != UInt8(ascii: ",") { k += 1 }
        let user = span(vs, k)
        while k < n && p[k] == 0x20 { k += 1 }
        guard user.count > 0, k < n, p[k] == UInt8(ascii: "/") || p[k] == UInt8(ascii: ",") else { return }
        k += 1
        while k < n && p[k] == 0x20 { k += 1 }
        guard let (ps, pe, _) = proseToken(at: k) else { return }
        let pw = span(ps, pe)
        guard pw.count >= 6, !ValueHeuristics.isURLPlaceholder(pw), !(pw.count == user.count && pw.string.lowercased() == user.string.lowercased()) else { return }
        keywordUntil = max(keywordUntil, pe)
        add(.genericPassword, ps, pe)
    }

    // MARK: - .netrc

    /// `machine host login user password X` (one line or one token per line).
    private mutating func netrc(after e: Int, nameStart s: Int) -> Bool {
        guard e < n, p[e] == 0x20 || p[e] == 0x09 else { return false }
        // The value first (cheap, and it rules out prose: "password is …"), then the context.
        var k = e
        while k < n && (p[k] == 0x20 || p[k] == 0x09) { k += 1 }
        let vs = k
        while k < n && k - vs < 256 && Ascii.isPrintable(p[k]) && p[k] != UInt8(ascii: "\"") && p[k] != UInt8(ascii: "\\") { k += 1 }
        let v = span(vs, k)
        guard v.count >= 4, !ValueHeuristics.isURLPlaceholder(v) else { return false }
        if ValueHeuristics.looksLikeWords(v) && !ValueHeuristics.isRealLookingPassword(v) && !ValueHeuristics.hasPasswordSymbol(v) { return false }
        // `machine HOST login USER password` / `default login USER password`, on this line within a
        // few words, or `login USER` alone on the line before.
        var ls = s
        while ls > 0 && s - ls < 160 && p[ls - 1] != 0x0A && !(p[ls - 1] == UInt8(ascii: "n") && ls >= 2 && p[ls - 2] == UInt8(ascii: "\\")) { ls -= 1 }
        let before = span(ls, s)
        var context = before.containsLowercased("login ") && (before.containsLowercased("machine ") || before.containsLowercased("default "))
        if !context && ls >= 2 {  // previous line: "  login user"
            var ps = ls - 1
            while ps > 0 && ls - ps < 256 && p[ps - 1] != 0x0A { ps -= 1 }
            var t = ps
            while t < ls && (p[t] == 0x20 || p[t] == 0x09) { t += 1 }
            context = span(t, ls).hasPrefix("login ") || span(t, ls).hasPrefix("machine ")
        }
        guard context else { return false }
        keywordUntil = max(keywordUntil, k)
        add(.genericPassword, vs, k)
        return true
    }

    // MARK: - SQL

    /// `PASSWORD 'x'` right after the name, in a CREATE/ALTER USER/ROLE statement.
    private mutating func sqlPassword(after e: Int, nameStart s: Int) -> Bool {
        var k = e
        while k < n && p[k] == 0x20 { k += 1 }
        guard k > e, k < n, p[k] == UInt8(ascii: "'") || p[k] == UInt8(ascii: "\"") else { return false }
        guard sqlUserStatement(before: s) else { return false }
        return sqlLiteral(at: k)
    }

    /// `IDENTIFIED BY 'x'`, `IDENTIFIED WITH plugin BY 'x'` in a CREATE/ALTER USER/ROLE or GRANT statement.
    mutating func sqlIdentified(at i: Int) {
        if i > 0 && Ascii.isAlnum(p[i - 1]) { return }
        var k = i + 10
        guard k < n, p[k] == 0x20 else { return }
        while k < n && p[k] == 0x20 { k += 1 }
        if span(k, min(n, k + 5)).equalsLowercased("with ") {
            k += 5
            while k < n && k - i < 80 && Ascii.isNameChar(p[k]) { k += 1 }
            while k < n && p[k] == 0x20 { k += 1 }
        }
        guard span(k, min(n, k + 3)).equalsLowercased("by ") else { return }
        k += 3
        while k < n && p[k] == 0x20 { k += 1 }
        if span(k, min(n, k + 9)).equalsLowercased("password ") { k += 9 }  // IDENTIFIED BY PASSWORD '*hash'
        guard k < n, sqlUserStatement(before: i) else { return }
        _ = sqlLiteral(at: k)
    }

    private mutating func sqlLiteral(at k: Int) -> Bool {
        let q = p[k]
        guard q == UInt8(ascii: "'") || q == UInt8(ascii: "\"") else { return false }
        var m = k + 1
        while m < n && m - k < 256 && p[m] != q && p[m] != 0x0A { m += 1 }
        guard m < n, p[m] == q else { return false }
        let v = span(k + 1, m)
        guard v.count >= 4, !ValueHeuristics.isURLPlaceholder(v), v[0] != UInt8(ascii: "*") else { return false }  // '*6BB4…' is a hash
        add(.sqlPassword, k + 1, m)
        return true
    }

    /// The statement holding `i` creates or alters a user or role (looked for on the same line,
    /// or the line before for statements split over lines).
    private func sqlUserStatement(before i: Int) -> Bool {
        var s = i
        var lines = 0
        while s > 0 && i - s < 1024 {
            if p[s - 1] == 0x0A {
                lines += 1
                if lines > 2 { break }
            }
            if p[s - 1] == UInt8(ascii: ";") { break }
            s -= 1
        }
        let stmt = span(s, i)
        for phrase in ["create user", "alter user", "create role", "alter role", "grant ", "create login", "alter login"] as [StaticString]
        where stmt.containsLowercased(phrase) {
            return true
        }
        return false
    }
}
