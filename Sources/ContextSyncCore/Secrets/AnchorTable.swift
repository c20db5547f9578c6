/// What to run when an anchor matches.
enum AnchorAction: Sendable {
    /// `PrefixRule.all[index]`
    case prefix(Int)
    /// `sk-`: OpenAI and Anthropic keys.
    case skDash
    /// `eyJ`: JSON Web Tokens.
    case jwt
    /// `-----BEGIN`: PEM / OpenSSH private key blocks.
    case pem
    /// `://`: credentials in URLs.
    case url
    /// `hooks.slack.com/`
    case slackWebhook
    /// `bearer` / `basic` (Authorization headers).
    case bearer, basic
    /// `authorization`: other schemes (`token …`, `Bot …`) or a bare token value.
    case authorization
    /// `-u ` / `--user `: `curl -u user:password`.
    case curlUser
    /// A key-shaped word (`pass`, `pw`, `pswd`, `secret`, `token`, `auth`, `key`, `cred`): the generic rules.
    case keyword
    /// A command name whose arguments may hold a password (`PasswordCommand.anchors`).
    case command
    /// `identified` (SQL `IDENTIFIED BY`).
    case identified
    /// `kty` (JSON Web Keys).
    case jwk
    /// `LS0tLS1CRUdJTi` (base64 of `-----BEGIN `).
    case base64PEM
    /// `:A` (Telegram bot tokens).
    case telegram
    /// `Q~` (Azure AD client secrets).
    case azureSecret
    /// `discord.com/api/webhooks/`, `….webhook.office.com/webhookb2/`
    case discordWebhook, teamsWebhook
}

struct Anchor: Sendable {
    var bytes: [UInt8]
    var caseInsensitive: Bool
    var action: AnchorAction
}

/// The keyword prefilter: every anchor indexed by its first two bytes (ASCII-lower-cased), so the
/// scan loop does one table lookup per input byte and compares whole anchors only where the two
/// leading bytes already fit. Lines without any anchor never reach a matcher.
struct AnchorTable: Sendable {
    let anchors: [Anchor]
    /// 65,536 entries: 0 = no anchor starts with these two bytes, else 1 + index into `buckets`.
    let bucketOfPair: [UInt16]
    /// Anchor indices per bucket, flattened: `bucketAnchors[bucketStart[b]..<bucketStart[b + 1]]`.
    let bucketStart: [Int32]
    let bucketAnchors: [Int32]
    /// Anchor bytes, flattened: anchor `a` is `anchorBytes[anchorStart[a]..<anchorStart[a + 1]]`.
    let anchorStart: [Int32]
    let anchorBytes: [UInt8]
    let anchorCaseInsensitive: [Bool]
    let anchorAction: [AnchorAction]

    static let shared = AnchorTable()

    init() {
        var anchors: [Anchor] = []
        for (i, rule) in PrefixRule.all.enumerated() {
            anchors.append(Anchor(bytes: Array(rule.prefix.utf8), caseInsensitive: rule.caseInsensitive, action: .prefix(i)))
        }
        anchors.append(Anchor(bytes: Array("sk-".utf8), caseInsensitive: false, action: .skDash))
        anchors.append(Anchor(bytes: Array("eyJ".utf8), caseInsensitive: false, action: .jwt))
        anchors.append(Anchor(bytes: Array("-----BEGIN".utf8), caseInsensitive: false, action: .pem))
        anchors.append(Anchor(bytes: Array("://".utf8), caseInsensitive: false, action: .url))
        anchors.append(Anchor(bytes: Array("hooks.slack.com/".utf8), caseInsensitive: true, action: .slackWebhook))
        anchors.append(Anchor(bytes: Array("bearer".utf8), caseInsensitive: true, action: .bearer))
        anchors.append(Anchor(bytes: Array("basic".utf8), caseInsensitive: true, action: .basic))
        anchors.append(Anchor(bytes: Array("authorization".utf8), caseInsensitive: true, action: .authorization))
        anchors.append(Anchor(bytes: Array("-u ".utf8), caseInsensitive: false, action: .curlUser))
        anchors.append(Anchor(bytes: Array("--user ".utf8), caseInsensitive: false, action: .curlUser))
        for k in ["pass", "pw", "pswd", "secret", "token", "auth", "key", "cred"] {
            anchors.append(Anchor(bytes: Array(k.utf8), caseInsensitive: true, action: .keyword))
        }
        for c in PasswordCommand.anchors {
            anchors.append(Anchor(bytes: Array(c.utf8), caseInsensitive: false, action: .command))
        }
        anchors.append(Anchor(bytes: Array("identified".utf8), caseInsensitive: true, action: .identified))
        anchors.append(Anchor(bytes: Array("kty".utf8), caseInsensitive: false, action: .jwk))
        anchors.append(Anchor(bytes: Array("LS0tLS1CRUdJTi".utf8), caseInsensitive: false, action: .base64PEM))
        anchors.append(Anchor(bytes: Array(":A".utf8), caseInsensitive: false, action: .telegram))
        anchors.append(Anchor(bytes: Array("Q~".utf8), caseInsensitive: false, action: .azureSecret))
        for h in ["discord.com/api/webhooks/", "discordapp.com/api/webhooks/"] {
            anchors.append(Anchor(bytes: Array(h.utf8), caseInsensitive: true, action: .discordWebhook))
        }
        anchors.append(Anchor(bytes: Array(".webhook.office.com/webhookb2/".utf8), caseInsensitive: true, action: .teamsWebhook))
        self.anchors = anchors

        var lists: [[Int32]] = []
        var pairToBucket = [UInt16](repeating: 0, count: 65536)
        for (index, a) in anchors.enumerated() {
            precondition(a.bytes.count >= 2, "anchors need two bytes")
            let key = Int(Ascii.lower(a.bytes[0])) << 8 | Int(Ascii.lower(a.bytes[1]))
            if pairToBucket[key] == 0 {
                lists.append([])
                pairToBucket[key] = UInt16(lists.count)
            }
            lists[Int(pairToBucket[key]) - 1].append(Int32(index))
        }
        var starts: [Int32] = [0]
        var flat: [Int32] = []
        for l in lists {
            flat.append(contentsOf: l)
            starts.append(Int32(flat.count))
        }
        self.bucketOfPair = pairToBucket
        self.bucketStart = starts
        self.bucketAnchors = flat
        var aStart: [Int32] = [0]
        var aBytes: [UInt8] = []
        for a in anchors {
            aBytes.append(contentsOf: a.caseInsensitive ? a.bytes.map(Ascii.lower) : a.bytes)
            aStart.append(Int32(aBytes.count))
        }
        self.anchorStart = aStart
        self.anchorBytes = aBytes
        self.anchorCaseInsensitive = anchors.map(\.caseInsensitive)
        self.anchorAction = anchors.map(\.action)
    }
}
