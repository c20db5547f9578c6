/// Character sets token bodies are made of.
enum TokenCharset: Sendable {
    case upperAlnum  // [A-Z0-9]
    case alnum  // [A-Za-z0-9]
    case lowerAlnum  // [a-z0-9]
    case lowerHex  // [0-9a-f]
    case hex  // [0-9a-fA-F]
    case hexDash  // [0-9a-f-]
    case base64url  // [A-Za-z0-9_-]
    case base64urlDot  // [A-Za-z0-9_.-]
    case base64  // [A-Za-z0-9+/=]
    case base64any  // [A-Za-z0-9+/=_.-]
    case alnumDash  // [A-Za-z0-9-]
    case alnumUnderscore  // [A-Za-z0-9_]
    case bech32Upper  // [QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]
    case alnumDollar  // [A-Za-z0-9$]
    case azureSecret  // [A-Za-z0-9_~.-]

    @inline(__always) func contains(_ b: UInt8) -> Bool {
        switch self {
        case .upperAlnum: return Ascii.isUpper(b) || Ascii.isDigit(b)
        case .alnum: return Ascii.isAlnum(b)
        case .lowerAlnum: return Ascii.isLower(b) || Ascii.isDigit(b)
        case .lowerHex: return Ascii.isLowerHex(b)
        case .hex: return Ascii.isHex(b)
        case .hexDash: return Ascii.isLowerHex(b) || b == 0x2D
        case .base64url: return Ascii.isBase64URL(b)
        case .base64urlDot: return Ascii.isBase64URL(b) || b == 0x2E
        case .base64: return Ascii.isAlnum(b) || b == 0x2B || b == 0x2F || b == 0x3D
        case .base64any: return Ascii.isBase64ish(b)
        case .alnumDash: return Ascii.isAlnum(b) || b == 0x2D
        case .alnumUnderscore: return Ascii.isAlnum(b) || b == 0x5F
        case .alnumDollar: return Ascii.isAlnum(b) || b == 0x24
        case .azureSecret: return Ascii.isBase64URL(b) || b == 0x7E || b == 0x2E
        case .bech32Upper:
            // bech32 excludes 1, B, I, O.
            return (Ascii.isUpper(b) && b != 0x42 && b != 0x49 && b != 0x4F) || (Ascii.isDigit(b) && b != 0x31)
        }
    }

    /// Charsets whose punctuation may also end a sentence: a trailing `.` is not taken, and a
    /// trailing `-` only when the token is too long with it (`-` is part of real Google, Docker,
    /// SendGrid and GitLab tokens: trimming it always dropped about 2% of them).
    var trimsTrailingPunctuation: Bool {
        switch self {
        case .base64urlDot, .base64any, .alnumDash, .base64url, .hexDash, .azureSecret: true
        default: false
        }
    }
}

/// Extra shape checks some formats need beyond charset and length.
enum PrefixCheck: Sendable {
    case none
    /// At least one digit in the body (Slack tokens carry numeric team/user ids).
    case requireDigit
    /// SendGrid: `SG.` + 22 + `.` + 43.
    case sendgridDot
    /// Postman: 24 hex, `-`, 34 hex.
    case postmanDash
    /// This body offset holds this separator (`dt0c01.<24>.<64>`, `pat<14>.<64>`).
    case separatorAt(Int, UInt8)
}

/// A token format recognised by its literal prefix: `prefix` + `minLength...maxLength`
/// characters of `charset`, not preceded by a letter or digit, not followed by another charset
/// character.
struct PrefixRule: Sendable {
    var prefix: String
    var caseInsensitive = false
    var rule: RuleKind
    var charset: TokenCharset
    var minLength: Int
    var maxLength: Int
    /// Whether the reported and redacted secret includes the prefix (`ghp_…`: yes;
    /// `AccountKey=…`: no, the name is not secret).
    var includePrefix = true
    var check: PrefixCheck = .none

