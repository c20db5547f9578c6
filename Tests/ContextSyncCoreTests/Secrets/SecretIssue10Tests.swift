import Foundation
import Testing
@testable import ContextSyncCore

/// Issue 10, "Secrets that get through today": each of these got through `redact` on main.
@Suite("Secret scanner: issue 10 leaks")
struct SecretIssue10Tests {
    let scanner = SecretScanner()

    @Test("a password glued to mysql -p is found and redacted, in a bullet and in a JSON tool call")
    func mysqlGlued() {
        let pw = Fake.alnum(10, 601)
        for text in [
            "- Connect with `mysql -uroot -p" + pw + " shop` to inspect orders.",
            "{\"type\":\"tool_use\",\"input\":{\"command\":\"mysql -uroot -p" + pw + " -e 'SHOW TABLES' shop\"}}",
            "mysqldump -h 127.0.0.1 -u admin -p" + pw + " --single-transaction shop > shop.sql",
        ] {
            #expect(scanner.scan(text).map(\.rule) == ["command-line-password"], "\(text.prefix(30))")
            let r = scanner.redact(text)
            #expect(!r.contains(pw))
            #expect(r.contains("-p<REDACTED:command-line-password>"))
        }
    }

    @Test("a 40-character AWS secret access key written in prose is found")
    func awsSecretInProse() {
        let secret = Fake.b64(40, 602)
        let id = "AK" + "IA" + Fake.chars(Fake.upperAlnum, 16, seed: 603)
        for text in [
            "- the secret key is " + secret,
            "- AWS credentials: " + id + " / " + secret,
            "Use access key " + id + " with secret " + secret + " for the upload.",
            "aws secret access key: " + secret,
        ] {
            let r = scanner.redact(text)
            #expect(!r.contains(secret), "\(text.prefix(24))…: secret left")
            #expect(r.contains("<REDACTED:aws-secret-access-key>"), "\(text.prefix(24))… → \(scanner.scan(text).map(\.rule))")
        }
        // A git SHA or a random 40-character word near an AWS id is not a secret key.
        let sha = Fake.hex(40, 604)
        #expect(scanner.scan("commit " + sha + " rotated " + id).map(\.rule) == ["aws-access-key-id"])
    }

    @Test("a PGPASSWORD value redacted in the command is also redacted where the tool output echoes it")
    func echoedValue() {
        let pw = Fake.alnum(14, 605)
        let line = "- Ran `PGPASSWORD=" + pw + " psql -h db -U app` and the output showed password=" + pw + " in the connection log; DSN user=app pass " + pw
        let findings = scanner.scan(line)
        #expect(findings.count == 3, "\(findings.map(\.rule))")
        #expect(Set(findings.map(\.rule)) == ["generic-password"])
        let r = scanner.redact(line)
        #expect(!r.contains(pw))
        #expect(scanner.scan(r).isEmpty)
        #expect(scanner.redact(r) == r)
    }

    @Test("echo propagation stays off for short values and honours the allow marker")
    func echoLimits() {
        let pw = Fake.alnum(14, 606)
        let text = "PGPASSWORD=" + pw + " psql\n" + "echo " + pw + " # context-sync:allow\n"
        let f = scanner.scan(text)
        #expect(f.map(\.line) == [1])
    }
}
