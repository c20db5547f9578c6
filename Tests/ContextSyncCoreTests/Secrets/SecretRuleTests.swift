import Testing
@testable import ContextSyncCore

@Suite("Secret rules")
struct SecretRuleTests {
    let scanner = SecretScanner()

    @Test("true positives report exactly their rule", arguments: RuleCases.all + RuleCases.providers + RuleCases.issue15)
    func positives(_ c: RuleCase) {
        #expect(c.positives.count >= 3)
        for text in c.positives {
            let rules = scanner.scan(text).map(\.rule)
            #expect(rules == [c.rule], "\(c.rule): \(SecretFinding.mask(Substring(text)))… gave \(rules)")
        }
    }

    @Test("near misses report nothing", arguments: RuleCases.all + RuleCases.providers + RuleCases.issue15)
    func nearMisses(_ c: RuleCase) {
        #expect(c.nearMisses.count >= 3)
        for text in c.nearMisses {
            let findings = scanner.scan(text)
            #expect(findings.isEmpty, "\(c.rule) near miss #\(c.nearMisses.firstIndex(of: text)!) gave \(findings.map(\.rule))")
        }
    }

    @Test("every rule has cases")
    func everyRuleCovered() {
        let covered = Set((RuleCases.all + RuleCases.providers + RuleCases.issue15).map(\.rule))
        let missing = SecretRule.all.map(\.id).filter { !covered.contains($0) }
        #expect(missing.isEmpty, "rules without test cases: \(missing)")
    }
}
