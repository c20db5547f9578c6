/// Cases for the rules added with issue 15: provider formats, command-line and SQL passwords,
/// JWK private members. Same conventions as `RuleCases`: tokens are built by concatenation.
extension RuleCases {
    static let issue15: [RuleCase] = newProviders + [case0, case1, case2, case3, case4, case5, case6]

    static var case0: RuleCase {
        let c: RuleCase =
        RuleCase(
            rule: "discord-webhook-url",
            positives: [
                "https://discord" + ".com/api/webhooks/" + digits(18, 1) + "/" + Fake.b64url(68, 2),
                "DISCORD_WEBHOOK=https://discordapp" + ".com/api/webhooks/" + digits(19, 3) + "/" + Fake.b64url(68, 4),
                "{\"url\": \"https://discord" + ".com/api/webhooks/" + digits(18, 5) + "/" + Fake.b64url(64, 6) + "\"}",
            ],
            nearMisses: [
                "https://discord" + ".com/api/webhooks/" + digits(18, 7) + "/" + Fake.b64url(30, 8),  // token cut
                "https://discord" + ".com/api/webhooks/<id>/<token>",
                "https://discord" + ".com/api/webhooks/" + digits(8, 9) + "/" + Fake.b64url(68, 10),  // id too short
            ])
        return c
    }

    static var case1: RuleCase {
        let c: RuleCase =
        RuleCase(
            rule: "teams-webhook-url",
            positives: [teamsURL(0), teamsURL(1), teamsURL(2)],
            nearMisses: [
                "https://contoso.webhook" + ".office.com/webhookb2/",
                "https://contoso.webhook" + ".office.com/webhookb2/" + uuid(60) + "@" + uuid(61),  // no IncomingWebhook part
                "see https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors",
            ])
        return c
    }

    static var case2: RuleCase {
        let c: RuleCase =
        RuleCase(
            rule: "telegram-bot-token",
            positives: [
                digits(10, 70) + ":" + "AA" + Fake.b64url(33, 71),
                "TELEGRAM_BOT_TOKEN=" + digits(9, 72) + ":" + "AA" + Fake.b64url(33, 73),
                "curl https://api.telegram.org/bot" + digits(10, 74) + ":" + "AA" + Fake.b64url(33, 75) + "/getMe",
            ],
            nearMisses: [
                digits(3, 76) + ":" + "AA" + Fake.b64url(33, 77),  // id too short
                digits(10, 78) + ":" + "AA" + Fake.b64url(20, 79),  // body too short
                "x" + digits(10, 80) + ":" + "AA" + Fake.b64url(33, 81),  // glued to a word
                "at 12:" + "AAbc the meeting",
            ])
        return c
    }

    static var case3: RuleCase {
        let c: RuleCase =
        RuleCase(
            rule: "azure-ad-client-secret",
            positives: [
                Fake.alnum(3, 90) + "8" + "Q~" + Fake.chars(Fake.alnum + "_~.", 34, seed: 91),
                "AZURE_CLIENT_SECRET=" + Fake.alnum(3, 92) + "7" + "Q~" + Fake.chars(Fake.alnum + "_~.", 34, seed: 93),
                "{\"clientSecret\": \"" + Fake.alnum(3, 94) + "2" + "Q~" + Fake.chars(Fake.alnum + "_~.", 31, seed: 95) + "\"}",
            ],
            nearMisses: [
                Fake.alnum(3, 96) + "8" + "Q~" + Fake.alnum(20, 97),  // too short
                Fake.alnum(4, 98) + "Q~" + Fake.chars(Fake.lower, 34, seed: 99),  // no digit before Q~
                "Fake" + Fake.alnum(3, 100) + "8" + "Q~" + Fake.alnum(34, 101),  // glued to a longer run
            ])
        return c
    }

    static var case4: RuleCase {
        let c: RuleCase =
        RuleCase(
            rule: "jwk-private-key",
            positives: [
                "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + Fake.b64url(43, 110) + "\",\"y\":\"" + Fake.b64url(43, 111) + "\",\"d\":\"" + Fake.b64url(43, 112) + "\"}",
                "{\"kty\": \"oct\", \"k\": \"" + Fake.b64url(43, 113) + "\", \"alg\": \"HS256\"}",
                "{\"d\": \"" + Fake.b64url(43, 114) + "\", \"crv\": \"Ed25519\", \"kty\": \"OKP\", \"x\": \"" + Fake.b64url(43, 115) + "\"}",
            ],
            nearMisses: [
                "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + Fake.b64url(43, 116) + "\",\"y\":\"" + Fake.b64url(43, 117) + "\"}",  // public JWK
                "{\"kty\":\"RSA\",\"n\":\"" + Fake.b64url(86, 118) + "\",\"e\":\"AQAB\"}",
                "{\"kty\": \"oct\", \"k\": \"<base64url key>\"}",
            ])
        return c
    }