    /// The provider formats (published token formats; lengths are those documented or observed
    /// in the providers' own docs and in other scanners' published rules).
    static let all: [PrefixRule] = {
        var r: [PrefixRule] = []
        for p in ["AKIA", "ASIA", "ABIA", "ACCA"] {
            r.append(PrefixRule(prefix: p, rule: .awsAccessKeyID, charset: .upperAlnum, minLength: 16, maxLength: 16))
        }
        for p in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] {
            r.append(PrefixRule(prefix: p, rule: .githubToken, charset: .alnum, minLength: 36, maxLength: 251))
        }
        r.append(PrefixRule(prefix: "github_pat_", rule: .githubFineGrainedPAT, charset: .alnumUnderscore, minLength: 70, maxLength: 255))
        for p in ["glpat-", "glrt-", "gldt-", "glptt-", "glcbt-", "glft-", "glimt-", "glagent-", "gloas-"] {
            r.append(PrefixRule(prefix: p, rule: .gitlabToken, charset: .base64urlDot, minLength: 20, maxLength: 255))
        }
        for p in ["xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-", "xoxe-", "xapp-"] {
            r.append(PrefixRule(prefix: p, rule: .slackToken, charset: .alnumDash, minLength: 10, maxLength: 255, check: .requireDigit))
        }
        for p in ["sk_live_", "sk_test_", "sk_prod_", "rk_live_", "rk_test_", "rk_prod_"] {
            r.append(PrefixRule(prefix: p, rule: .stripeKey, charset: .alnum, minLength: 20, maxLength: 255))
        }
        r.append(PrefixRule(prefix: "whsec_", rule: .stripeWebhookSecret, charset: .base64, minLength: 32, maxLength: 255))
        r.append(PrefixRule(prefix: "AIza", rule: .googleAPIKey, charset: .base64url, minLength: 35, maxLength: 35))
        r.append(PrefixRule(prefix: "ya29.", rule: .googleOAuthToken, charset: .base64url, minLength: 30, maxLength: 2048))
        r.append(PrefixRule(prefix: "hf_", rule: .huggingFaceToken, charset: .alnum, minLength: 34, maxLength: 34))
        r.append(PrefixRule(prefix: "npm_", rule: .npmToken, charset: .alnum, minLength: 36, maxLength: 36))
        r.append(PrefixRule(prefix: "pypi-AgE", rule: .pypiToken, charset: .base64url, minLength: 50, maxLength: 1000))
        r.append(PrefixRule(prefix: "rubygems_", rule: .rubygemsToken, charset: .lowerHex, minLength: 48, maxLength: 48))
        r.append(PrefixRule(prefix: "oy2", rule: .nugetKey, charset: .lowerAlnum, minLength: 43, maxLength: 43))
        r.append(PrefixRule(prefix: "CLOJARS_", rule: .clojarsToken, charset: .lowerAlnum, minLength: 60, maxLength: 60))
        r.append(PrefixRule(prefix: "SK", rule: .twilioAPIKey, charset: .lowerHex, minLength: 32, maxLength: 32))
        r.append(PrefixRule(prefix: "SG.", rule: .sendgridKey, charset: .base64urlDot, minLength: 66, maxLength: 66, check: .sendgridDot))
        r.append(PrefixRule(prefix: "key-", rule: .mailgunKey, charset: .lowerAlnum, minLength: 32, maxLength: 32))
        for p in ["AccountKey=", "SharedAccessKey="] {
            r.append(PrefixRule(prefix: p, caseInsensitive: true, rule: .azureConnectionString, charset: .base64, minLength: 40, maxLength: 200, includePrefix: false))
        }
        for p in ["shpat_", "shpss_", "shpca_", "shppa_"] {
            r.append(PrefixRule(prefix: p, rule: .shopifyToken, charset: .hex, minLength: 32, maxLength: 32))
        }
        for p in ["dop_v1_", "doo_v1_", "dor_v1_"] {
            r.append(PrefixRule(prefix: p, rule: .digitalOceanToken, charset: .lowerHex, minLength: 64, maxLength: 64))
        }
        r.append(PrefixRule(prefix: "dapi", rule: .databricksToken, charset: .lowerHex, minLength: 32, maxLength: 32))
        r.append(PrefixRule(prefix: "lin_api_", rule: .linearKey, charset: .alnum, minLength: 40, maxLength: 40))
        r.append(PrefixRule(prefix: "PMAK-", rule: .postmanKey, charset: .hexDash, minLength: 59, maxLength: 59, check: .postmanDash))
        for p in ["dp.pt.", "dp.st.", "dp.ct.", "dp.sa.", "dp.scim.", "dp.audit."] {
            r.append(PrefixRule(prefix: p, rule: .dopplerToken, charset: .alnum, minLength: 40, maxLength: 44))
        }
        r.append(PrefixRule(prefix: "sq0atp-", rule: .squareToken, charset: .base64url, minLength: 22, maxLength: 22))
        r.append(PrefixRule(prefix: "sq0csp-", rule: .squareToken, charset: .base64url, minLength: 43, maxLength: 43))
        r.append(PrefixRule(prefix: "EAAA", rule: .squareToken, charset: .base64url, minLength: 60, maxLength: 60))
        r.append(PrefixRule(prefix: "AGE-SECRET-KEY-1", rule: .ageSecretKey, charset: .bech32Upper, minLength: 58, maxLength: 58))
        r.append(PrefixRule(prefix: "glsa_", rule: .grafanaToken, charset: .alnumUnderscore, minLength: 41, maxLength: 41))
        r.append(PrefixRule(prefix: "glc_", rule: .grafanaToken, charset: .base64, minLength: 32, maxLength: 400))
        r.append(PrefixRule(prefix: "dckr_pat_", rule: .dockerPAT, charset: .base64url, minLength: 27, maxLength: 27))
        for p in ["pscale_tkn_", "pscale_pw_", "pscale_oauth_"] {
            r.append(PrefixRule(prefix: p, rule: .planetScaleToken, charset: .base64urlDot, minLength: 32, maxLength: 64))
        }
        r.append(PrefixRule(prefix: "ATATT3", rule: .atlassianToken, charset: .base64any, minLength: 150, maxLength: 300))
        r.append(PrefixRule(prefix: "sntryu_", rule: .sentryToken, charset: .lowerHex, minLength: 64, maxLength: 64))
        r.append(PrefixRule(prefix: "sntrys_", rule: .sentryToken, charset: .base64any, minLength: 50, maxLength: 400))
        r.append(PrefixRule(prefix: "hvs.", rule: .vaultToken, charset: .base64url, minLength: 90, maxLength: 120))
        r.append(PrefixRule(prefix: "hvb.", rule: .vaultToken, charset: .base64url, minLength: 138, maxLength: 300))
        r.append(PrefixRule(prefix: "ntn_", rule: .notionToken, charset: .alnum, minLength: 46, maxLength: 46))
        r.append(PrefixRule(prefix: "secret_", rule: .notionToken, charset: .alnum, minLength: 43, maxLength: 43))
        r += newProviders
        return r
    }()
}

