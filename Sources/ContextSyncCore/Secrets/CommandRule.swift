/// Passwords given on command lines: `mysql -uroot -pS3cret db`, `sshpass -p X ssh host`,
/// `docker login -u u -p X`, `htpasswd -b file user X`, `sqlcmd -P X`, `zip -P X`, `7z -pX`,
/// `redis-cli -a X`, `smbclient -U user%X`, `ldapsearch -w X`, `curl -uuser:X` / `--user=user:X`.
///
/// The anchor is the command name (`AnchorTable`); the matcher reads that command's arguments
/// (to the end of the command: a newline, `;`, `|`, `&`, or the end of the JSON string it sits in)
/// once, and knows, per command, which flag or position holds the password.
enum PasswordCommand {
    case mysql, sshpass, registryLogin, htpasswd, sqlcmd, zip, sevenZip, redis, smbclient, ldap, curl, sshKeygen, echoToStdin

    /// The anchors that start a command name (case-sensitive: commands are typed in lower case).
    static let anchors = ["mysql", "mariadb", "sshpass", "htpasswd", "login", "sqlcmd", "zip", "unzip", "7z", "redis-cli",
                          "smbclient", "ldap", "curl", "ssh-keygen", "echo", "printf"]

    init?(_ word: ByteSpan, previousWord: ByteSpan?) {
        let w = word.string
        switch w {
        case "sshpass": self = .sshpass
        case "htpasswd": self = .htpasswd
        case "sqlcmd": self = .sqlcmd
        case "zip", "unzip": self = .zip
        case "7z", "7za", "7zz", "7zr": self = .sevenZip
        case "redis-cli": self = .redis
        case "smbclient": self = .smbclient
        case "curl": self = .curl
        case "ssh-keygen": self = .sshKeygen
        case "echo", "printf": self = .echoToStdin
        case "login":
            guard let prev = previousWord, Self.registryClients.contains(prev.string) else { return nil }
            self = .registryLogin
        case "ldapsearch", "ldapadd", "ldapmodify", "ldapdelete", "ldapwhoami", "ldappasswd", "ldapcompare", "ldapmodrdn":
            self = .ldap
        default:
            guard (w.hasPrefix("mysql") || w.hasPrefix("mariadb")) && w.count <= 16 && !w.contains(".") && !w.contains("_") else { return nil }
            self = .mysql
        }
    }

    /// `X login -u user -p password`: clients whose `login` takes a password flag.
    static let registryClients: Set<String> = ["docker", "podman", "nerdctl", "buildah", "skopeo", "oras", "crane", "registry", "acr", "oc", "cf", "argocd", "regctl"]
}

extension ScanRun {
    /// A shell word of a command line: raw bytes `[start, end)` (quotes included).
    struct Word {
        var start: Int
        var end: Int
    }

    mutating func commandLine(at i: Int) {
        if i < commandUntil { return }
        guard isCommandStart(i) else { return }
        var j = i
        while j < n && j - i < 24 && Ascii.isNameChar(p[j]) { j += 1 }
        guard j < n, p[j] == 0x20 || p[j] == 0x09 else { return }
        guard let command = PasswordCommand(span(i, j), previousWord: previousWord(before: i)) else { return }
        let (words, end) = commandWords(from: j)
        commandUntil = end
        guard !words.isEmpty else { return }
        if command == .echoToStdin {
            // echo 'X' | docker login … --password-stdin: the echoed word is the password.
            guard end < n, p[end] == UInt8(ascii: "|"), words.count <= 2 else { return }
            var le = end
            while le < n && le - end < 240 && p[le] != 0x0A && !(p[le] == UInt8(ascii: "\\") && le + 1 < n && p[le + 1] == UInt8(ascii: "n")) { le += 1 }
            guard span(end, le).containsLowercased("--password-stdin") else { return }
            let w = words[words.count - 1]
            let (s, e) = unquoted(w.start, w.end)
            if p[w.start] != UInt8(ascii: "-") && commandValueIsCredential(s, e) { add(.commandPassword, s, e) }
            return
        }
        for (rule, s, e) in passwords(command, words) where commandValueIsCredential(s, e) {
            add(rule, s, e)
        }
    }