    static var case5: RuleCase {
        let c: RuleCase =
        RuleCase(
            rule: "command-line-password",
            positives: [
                "mysql -uroot -p" + Fake.alnum(12, 120) + " app_db",
                "mysqldump -u backup -p'" + Fake.alnum(14, 121) + "' --all-databases > all.sql",
                "{\"command\":\"sshpass -p " + Fake.alnum(12, 122) + " ssh deploy@10.0.0.5 uptime\"}",
                "docker login -u ci -p " + Fake.alnum(20, 123) + " registry.example.com",
                "htpasswd -bc /etc/nginx/.htpasswd admin " + Fake.alnum(12, 124),
                "sqlcmd -S db.local -U sa -P " + Fake.alnum(14, 125) + " -Q \"SELECT 1\"",
                "redis-cli -h cache -a " + Fake.alnum(16, 126) + " ping",
                "ldapsearch -x -D cn=admin,dc=ex,dc=org -w " + Fake.alnum(12, 127) + " -b dc=ex,dc=org",
                "smbclient //fs/share -U alice%" + Fake.alnum(12, 128),
                "7z a -p" + Fake.alnum(12, 129) + " backup.7z dir/",
            ],
            nearMisses: [
                "mysql -u root -p app_db",  // -p alone prompts; app_db is the database
                "mysql -h db -P 3306 -u root -p",
                "mysql -uroot -p\"$MYSQL_ROOT_PASSWORD\" db",
                "mkdir -p build/out && ssh -p 2222 host",
                "sshpass -f ~/.ssh/pw ssh deploy@host",
                "docker login -u ci --password-stdin registry.example.com",
                "htpasswd -c /etc/nginx/.htpasswd admin",
                "zip -r out.zip dir/",
                "redis-cli -h cache ping",
            ])
        return c
    }

    static var case6: RuleCase {
        let c: RuleCase =
        RuleCase(
            rule: "sql-password",
            positives: [
                "CREATE USER 'app'@'%' IDENTIFIED BY '" + Fake.alnum(14, 130) + "';",
                "ALTER USER app WITH PASSWORD '" + Fake.alnum(14, 131) + "';",
                "create role reporter with login password '" + Fake.alnum(12, 132) + "';",
                "ALTER USER 'root'@'localhost' IDENTIFIED WITH mysql_native_password BY '" + Fake.alnum(12, 133) + "';",
            ],
            nearMisses: [
                "The user is identified by their e-mail address.",
                "Sessions are identified by 'sid' cookies.",
                "CREATE USER 'app'@'%' IDENTIFIED BY '<password>';",
                "ALTER USER app PASSWORD NULL;",
            ])
        return c
    }

