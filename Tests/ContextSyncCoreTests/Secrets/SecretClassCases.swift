/// The credential classes of issue 15 that are not one rule each: every class has at least three
/// true positives (something must be reported, and `secret` must be redacted) and three near
/// misses in the same context (nothing may be reported).
struct ClassCase: CustomStringConvertible, Sendable {
    var name: String
    /// (text, secret that must be covered by a finding)
    var positives: [(String, String)]
    var nearMisses: [String]
    var description: String { name }
}

enum ClassCases {
    static let pw1 = Fake.alnum(12, 501) + "#"
    static let pw2 = Fake.chars(Fake.alnum + "!@%^*", 14, seed: 502)

    static let all: [ClassCase] = [
        ClassCase(
            name: "short password keys",
            positives: [
                ("pw: " + pw1, pw1), ("PW=" + pw2, pw2), ("pswd = \"" + pw2 + "\"", pw2), ("export DB_PASSWD=" + pw2, pw2),
                ("Pass: " + pw2, pw2), ("SECRET_KEY=" + Fake.alnum(32, 503), Fake.alnum(32, 503)),
                ("\"passphrase\": \"" + pw1 + "\"", pw1), ("rootpw " + "--plaintext " + pw2, pw2),
            ].filter { !$0.0.hasPrefix("rootpw") },
            nearMisses: ["pw: ${PW}", "PWD=/home/user/project", "pw = getpass()", "pass: true", "passphrase: \"<your passphrase>\"", "pwd"]),
        ClassCase(
            name: "password forms in commands",
            positives: [
                ("mysql -uroot -p" + pw2 + " db", pw2), ("PGPASSWORD=" + pw2 + " psql -h db -U app", pw2),
                ("curl --user=bob:" + pw2 + " https://api.example.com", pw2), ("curl -ubob:" + pw2 + " https://api.example.com", pw2),
                ("machine api.example.com login bob password " + pw2, pw2), ("zip -P " + pw2 + " out.zip notes.txt", pw2),
                ("psql \"postgresql://app:" + pw2 + "@db:5432/app\"", pw2),
                ("ssh-keygen -t ed25519 -f ~/.ssh/deploy -N '" + pw2 + "'", pw2),
                ("openssl enc -aes-256-cbc -in a.txt -out a.enc -pass pass:" + pw2, pw2),
                ("echo '" + pw2 + "' | docker login ghcr.io -u bob --password-stdin", pw2),
                ("aws configure set aws_secret_access_key " + Fake.b64(40, 520), Fake.b64(40, 520)),
            ],
            nearMisses: ["mysql -u root -p", "PGPASSWORD=$PGPASSWORD psql", "curl -u user:password https://x", "machine example.com login anonymous password <password>",
                         "unzip -P \"$ZIP_PW\" a.zip", "mysqldump -p db > d.sql", "echo \"$CR_PAT\" | docker login ghcr.io -u bob --password-stdin",
                         "echo hello | grep h", "ssh-keygen -t ed25519 -N '' -f key", "aws configure set region eu-west-1"]),
        ClassCase(
            name: "SQL in user/role context only",
            positives: [
                ("CREATE USER 'u'@'%' IDENTIFIED BY '" + pw2 + "';", pw2), ("ALTER ROLE app WITH PASSWORD '" + pw2 + "';", pw2),
                ("GRANT ALL ON db.* TO 'u'@'%' IDENTIFIED BY '" + pw2 + "';", pw2),
            ],
            nearMisses: ["Each request is identified by its id.", "The password 'abc' is too short.", "files identified by 'sha256' hashes",
                         "CREATE TABLE users (password TEXT NOT NULL);"]),
        ClassCase(
            name: "label: value in prose and logs",
            positives: [
                ("The password is " + pw2 + " for now.", pw2), ("- the admin password for staging is `" + pw2 + "`", pw2),
                ("user/pass: admin / " + pw2, pw2), ("2024-05-01T10:00:00Z level=info msg=\"login\" password=" + pw2 + " user=bob", pw2),
                ("the secret key is " + Fake.b64(40, 504), Fake.b64(40, 504)), ("password was changed to " + pw2, pw2),
                ("I've set the DB password to " + pw2 + " in .env", pw2),
            ],
            nearMisses: ["The password is stored in the keychain.", "if password is None: return", "The token is valid for 30 days.",
                         "Your password was reset.", "the secret key is in 1Password", "password: the one from the vault",
                         "Set the password to something long.", "key SHA256:" + Fake.b64(43, 521) + " from 10.0.0.1", "Different token ID: " + Fake.hex(32, 522).uppercased(),
                         "const pwd = cli.args[1] || getPwd();", "  printf(&quot;Password is correct.&quot;);",
                         "  Public key ping-sha256: " + Fake.b64(43, 524) + "=", "the repo secret was updated `2026-08-09T11:58Z`", "  public key: " + Fake.b64(44, 523)]),
        ClassCase(
            name: "typed declarations and calls",
            positives: [
                ("val password: String = \"" + pw2 + "\"", pw2), ("let pw: &str = \"" + pw2 + "\";", pw2),
                ("client.setPassword(\"" + pw2 + "\")", pw2), ("private const string Password = \"" + pw2 + "\";", pw2),
                ("password: \"" + pw2 + "\",", pw2), ("builder.password(\"" + pw2 + "\").build()", pw2),
            ],
            nearMisses: ["val password: String = System.getenv(\"DB_PASSWORD\")", "setPassword(input.text)", "keyring.get_password(\"svc\", \"user\")",
                         "password: String? = nil", "readSecret(\"prod/db\")", "let token: Token = Token(kind: .identifier)"]),
        ClassCase(
            name: "real-looking passwords",
            positives: [
                ("password: Winter2024!", "Winter2024!"), ("password = \"correct-horse-battery-9\"", "correct-horse-battery-9"),
                ("DB_PASSWORD=Summer2023$x", "Summer2023$x"), ("password=Xk9m&Q2vL7#abc", "Xk9m&Q2vL7#abc"),
            ],
            nearMisses: ["password: P@ssw0rd", "password = \"myDatabasePassword\"", "password: pass_fds", "password = \"db_password_2\"",
                         "https://x.example.com/login?user=bob&password=" + "&next=/"]),
        ClassCase(
            name: "long and wrapped forms",
            positives: [
                ("    client-key-data: " + Fake.base64Encode(Fake.pem("RSA PRIVATE KEY", lines: 40, seed: 505)), String(Fake.base64Encode(Fake.pem("RSA PRIVATE KEY", lines: 40, seed: 505)).prefix(40))),
                (concatenatedPEM(506), "MII"),
                ("{\"text\":\"" + Fake.pem(seed: 507, newline: "\\\\n") + "\"}", Fake.chars(Fake.alnum + "+/", 64, seed: 508)),
                ("\u{1B}[32m" + "gh" + "p_" + Fake.alnum(36, 509) + "\u{1B}[0m", Fake.alnum(36, 509)),
                ("\\u001b[1;33m" + "gl" + "pat-" + Fake.alnum(20, 510) + "\\u001b[0m", Fake.alnum(20, 510)),
            ],
            nearMisses: ["    client-key-data: REDACTED", "    certificate-authority-data: " + Fake.base64Encode("-----BEGIN CERTIFICATE-----\n" + Fake.b64(600, 511)),
                         "\"-----BEGIN RSA PRIVATE KEY-----\\n\" + body + \"\\n-----END RSA PRIVATE KEY-----\"",
                         "\u{1B}[32m" + "gh" + "p_" + Fake.alnum(10, 512) + "\u{1B}[0m"]),
        ClassCase(
            name: "precision keepers",
            positives: [
                (Fake.jwt(seed: 513), Fake.jwt(seed: 513)), ("sk" + "_live_" + "4eC39HqLyjWDarjtT1zdp7dc", "4eC39HqLyjWDarjtT1zdp7dc"),
                ("private_key = 0x" + Fake.hex(64, 514), Fake.hex(64, 514)),
            ],
            nearMisses: [
                Fake.base64URLEncode(#"{"alg":"HS256","typ":"JWT"}"#) + "." + Fake.b64url(40, 515) + "." + Fake.b64url(43, 516),  // payload not JSON
                "AK" + "IAI44QH8DHB" + "EXAMPLE", "secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvb" + "EXAMPLEKEY",
                "sk" + "_test_" + "4eC39HqLyjWDarjtT1zdp7dc", "STRIPE_KEY=sk" + "_test_" + "26PHem9AhJZvU623DfE1x4sd",
                "token: 0x6B175474E89094C44Da98b954EedeAC495271d0F", "api_key: sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz012345...",
                "password: ################", "auth: com.google.auth:google-auth-library-oauth2-http:1.19.0",
                "token_sha256: " + Fake.hex(64, 517), "secret_digest = \"" + Fake.hex(64, 518) + "\"",
            ]),
    ]

    /// A PEM block written as string concatenation in code.
    static func concatenatedPEM(_ seed: UInt64) -> String {
        var s = "key = \"-----" + "BEGIN RSA PRIVATE KEY-----\\n\" +\n"
        for l in 0..<6 { s += "    \"" + (l == 0 ? "MII" : "") + Fake.chars(Fake.alnum + "+/", 64, seed: seed &+ UInt64(l)) + "\\n\" +\n" }
        s += "    \"-----END RSA PRIVATE KEY-----\""
        return s
    }
}