extension PrefixRule {
    /// Formats added for issue 15 (prefixes and lengths as published by the providers and listed
    /// in gitleaks' and CredSweeper's public rule sets; no code taken from them).
    static let newProviders: [PrefixRule] = {
        var r: [PrefixRule] = []
        func add(_ prefixes: [String], _ rule: RuleKind, _ charset: TokenCharset, _ min: Int, _ max: Int, _ check: PrefixCheck = .none) {
            for p in prefixes { r.append(PrefixRule(prefix: p, rule: rule, charset: charset, minLength: min, maxLength: max, check: check)) }
        }
        // AI / LLM providers
        add(["gsk_"], .groqKey, .alnum, 52, 52)
        add(["xai-"], .xaiKey, .alnum, 80, 80)
        add(["pplx-"], .perplexityKey, .alnum, 48, 48)
        add(["r8_"], .replicateToken, .alnum, 37, 37)
        add(["lsv2_pt_", "lsv2_sk_"], .langsmithKey, .alnumUnderscore, 43, 43, .separatorAt(32, 0x5F))
        add(["pcsk_"], .pineconeKey, .alnumUnderscore, 50, 120)
        add(["api_org_"], .huggingFaceToken, .alnum, 34, 34)
        // hosting and CI/CD
        add(["HRKU-AA"], .herokuKey, .base64url, 58, 58)
        add(["fo1_"], .flyioToken, .base64url, 43, 43)
        add(["fm1r_", "fm1a_", "fm2_"], .flyioToken, .base64, 100, 4096)
        add(["bkua_"], .buildkiteToken, .lowerHex, 40, 40)
        add(["pul-"], .pulumiToken, .lowerHex, 40, 40)
        add(["CCIPAT_"], .circleciToken, .alnumUnderscore, 63, 63, .separatorAt(22, 0x5F))
        add(["ATBB"], .bitbucketAppPassword, .alnum, 32, 32)
        add(["API-"], .octopusKey, .upperAlnum, 26, 26)
        add(["sha256~"], .openshiftToken, .base64url, 43, 43)
        add(["ico-"], .infracostToken, .alnum, 32, 32)
        // observability
        add(["NRAK-"], .newRelicKey, .upperAlnum, 27, 27)
        add(["NRII-"], .newRelicKey, .alnumDash, 32, 32)
        add(["NRJS-"], .newRelicKey, .lowerHex, 19, 19)
        add(["dt0c01."], .dynatraceToken, .base64urlDot, 89, 89, .separatorAt(24, 0x2E))
        // e-mail / SMS
        add(["xkeysib-"], .brevoKey, .alnumDash, 81, 81, .separatorAt(64, 0x2D))
        // package registries
        add(["cio"], .cratesToken, .alnum, 32, 32)
        add(["AKCp"], .artifactoryKey, .alnum, 69, 69)
        add(["pnu_"], .prefectKey, .alnum, 36, 36)
        // payments
        add(["FLWSECK-", "FLWSECK_TEST-"], .flutterwaveKey, .alnumDash, 34, 34)
        add(["access_token$production$", "access_token$sandbox$"], .braintreeToken, .alnumDollar, 49, 49, .separatorAt(16, 0x24))
        add(["shippo_live_", "shippo_test_"], .shippoToken, .hex, 40, 40)
        add(["EZAK", "EZTK"], .easypostKey, .alnum, 54, 54)
        add(["duffel_live_", "duffel_test_"], .duffelToken, .base64url, 43, 43)
        // databases as a service
        add(["sbp_"], .supabaseToken, .lowerHex, 40, 40)
        add(["sb_secret_"], .supabaseToken, .base64url, 28, 64)
        add(["napi_"], .neonKey, .lowerAlnum, 64, 64)
        // other platforms
        add(["GOCSPX-"], .googleOAuthClientSecret, .base64url, 28, 28)
        add(["figd_"], .figmaToken, .base64url, 40, 40)
        add(["CFPAT-"], .contentfulToken, .base64url, 43, 43)
        add(["ops_eyJ"], .onePasswordToken, .base64, 250, 4096)
        add(["sk.eyJ"], .mapboxSecret, .base64urlDot, 50, 1024)
        add(["LTAI"], .alibabaKeyID, .alnum, 20, 20)
        add(["EAAC", "EAAM"], .facebookToken, .alnum, 100, 400)
        add(["rdme_"], .readmeKey, .lowerAlnum, 70, 70)
        add(["pat"], .airtableToken, .base64urlDot, 79, 79, .separatorAt(14, 0x2E))
        return r
    }()
}