    /// A command name starts a command: at the start of the input or a line, after a blank,
    /// a quote, `(`, `;`, `|`, `&`, `$(`, a path separator or `sudo`-like prefixes, or after an
    /// escaped `\n` in a JSON string.
    private func isCommandStart(_ i: Int) -> Bool {
        guard i > 0 else { return true }
        switch p[i - 1] {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"), UInt8(ascii: "("),
            UInt8(ascii: ";"), UInt8(ascii: "|"), UInt8(ascii: "&"), UInt8(ascii: "/"), UInt8(ascii: "{"), UInt8(ascii: "["),
            UInt8(ascii: "="):
            return true
        case UInt8(ascii: "n"), UInt8(ascii: "t"):
            return i >= 2 && p[i - 2] == UInt8(ascii: "\\")
        default:
            return false
        }
    }

    private func previousWord(before i: Int) -> ByteSpan? {
        var e = i
        while e > 0 && i - e < 8 && (p[e - 1] == 0x20 || p[e - 1] == 0x09) { e -= 1 }
        guard e < i else { return nil }
        var s = e
        while s > 0 && e - s < 16 && Ascii.isNameChar(p[s - 1]) { s -= 1 }
        return s < e ? span(s, e) : nil
    }

    /// The words of one command, from `k` to the end of the command (bounded: 2 KB, 64 words).
    private func commandWords(from start: Int) -> ([Word], Int) {
        var words: [Word] = []
        var k = start
        let limit = min(n, start + 2048)
        var ended = false
        outer: while !ended && k < limit && words.count < 64 {
            while k < limit {
                if p[k] == 0x20 || p[k] == 0x09 { k += 1; continue }
                if p[k] == UInt8(ascii: "\\") && k + 1 < limit && p[k + 1] == 0x0A { k += 2; continue }  // line continuation
                if p[k] == UInt8(ascii: "\\") && k + 2 < limit && p[k + 1] == UInt8(ascii: "\\") && p[k + 2] == UInt8(ascii: "n") { break outer }
                break
            }
            guard k < limit, !isCommandEnd(k) else { break }
            let ws = k
            while k < limit && !isCommandEnd(k) && p[k] != 0x20 && p[k] != 0x09 {
                let b = p[k]
                if b == UInt8(ascii: "'") || b == UInt8(ascii: "\"") {
                    // A quote opens a quoted part where a shell word would hold one: at the start of
                    // the word, after `=`, or after a short flag (`-p"x"`). Elsewhere it is the end of
                    // the string the command sits in (JSON, code).
                    let opens = k == ws || p[k - 1] == UInt8(ascii: "=") || p[k - 1] == UInt8(ascii: ":") || p[k - 1] == UInt8(ascii: "%")
                        || (k - ws == 2 && p[ws] == UInt8(ascii: "-"))
                    guard opens, let close = closingQuote(b, from: k + 1, limit) else { ended = true; break }
                    k = close + 1
                    continue
                }
                if b == UInt8(ascii: "\\") && k + 1 < limit {
                    if p[k + 1] == UInt8(ascii: "\"") {  // \"…\" inside a JSON string
                        guard k == ws || p[k - 1] == UInt8(ascii: "=") || p[k - 1] == UInt8(ascii: ":") || p[k - 1] == UInt8(ascii: "%")
                            || (k - ws == 2 && p[ws] == UInt8(ascii: "-")),
                            let close = closingEscapedQuote(from: k + 2, limit)
                        else { ended = true; break }
                        k = close + 2
                        continue
                    }
                    if p[k + 1] == UInt8(ascii: "n") || p[k + 1] == UInt8(ascii: "r") || p[k + 1] == UInt8(ascii: "t") { break }
                    k += 2
                    continue
                }
                k += 1
            }
            if k > ws { words.append(Word(start: ws, end: min(k, limit))) }
            if k < limit && p[k] == UInt8(ascii: "\\") && k + 1 < limit && (p[k + 1] == UInt8(ascii: "n") || p[k + 1] == UInt8(ascii: "r")) { break }
        }
        return (words, k)
    }

    private func isCommandEnd(_ k: Int) -> Bool {
        switch p[k] {
        case 0x0A, 0x0D, 0, UInt8(ascii: ";"), UInt8(ascii: "|"), UInt8(ascii: "&"), UInt8(ascii: "`"), UInt8(ascii: "<"),
            UInt8(ascii: ">"), UInt8(ascii: ")"):
            return true
        default:
            return p[k] < 0x20 && p[k] != 0x09
        }
    }

    private func closingQuote(_ q: UInt8, from s: Int, _ limit: Int) -> Int? {
        var m = s
        while m < limit && p[m] != q && p[m] != 0x0A {
            m += (q == UInt8(ascii: "\"") && p[m] == UInt8(ascii: "\\")) ? 2 : 1
        }
        return m < limit && p[m] == q ? m : nil
    }

    private func closingEscapedQuote(from s: Int, _ limit: Int) -> Int? {
        var m = s
        while m + 1 < limit && p[m] != 0x0A {
            if p[m] == UInt8(ascii: "\\") && p[m + 1] == UInt8(ascii: "\"") { return m }
            m += 1
        }
        return nil
    }

    /// The value of a word without its quotes: `'x'`, `"x"`, `\"x\"`.
    private func unquoted(_ s: Int, _ e: Int) -> (Int, Int) {
        if e - s >= 2 && (p[s] == UInt8(ascii: "'") || p[s] == UInt8(ascii: "\"")) && p[e - 1] == p[s] { return (s + 1, e - 1) }
        if e - s >= 4 && p[s] == UInt8(ascii: "\\") && p[s + 1] == UInt8(ascii: "\"") && p[e - 2] == UInt8(ascii: "\\") && p[e - 1] == UInt8(ascii: "\"") {
            return (s + 2, e - 2)
        }
        return (s, e)
    }

    private func word(_ w: Word, is flag: StaticString) -> Bool { span(w.start, w.end).equalsExactly(flag) }
    private func word(_ w: Word, hasPrefix flag: StaticString) -> Bool {
        w.end - w.start > flag.utf8CodeUnitCount && span(w.start, w.end).hasPrefix(flag)
    }

    /// The password ranges of a parsed command (with the rule to report them under).
    private func passwords(_ command: PasswordCommand, _ words: [Word]) -> [(RuleKind, Int, Int)] {
        var out: [(RuleKind, Int, Int)] = []
        func next(_ index: Int) {
            guard index + 1 < words.count else { return }
            let (s, e) = unquoted(words[index + 1].start, words[index + 1].end)
            out.append((.commandPassword, s, e))
        }
        func glued(_ w: Word, _ prefixLength: Int) {
            let (s, e) = unquoted(w.start + prefixLength, w.end)
            out.append((.commandPassword, s, e))
        }
        for (index, w) in words.enumerated() {
            switch command {
            case .mysql:
                if word(w, hasPrefix: "-p") && p[w.start + 2] != UInt8(ascii: "-") { glued(w, 2) }
            case .sshpass, .registryLogin:
                if word(w, is: "-p") || (command == .registryLogin && word(w, is: "--password")) { next(index) }
                else if word(w, hasPrefix: "-p") && p[w.start + 2] != UInt8(ascii: "-") { glued(w, 2) }
            case .sqlcmd:
                if word(w, is: "-P") { next(index) } else if word(w, hasPrefix: "-P") { glued(w, 2) }
            case .zip:
                if word(w, is: "-P") || word(w, is: "--password") { next(index) }
            case .sevenZip:
                if word(w, hasPrefix: "-p") { glued(w, 2) }
            case .redis:
                if word(w, is: "-a") || word(w, is: "--pass") { next(index) }
            case .ldap:
                if word(w, is: "-w") { next(index) }
            case .sshKeygen:
                if word(w, is: "-N") || word(w, is: "-P") { next(index) }
            case .echoToStdin:
                break
            case .smbclient:
                var userWord: Word? = nil
                if word(w, is: "-U") || word(w, is: "--user"), index + 1 < words.count { userWord = words[index + 1] }
                else if word(w, hasPrefix: "-U") { userWord = Word(start: w.start + 2, end: w.end) }
                else if word(w, hasPrefix: "--user=") { userWord = Word(start: w.start + 7, end: w.end) }
                if let u = userWord {
                    let (s, e) = unquoted(u.start, u.end)
                    if let pct = firstIndex(of: UInt8(ascii: "%"), s, e) {
                        let (ps, pe) = unquoted(pct + 1, e)
                        out.append((.commandPassword, ps, pe))
                    }
                }
            case .curl:
                var userWord: Word? = nil
                if word(w, is: "-u") || word(w, is: "--user") || word(w, is: "-U") || word(w, is: "--proxy-user"), index + 1 < words.count {
                    userWord = words[index + 1]
                } else if word(w, hasPrefix: "--user=") {
                    userWord = Word(start: w.start + 7, end: w.end)
                } else if word(w, hasPrefix: "-u") && p[w.start + 2] != UInt8(ascii: "-") {
                    userWord = Word(start: w.start + 2, end: w.end)
                }
                if let u = userWord {
                    let (s, e) = unquoted(u.start, u.end)
                    if let colon = firstIndex(of: UInt8(ascii: ":"), s, e), colon > s {
                        let user = span(s, colon), pw = span(colon + 1, e)
                        let (ps, pe) = unquoted(colon + 1, e)
                        if !(pw.count == user.count && pw.string.lowercased() == user.string.lowercased()) && !ValueHeuristics.isURLPlaceholder(user) {
                            out.append((.genericPassword, ps, pe))
                        }
                    }
                }
            case .htpasswd:
                break
            }
        }
        if command == .htpasswd {
            // htpasswd -b[c…] FILE USER PASSWORD, htpasswd -nb USER PASSWORD
            var flags = "", positional: [Word] = []
            for w in words {
                if p[w.start] == UInt8(ascii: "-") && w.end - w.start > 1 { flags += span(w.start + 1, w.end).string } else { positional.append(w) }
            }
            let need = flags.contains("n") ? 2 : 3
            if flags.contains("b") && positional.count >= need {
                let (s, e) = unquoted(positional[need - 1].start, positional[need - 1].end)
                out.append((.commandPassword, s, e))
            }
        }
        return out
    }

    private func firstIndex(of b: UInt8, _ s: Int, _ e: Int) -> Int? {
        var m = s
        while m < e {
            if p[m] == b { return m }
            m += 1
        }
        return nil
    }

    /// A command-line password is explicit, so weak ones count; references (`$PW`, `"$(cat f)"`),
    /// template fillers, documentation words and flags do not.
    private func commandValueIsCredential(_ s: Int, _ e: Int) -> Bool {
        guard e - s >= 4 && e - s <= 256 else { return false }
        let v = span(s, e)
        if v[0] == UInt8(ascii: "-") { return false }
        for k in 0..<v.count where !Ascii.isPrintable(v[k]) { return false }
        if ValueHeuristics.isURLPlaceholder(v) { return false }
        // `$PW`, `${PW}`, `$(cat f)`, backticks: a reference, not the password (a `$` elsewhere is literal).
        for k in 0..<v.count {
            if v[k] == UInt8(ascii: "`") { return false }
            if v[k] == UInt8(ascii: "$") && k + 1 < v.count && (Ascii.isLetter(v[k + 1]) || v[k + 1] == UInt8(ascii: "_") || v[k + 1] == UInt8(ascii: "{") || v[k + 1] == UInt8(ascii: "(")) {
                return false
            }
        }
        return true
    }
}

extension ByteSpan {
    /// Byte-for-byte equality with `word`.
    func equalsExactly(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard n == count else { return false }
        let wp = word.utf8Start
        for j in 0..<n where self[j] != wp[j] { return false }
        return true
    }
}
