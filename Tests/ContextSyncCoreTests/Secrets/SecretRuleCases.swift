// Over 400 lines: one table of cases per secret rule; splitting it would scatter the rules' cases.
/// For every rule: true positives (the rule must report exactly that id) and near misses
/// (nothing at all may be reported). Tokens are built from the formats with `Fake`, by
/// concatenation, so no whole token literal appears in the source.
struct RuleCase: CustomStringConvertible, Sendable {
    var rule: String
    var positives: [String]
    var nearMisses: [String]
    var description: String { rule }
}

enum RuleCases {
    static let all: [RuleCase] = [
        RuleCase(
            rule: "aws-access-key-id",
            positives: [
                "AK" + "IA" + Fake.chars(Fake.upperAlnum, 16, seed: 1),
                "aws_access_key_id = " + "AS" + "IA" + Fake.chars(Fake.upperAlnum, 16, seed: 2),
                #"{"AccessKeyId": ""# + "AK" + "IA" + Fake.chars(Fake.upperAlnum, 16, seed: 3) + #""}"#,
            ],
            nearMisses: [
                "AK" + "IA" + Fake.chars(Fake.upperAlnum, 15, seed: 4),  // too short
                "AK" + "IA" + "IOSFODNN7" + "EXAMPLE",  // AWS documentation value
                "X" + "AK" + "IA" + Fake.chars(Fake.upperAlnum, 16, seed: 5),  // inside a word
                "ak" + "ia" + Fake.chars(Fake.lower, 16, seed: 6),  // lower case
                "AK" + "IA" + String(repeating: "Z", count: 16),  // no randomness
            ]),
        RuleCase(
            rule: "aws-secret-access-key",
            positives: [
                "aws_secret_access_key = " + Fake.b64(40, 11),
                "AWS_SECRET_ACCESS_KEY=\"" + Fake.b64(40, 12) + "\"",
                #""SecretAccessKey": ""# + Fake.b64(40, 13) + "\"",
            ],
            nearMisses: [
                "aws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY\"",
                "aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}",
                "aws_secret_access_key: <your-secret-access-key>",
                "aws_secret_access_key = os.environ[\"AWS_SECRET_ACCESS_KEY\"]",
            ]),
        RuleCase(
            rule: "github-token",
            positives: [
                "gh" + "p_" + Fake.alnum(36, 21),
                "export GITHUB_TOKEN=" + "gh" + "s_" + Fake.alnum(36, 22),
                #"{"token": ""# + "gh" + "o_" + Fake.alnum(36, 23) + #""}"#,
                "git clone https://x-access-token:" + "gh" + "u_" + Fake.alnum(36, 24) + "@github.com/o/r.git",
            ],
            nearMisses: [
                "gh" + "p_" + Fake.alnum(20, 25),  // too short
                "gh" + "x_" + Fake.alnum(36, 26),  // unknown prefix
                "gh" + "p_" + String(repeating: "x", count: 36),  // placeholder
                "GH" + "P_" + Fake.alnum(36, 27),  // wrong case
            ]),
        RuleCase(
            rule: "github-fine-grained-pat",
            positives: [
                "github" + "_pat_" + Fake.alnum(22, 31) + "_" + Fake.alnum(59, 32),
                "GH_TOKEN=" + "github" + "_pat_" + Fake.alnum(22, 33) + "_" + Fake.alnum(59, 34),
                "`" + "github" + "_pat_" + Fake.alnum(22, 35) + "_" + Fake.alnum(59, 36) + "`",
            ],
            nearMisses: [
                "github" + "_pat_" + Fake.alnum(22, 37),  // truncated
                "github" + "_pat_" + "<your token>",
                "the github_pat_ prefix marks fine-grained tokens",
            ]),
        RuleCase(
            rule: "gitlab-token",
            positives: [
                "gl" + "pat-" + Fake.b64url(20, 41),
                "GITLAB_TOKEN=" + "gl" + "pat-" + Fake.alnum(20, 42),
                "token: " + "gl" + "rt-" + Fake.alnum(24, 43),
            ],
            nearMisses: [
                "gl" + "pat-" + Fake.alnum(12, 44),
                "gl" + "pat-" + "xxxxxxxxxxxxxxxxxxxx",
                "use a glpat-... token with api scope",
            ]),
        RuleCase(
            rule: "slack-token",
            positives: [
                "xo" + "xb-" + Fake.chars(Fake.digits, 12, seed: 51) + "-" + Fake.chars(Fake.digits, 13, seed: 52) + "-" + Fake.alnum(24, 53),
                "SLACK_TOKEN=" + "xo" + "xp-" + Fake.chars(Fake.digits, 12, seed: 54) + "-" + Fake.chars(Fake.digits, 12, seed: 55) + "-"
                    + Fake.chars(Fake.digits, 13, seed: 56) + "-" + Fake.hex(32, 57),
                "\"" + "xa" + "pp-1-" + Fake.upperAlnum.prefix(0) + "A" + Fake.chars(Fake.upperAlnum, 10, seed: 58) + "-" + Fake.chars(Fake.digits, 13, seed: 59) + "-" + Fake.hex(64, 60) + "\"",
            ],
            nearMisses: [
                "xo" + "xb-" + "your-bot-token",
                "xo" + "xb-" + "123",
                "xo" + "xz-" + Fake.chars(Fake.digits, 12, seed: 61) + "-" + Fake.alnum(24, 62),
            ]),
        RuleCase(
            rule: "slack-webhook-url",
            positives: [
                "https://hooks." + "slack.com/services/T" + Fake.chars(Fake.upperAlnum, 10, seed: 71) + "/B" + Fake.chars(Fake.upperAlnum, 10, seed: 72) + "/" + Fake.alnum(24, 73),
                "SLACK_WEBHOOK=https://hooks." + "slack.com/services/T" + Fake.chars(Fake.upperAlnum, 8, seed: 74) + "/B" + Fake.chars(Fake.upperAlnum, 8, seed: 75) + "/" + Fake.alnum(24, 76),
                "url: \"https://hooks." + "slack.com/workflows/T" + Fake.chars(Fake.upperAlnum, 10, seed: 77) + "/A" + Fake.chars(Fake.upperAlnum, 10, seed: 78) + "/" + Fake.chars(Fake.digits, 18, seed: 79) + "/" + Fake.alnum(24, 80) + "\"",
            ],
            nearMisses: [
                "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
                "https://hooks.slack.com/services/",
                "see https://hooks.slack.com/ for incoming webhooks",
            ]),
        RuleCase(
            rule: "stripe-key",
            positives: [
                "sk" + "_live_" + Fake.alnum(24, 81),
                "STRIPE_SECRET_KEY=" + "rk" + "_live_" + Fake.alnum(99, 82),
                "Stripe.apiKey = \"" + "sk" + "_test_" + Fake.alnum(24, 83) + "\"",
            ],
            nearMisses: [
                "sk" + "_live_" + Fake.alnum(10, 84),
                "pk" + "_live_" + Fake.alnum(24, 85),  // publishable keys are public
                "sk" + "_live_" + "xxxxxxxxxxxxxxxxxxxxxxxx",
            ]),
        RuleCase(
            rule: "stripe-webhook-secret",
            positives: [
                "wh" + "sec_" + Fake.alnum(32, 86),
                "STRIPE_WEBHOOK_SECRET=" + "wh" + "sec_" + Fake.alnum(32, 87),
                "'" + "wh" + "sec_" + Fake.alnum(40, 88) + "'",
            ],
            nearMisses: ["wh" + "sec_" + Fake.alnum(10, 89), "wh" + "sec_" + "...", "whsec_your_secret_here"]),
        RuleCase(
            rule: "google-api-key",
            positives: [
                "AI" + "za" + Fake.b64url(35, 91),
                "GOOGLE_API_KEY=" + "AI" + "za" + Fake.b64url(35, 92),
                "<string name=\"google_api_key\">" + "AI" + "za" + Fake.b64url(35, 93) + "</string>",
            ],
            nearMisses: [
                "AI" + "za" + Fake.b64url(30, 94),  // short
                "AI" + "za" + Fake.b64url(40, 95),  // too long
                "AIzaSy" + "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
            ]),
        RuleCase(
            rule: "google-oauth-token",
            positives: [
                "ya" + "29." + Fake.b64url(120, 96),
                "access_token=" + "ya" + "29." + Fake.b64url(80, 97),
                "\"" + "ya" + "29." + Fake.b64url(60, 98) + "\"",
            ],
            nearMisses: ["ya" + "29." + "abc", "ya" + "29." + "your-token-here-xxxxxxxxxxxxxxxxxxxx", "kaya29.x"]),
        RuleCase(
            rule: "gcp-service-account-key",
            positives: [
                #"  "private_key": ""# + Fake.pem("PRIVATE KEY", seed: 101, newline: "\\n") + #"\n","#,
                #"{"type": "service_account", "private_key": ""# + Fake.pem("PRIVATE KEY", seed: 102, newline: "\\n") + #""}"#,
                #""private_key":""# + Fake.pem("PRIVATE KEY", lines: 12, seed: 103, newline: "\\n") + #"""#,
            ],
            nearMisses: [
                #""private_key": "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n""#,
                #""private_key": """#,
                #""private_key_id": "your-key-id""#,
            ]),
        RuleCase(
            rule: "openai-api-key",
            positives: [
                "sk" + "-" + Fake.alnum(48, 111),
                "OPENAI_API_KEY=" + "sk" + "-proj-" + Fake.b64url(120, 112),
                "client = OpenAI(api_key=\"" + "sk" + "-svcacct-" + Fake.b64url(100, 113) + "\")",
            ],
            nearMisses: [
                "sk" + "-" + Fake.alnum(20, 114),
                "sk" + "-your-openai-key",
                "pip install scikit-learn sk-learn",
            ]),
        RuleCase(
            rule: "anthropic-api-key",
            positives: [
                "sk" + "-ant-" + "api03-" + Fake.b64url(93, 121) + "AA",
                "ANTHROPIC_API_KEY=" + "sk" + "-ant-" + "api03-" + Fake.b64url(93, 122) + "AA",
                "x-api-key: " + "sk" + "-ant-" + "admin01-" + Fake.b64url(93, 123) + "AA",
            ],
            nearMisses: [
                "sk" + "-ant-" + "api03-" + "...",
                "sk" + "-ant-" + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                "keys start with sk-ant- and are secret",
            ]),
        RuleCase(
            rule: "huggingface-token",
            positives: [
                "hf" + "_" + Fake.chars(Fake.upper + Fake.lower, 34, seed: 131),
                "HF_TOKEN=" + "hf" + "_" + Fake.chars(Fake.upper + Fake.lower, 34, seed: 132),
                "login(token=\"" + "hf" + "_" + Fake.chars(Fake.upper + Fake.lower, 34, seed: 133) + "\")",
            ],
            nearMisses: [
                "from huggingface_hub import hf_hub_download",
                "hf" + "_" + Fake.chars(Fake.lower, 20, seed: 134),
                "hf" + "_" + String(repeating: "x", count: 34),
            ]),
        RuleCase(
            rule: "npm-token",
            positives: [
                "np" + "m_" + Fake.alnum(36, 141),
                "//registry.npmjs.org/:_authToken=" + "np" + "m_" + Fake.alnum(36, 142),
                "NPM_TOKEN=" + "np" + "m_" + Fake.alnum(36, 143),
            ],
            nearMisses: ["np" + "m_" + Fake.alnum(30, 144), "np" + "m_" + "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "run npm_config_cache=/tmp"]),
        RuleCase(
            rule: "pypi-token",
            positives: [
                "py" + "pi-AgEIcHlwaS5vcmc" + Fake.b64url(70, 151),
                "password = " + "py" + "pi-AgEIcHlwaS5vcmc" + Fake.b64url(120, 152),
                "TWINE_PASSWORD=" + "py" + "pi-AgENdGVzdC5weXBpLm9yZw" + Fake.b64url(80, 153),
            ],
            nearMisses: ["py" + "pi-AgE" + "short", "pypi-token", "py" + "pi-" + Fake.b64url(60, 154)]),
        RuleCase(
            rule: "twilio-api-key",
            positives: [
                "S" + "K" + Fake.hex(32, 161),
                "TWILIO_API_KEY=" + "S" + "K" + Fake.hex(32, 162),
                "\"" + "S" + "K" + Fake.hex(32, 163) + "\"",
            ],
            nearMisses: ["S" + "K" + Fake.hex(31, 164), "S" + "K" + Fake.hex(32, 165).uppercased(), "TASK" + Fake.hex(32, 166)]),
        RuleCase(
            rule: "sendgrid-api-key",
            positives: [
                "S" + "G." + Fake.b64url(22, 171) + "." + Fake.b64url(43, 172),
                "SENDGRID_API_KEY=" + "S" + "G." + Fake.b64url(22, 173) + "." + Fake.b64url(43, 174),
                "'" + "S" + "G." + Fake.b64url(22, 175) + "." + Fake.b64url(43, 176) + "'",
            ],
            nearMisses: [
                "S" + "G." + Fake.b64url(22, 177),
                "S" + "G." + Fake.b64url(66, 178),  // no inner dot
                "S" + "G." + "xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            ]),
        RuleCase(
            rule: "azure-connection-string",
            positives: [
                "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + Fake.b64(86, 181) + "==;EndpointSuffix=core.windows.net",
                "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=" + Fake.b64(43, 182) + "=",
                "\"AccountKey=" + Fake.b64(86, 183) + "==\"",
            ],
            nearMisses: [
                "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=<account-key>;EndpointSuffix=core.windows.net",
                "AccountKey=${AZURE_STORAGE_KEY}",
                "UseDevelopmentStorage=true",
            ]),
        RuleCase(
            rule: "jwt",
            positives: [
                Fake.jwt(seed: 191),
                "Cookie: session=" + Fake.jwt(#"{"user":"alice","exp":1900000000}"#, seed: 192),
                "{\"id_token\": \"" + Fake.jwt(#"{"iss":"https://accounts.example","aud":"x"}"#, seed: 193) + "\"}",
            ],
            nearMisses: [
                "eyJ" + "hbGciOiJ.not-a-token",
                "eyJ" + Fake.b64url(20, 194) + "." + "eyJ" + Fake.b64url(20, 195) + "." + Fake.b64url(20, 196),  // header is not JSON
                "the token looks like eyJ...",
            ]),
        RuleCase(
            rule: "private-key",
            positives: [
                Fake.pem(seed: 201),
                Fake.pem("OPENSSH PRIVATE KEY", seed: 202),
                "key = \"\"\"\n" + Fake.pem("EC PRIVATE KEY", lines: 3, seed: 203) + "\n\"\"\"",
            ],
            nearMisses: [
                "-----BEGIN PUBLIC KEY-----\n" + Fake.b64(64, 204) + "\n-----END PUBLIC KEY-----",
                "let header = \"-----BEGIN RSA PRIVATE KEY-----\"",
                "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
                "-----BEGIN CERTIFICATE-----\n" + Fake.b64(128, 205) + "\n-----END CERTIFICATE-----",
            ]),
        RuleCase(
            rule: "url-credentials",
            positives: [
                "https://admin:" + Fake.alnum(16, 211) + "@example.com/path",
                "git remote add origin https://user:" + Fake.alnum(12, 212) + "@git.example.org/repo.git",
                "ftp://bob:" + Fake.alnum(10, 213) + "@ftp.example.net",
            ],
            nearMisses: [
                "https://user@example.com/path",
                "https://example.com:8080/path@v2",
                "https://${USER}:${PASSWORD}@example.com",
                "https://user:<password>@example.com",
                "const u = new URL('http://abc:xyz@example.com');",
                "cvs://:pserver:anoncvs@sources.example.com:/cvs/src",
                "git@github.com:org/repo.git",
            ]),
        RuleCase(
            rule: "database-connection-string",
            positives: [
                "postgres://app:" + Fake.alnum(12, 220) + "@host/db",
                "DATABASE_URL=postgresql://app:" + Fake.alnum(20, 221) + "@db.internal:5432/app",
                "mongodb+srv://root:" + Fake.alnum(14, 222) + "@cluster0.mongodb.net/test",
                "Server=tcp:db.example.com,1433;Database=app;User Id=sa;Password=" + Fake.alnum(14, 223) + ";",
            ],
            nearMisses: [
                "postgres://user@localhost/db",
                "postgres://user:pass@host/db",  // documentation password
                "postgres://postgres:postgres@localhost:5432/app",  // user = password default
                "postgres://user:${DB_PASSWORD}@localhost/db",
                "mysql://root:****@localhost/app",
                "Server=db;Database=app;User Id=sa;Password=<password>;",
            ]),
        RuleCase(
            rule: "authorization-bearer",
            positives: [
                "Authorization: Bearer " + Fake.b64url(40, 231),
                "curl -H 'Authorization: Bearer " + Fake.alnum(32, 232) + "' https://api.example.com",
                #"headers = {"Authorization": "Bearer "# + Fake.alnum(24, 233) + #""}"#,
                "Authorization: token " + Fake.hex(40, 234),
                #"{"authorization": ""# + Fake.b64url(40, 235) + #""}"#,
            ],
            nearMisses: [
                "Authorization: Bearer $TOKEN",
                "Authorization: Bearer <token>",
                "the bearer of this letter",
                "\"Authorization\": \"Bearer \" + accessToken",
                "Authorization: token $GITHUB_TOKEN",
                "authorization: required for every request",
            ]),
        RuleCase(
            rule: "authorization-basic",
            positives: [
                "Authorization: Basic " + Fake.base64Encode("alice:" + Fake.alnum(12, 241)),
                "-H \"Authorization: Basic " + Fake.base64Encode("svc:" + Fake.alnum(16, 242)) + "\"",
                "auth_header = 'Basic " + Fake.base64Encode("deploy:" + Fake.alnum(10, 243)) + "'",
            ],
            nearMisses: [
                "Basic usage is shown below",
                "Authorization: Basic <base64(user:password)>",
                "Authorization: Basic " + Fake.base64Encode("no colon here"),
                "Authorization: Basic " + Fake.base64Encode("user:pass"),
            ]),
        RuleCase(
            rule: "generic-password",
            positives: [
                "password = \"" + "Xk9#mQ2$vL" + "\"",
                "DB_PASSWORD=" + Fake.alnum(14, 251),
                "  password: " + Fake.alnum(12, 252),
                "mysql -u root --password " + Fake.alnum(12, 253),
            ],
            nearMisses: [
                "password = \"changeme\"",
                "password: ${DB_PASSWORD}",
                "password = os.environ[\"DB_PASSWORD\"]",
                "password: String",
                "let password = try readPassword()",
                "password = \"\"",
                "Enter your password: ",
            ]),
        RuleCase(
            rule: "generic-secret",
            positives: [
                "api_key = \"" + Fake.alnum(32, 261) + "\"",
                "CLIENT_SECRET=" + Fake.hex(40, 262),
                #"{"auth_token": ""# + Fake.b64(44, 263) + #""}"#,
                "secret_key: '" + Fake.alnum(24, 264) + "'",
            ],
            nearMisses: [
                "api_key = \"your-api-key\"",
                "token = \"{{ .Values.token }}\"",
                "secret: %API_SECRET%",
                "api_key = process.env.API_KEY",
                "token_type = \"bearer\"",
                "commit_sha = " + Fake.hex(40, 265),
                "max_tokens: 4096",
            ]),
    ]

    /// Extra provider formats: one positive and one near miss each is enough beyond the three
    /// documented above (they share the prefix matcher), but each still gets three of each.
    static let providers: [RuleCase] = [
        triple("shopify-token", ["shp" + "at_", "shp" + "ss_", "shp" + "ca_"], { Fake.hex(32, $0) }),
        triple("digitalocean-token", ["do" + "p_v1_", "do" + "o_v1_", "do" + "r_v1_"], { Fake.hex(64, $0) }),
        triple("databricks-token", ["da" + "pi", "da" + "pi", "da" + "pi"], { Fake.hex(32, $0) }),
        triple("linear-api-key", ["lin" + "_api_", "lin" + "_api_", "lin" + "_api_"], { Fake.alnum(40, $0) }),
        triple("doppler-token", ["dp" + ".pt.", "dp" + ".st.", "dp" + ".ct."], { Fake.alnum(43, $0) }),
        triple("square-token", ["sq0" + "atp-", "sq0" + "atp-", "sq0" + "atp-"], { Fake.b64url(22, $0) }),
        triple("age-secret-key", ["AGE-SECRET" + "-KEY-1", "AGE-SECRET" + "-KEY-1", "AGE-SECRET" + "-KEY-1"], { Fake.chars(Fake.bech32Upper, 58, seed: $0) }),
        triple("grafana-token", ["gl" + "sa_", "gl" + "sa_", "gl" + "sa_"], { Fake.alnum(32, $0) + "_" + Fake.hex(8, $0 &+ 7) }),
        triple("docker-pat", ["dckr" + "_pat_", "dckr" + "_pat_", "dckr" + "_pat_"], { Fake.b64url(27, $0) }),
        triple("planetscale-token", ["pscale" + "_tkn_", "pscale" + "_pw_", "pscale" + "_oauth_"], { Fake.alnum(43, $0) }),
        triple("sentry-token", ["sntry" + "u_", "sntry" + "u_", "sntry" + "u_"], { Fake.hex(64, $0) }),
        triple("vault-token", ["hv" + "s.", "hv" + "s.", "hv" + "s."], { Fake.b64url(95, $0) }),
        triple("notion-token", ["nt" + "n_", "nt" + "n_", "nt" + "n_"], { Fake.alnum(46, $0) }),
        triple("rubygems-token", ["ruby" + "gems_", "ruby" + "gems_", "ruby" + "gems_"], { Fake.hex(48, $0) }),
        triple("nuget-api-key", ["oy" + "2", "oy" + "2", "oy" + "2"], { Fake.chars(Fake.lowerAlnum, 43, seed: $0) }),
        triple("clojars-token", ["CLOJARS" + "_", "CLOJARS" + "_", "CLOJARS" + "_"], { Fake.chars(Fake.lowerAlnum, 60, seed: $0) }),
        triple("mailgun-api-key", ["ke" + "y-", "ke" + "y-", "ke" + "y-"], { Fake.chars(Fake.lowerAlnum, 32, seed: $0) }),
        triple("postman-api-key", ["PM" + "AK-", "PM" + "AK-", "PM" + "AK-"], { Fake.hex(24, $0) + "-" + Fake.hex(34, $0 &+ 3) }),
        triple("atlassian-api-token", ["ATA" + "TT3", "ATA" + "TT3", "ATA" + "TT3"], { Fake.b64url(186, $0) }),
    ]

    /// Three positives (bare, in an env assignment, quoted in JSON) and three near misses
    /// (body one character short, placeholder body, glued to a preceding word).
    static func triple(_ rule: String, _ prefixes: [String], _ body: (UInt64) -> String) -> RuleCase {
        let seed = UInt64(rule.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xFFFF }) | 0x100
        let bodies = (0..<3).map { body(seed &+ UInt64($0)) }
        return RuleCase(
            rule: rule,
            positives: [
                prefixes[0] + bodies[0],
                "TOKEN_VALUE=" + prefixes[1] + bodies[1],
                "{\"value\": \"" + prefixes[2] + bodies[2] + "\"}",
            ],
            nearMisses: [
                prefixes[0] + String(bodies[0].dropLast(bodies[0].count / 2)),
                prefixes[1] + String(repeating: "x", count: bodies[1].count),
                "word" + prefixes[2] + bodies[2],
            ])
    }
}
