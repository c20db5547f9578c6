import Testing
@testable import ContextSyncCore

@Suite("Provider tokens with random bodies")
struct SecretRandomBodyTests {
    /// A placeholder word found by chance inside a random body (`1234` among a Slack token's
    /// digits) does not make the token a placeholder; a body made of placeholder words does.
    @Test func aPlaceholderWordInsideARandomBodyIsStillASecret() {
        let scanner = SecretScanner()
        let digits = Array("0123456789"), alnum = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var missed = 0
        for _ in 0..<300 {
            // Random digit groups with "1234" planted at a random place.
            var a = (0..<11).map { _ in digits.randomElement()! }
            let at = Int.random(in: 0...7)
            a.replaceSubrange(at..<(at + 4), with: Array("1234"))
            let token = "xoxb-" + String(a) + "-" + String((0..<13).map { _ in digits.randomElement()! }) + "-"
                + String((0..<24).map { _ in alnum.randomElement()! })
            if scanner.scan("the bot uses \(token) to post").first?.rule != "slack-token" { missed += 1 }
        }
        #expect(missed == 0)
        for placeholder in ["sk_live_your_key_here_12345678", "ghp_ABCDEF0123456789ABCDEF0123456789abcd", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"] {
            #expect(scanner.scan("token: \(placeholder)").isEmpty, "\(placeholder)")
        }
    }
}
