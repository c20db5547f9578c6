import Testing
@testable import ContextSyncCore

@Suite struct QuotingTests {
    @Test func shellQuotesOnlyWhenNeeded() {
        #expect(Quoting.shell("/usr/local/bin/context-sync") == "/usr/local/bin/context-sync")
        #expect(Quoting.shell("/home/a b/cs") == "'/home/a b/cs'")
        #expect(Quoting.shell("/it's/cs") == #"'/it'\''s/cs'"#)
        #expect(Quoting.shell("/x/$HOME") == "'/x/$HOME'")
        #expect(Quoting.shell("") == "''")
    }

    @Test func crontabEscapesPercent() {
        #expect(Quoting.crontab("/opt/100%/cs") == #"'/opt/100\%/cs'"#)
    }

    @Test func systemdEscapesSpecifiersAndQuotesSpaces() {
        #expect(Quoting.systemd("/usr/bin/cs") == "/usr/bin/cs")
        #expect(Quoting.systemd("/opt/100%/cs") == "/opt/100%%/cs")
        #expect(Quoting.systemd("/opt/$x/cs") == "/opt/$$x/cs")
        #expect(Quoting.systemd(#"/home/a b/"q"/cs"#) == #""/home/a b/\"q\"/cs""#)
    }

    @Test func xmlEscapesMarkup() {
        #expect(Quoting.xml("/Users/a&b/<x>'\"") == "/Users/a&amp;b/&lt;x&gt;&apos;&quot;")
    }

    @Test func fillingReplacesPlaceholdersOnceAndKeepsUnknownOnes() {
        let t = "run {{A}} then {{B}} and {{C}} {{"
        #expect(t.filling(["A": "{{B}}", "B": "b"]) == "run {{B}} then b and {{C}} {{")
    }
}