    static let newProviders: [RuleCase] = [
        triple("groq-api-key", ["gs" + "k_", "gs" + "k_", "gs" + "k_"], { Fake.alnum(52, $0) }),
        triple("xai-api-key", ["xa" + "i-", "xa" + "i-", "xa" + "i-"], { Fake.alnum(80, $0) }),
        triple("perplexity-api-key", ["pp" + "lx-", "pp" + "lx-", "pp" + "lx-"], { Fake.alnum(48, $0) }),
        triple("replicate-api-token", ["r8" + "_", "r8" + "_", "r8" + "_"], { Fake.alnum(37, $0) }),
        triple("openrouter-api-key", ["sk" + "-or-v1-", "sk" + "-or-v1-", "sk" + "-or-v1-"], { Fake.hex(64, $0) }),
        triple("langsmith-api-key", ["lsv2" + "_pt_", "lsv2" + "_sk_", "lsv2" + "_pt_"], { Fake.hex(32, $0) + "_" + Fake.hex(10, $0 &+ 5) }),
        triple("pinecone-api-key", ["pc" + "sk_", "pc" + "sk_", "pc" + "sk_"], { Fake.alnum(6, $0) + "_" + Fake.alnum(60, $0 &+ 5) }),
        triple("heroku-api-key", ["HRKU" + "-AA", "HRKU" + "-AA", "HRKU" + "-AA"], { Fake.alnum(58, $0) }),
        triple("flyio-token", ["fo" + "1_", "fo" + "1_", "fo" + "1_"], { Fake.b64url(43, $0) }),
        triple("buildkite-token", ["bk" + "ua_", "bk" + "ua_", "bk" + "ua_"], { Fake.hex(40, $0) }),
        triple("pulumi-token", ["pu" + "l-", "pu" + "l-", "pu" + "l-"], { Fake.hex(40, $0) }),
        triple("circleci-token", ["CCI" + "PAT_", "CCI" + "PAT_", "CCI" + "PAT_"], { Fake.alnum(22, $0) + "_" + Fake.hex(40, $0 &+ 5) }),
        triple("bitbucket-app-password", ["AT" + "BB", "AT" + "BB", "AT" + "BB"], { Fake.alnum(32, $0) }),
        triple("newrelic-key", ["NR" + "AK-", "NR" + "AK-", "NR" + "AK-"], { Fake.chars(Fake.upperAlnum, 27, seed: $0) }),
        triple("dynatrace-token", ["dt0" + "c01.", "dt0" + "c01.", "dt0" + "c01."], {
            Fake.chars(Fake.upperAlnum, 24, seed: $0) + "." + Fake.chars(Fake.upperAlnum, 64, seed: $0 &+ 5)
        }),
        triple("brevo-api-key", ["xkey" + "sib-", "xkey" + "sib-", "xkey" + "sib-"], { Fake.hex(64, $0) + "-" + Fake.alnum(16, $0 &+ 5) }),
        triple("crates-io-token", ["ci" + "o", "ci" + "o", "ci" + "o"], { Fake.alnum(32, $0) }),
        triple("artifactory-api-key", ["AK" + "Cp", "AK" + "Cp", "AK" + "Cp"], { Fake.alnum(69, $0) }),
        triple("prefect-api-key", ["pn" + "u_", "pn" + "u_", "pn" + "u_"], { Fake.alnum(36, $0) }),
        triple("flutterwave-secret-key", ["FLWSECK" + "-", "FLWSECK" + "_TEST-", "FLWSECK" + "-"], { Fake.hex(32, $0) + "-X" }),
        triple("braintree-access-token", ["access_token$" + "production$", "access_token$" + "production$", "access_token$" + "sandbox$"], {
            Fake.chars(Fake.lowerAlnum, 16, seed: $0) + "$" + Fake.hex(32, $0 &+ 5)
        }),
        triple("shippo-token", ["shippo" + "_live_", "shippo" + "_test_", "shippo" + "_live_"], { Fake.hex(40, $0) }),
        triple("easypost-api-key", ["EZ" + "AK", "EZ" + "AK", "EZ" + "TK"], { Fake.alnum(54, $0) }),
        triple("duffel-token", ["duffel" + "_live_", "duffel" + "_test_", "duffel" + "_live_"], { Fake.b64url(43, $0) }),
        triple("supabase-token", ["sb" + "p_", "sb" + "p_", "sb" + "p_"], { Fake.hex(40, $0) }),
        triple("neon-api-key", ["na" + "pi_", "na" + "pi_", "na" + "pi_"], { Fake.chars(Fake.lowerAlnum, 64, seed: $0) }),
        triple("google-oauth-client-secret", ["GOC" + "SPX-", "GOC" + "SPX-", "GOC" + "SPX-"], { Fake.b64url(28, $0) }),
        triple("figma-token", ["fi" + "gd_", "fi" + "gd_", "fi" + "gd_"], { Fake.b64url(40, $0) }),
        triple("contentful-token", ["CFP" + "AT-", "CFP" + "AT-", "CFP" + "AT-"], { Fake.b64url(43, $0) }),
        triple("1password-service-account-token", ["ops_" + "eyJ", "ops_" + "eyJ", "ops_" + "eyJ"], { Fake.chars(Fake.alnum, 300, seed: $0) }),
        triple("mapbox-secret-token", ["sk" + ".eyJ", "sk" + ".eyJ", "sk" + ".eyJ"], { Fake.b64url(60, $0) + "." + Fake.b64url(22, $0 &+ 5) }),
        triple("alibaba-access-key-id", ["LT" + "AI", "LT" + "AI", "LT" + "AI"], { Fake.alnum(20, $0) }),
        triple("facebook-access-token", ["EA" + "AC", "EA" + "AM", "EA" + "AC"], { Fake.alnum(150, $0) }),
        triple("readme-api-key", ["rd" + "me_", "rd" + "me_", "rd" + "me_"], { Fake.chars(Fake.lowerAlnum, 70, seed: $0) }),
        triple("octopus-deploy-api-key", ["AP" + "I-", "AP" + "I-", "AP" + "I-"], { Fake.chars(Fake.upperAlnum, 26, seed: $0) }),
        triple("openshift-token", ["sha" + "256~", "sha" + "256~", "sha" + "256~"], { Fake.b64url(43, $0) }),
        triple("airtable-token", ["pa" + "t", "pa" + "t", "pa" + "t"], { Fake.alnum(14, $0) + "." + Fake.hex(64, $0 &+ 5) }),
        triple("infracost-token", ["ic" + "o-", "ic" + "o-", "ic" + "o-"], { Fake.alnum(32, $0) }),
    ]

    static func teamsURL(_ i: UInt64) -> String {
        let host: String = "https://contoso.webhook" + ".office.com/webhookb2/"
        let ids: String = uuid(20 + i) + "@" + uuid(30 + i)
        let tail: String = "/IncomingWebhook/" + Fake.hex(32, 40 + i) + "/" + uuid(50 + i)
        return host + ids + tail
    }

    static func digits(_ n: Int, _ seed: UInt64) -> String { "1" + Fake.chars(Fake.digits, n - 1, seed: seed) }
    static func uuid(_ seed: UInt64) -> String {
        let parts: [String] = [Fake.hex(8, seed), Fake.hex(4, seed &+ 1), Fake.hex(4, seed &+ 2), Fake.hex(4, seed &+ 3), Fake.hex(12, seed &+ 4)]
        return parts.joined(separator: "-")
    }
}
