import Testing
@testable import ContextSyncCore

@Suite struct CronTableTests {
    static let ours = CronTable.line(executable: "/usr/local/bin/context-sync", schedule: .hourly, offsetMinute: 17)
    static let userTable = """
        # m h dom mon dow command
        MAILTO=""
        */5 * * * * /usr/bin/backup --tag "%Y" >/dev/null 2>&1\r
        @reboot   /home/me/start.sh

        """

    @Test func lineRunsAllQuietlyAndCarriesTheMarker() {
        #expect(Self.ours == "17 * * * * /usr/local/bin/context-sync run --all --quiet >/dev/null 2>&1 \(IntegrationNames.cronMarker)")
        let spaced = CronTable.line(executable: "/home/a b/cs", schedule: .hourly, offsetMinute: 0)
        #expect(spaced.hasPrefix("0 * * * * '/home/a b/cs' run --all --quiet"))
    }

    @Test func addingAppendsAndKeepsEveryOtherByte() throws {
        let out = try #require(CronTable.adding(Self.ours, to: Self.userTable))
        #expect(out == Self.userTable + Self.ours + "\n")
    }

    @Test func addingToAnEmptyTableOrOneWithoutFinalNewline() throws {
        #expect(CronTable.adding(Self.ours, to: "") == Self.ours + "\n")
        #expect(CronTable.adding(Self.ours, to: "@daily /bin/true") == "@daily /bin/true\n" + Self.ours + "\n")
        #expect(CronTable.adding(Self.ours, to: "@daily /bin/true\r\n") == "@daily /bin/true\r\n" + Self.ours + "\n")
    }

    @Test func addingIsIdempotent() throws {
        let once = try #require(CronTable.adding(Self.ours, to: Self.userTable))
        #expect(CronTable.adding(Self.ours, to: once) == nil)
        // Our line last, without its newline (edited by hand): still nothing to do.
        #expect(CronTable.adding(Self.ours, to: "@daily x\n" + Self.ours) == nil)
    }

    @Test func addingReplacesAnOlderLineInPlaceAndDropsDuplicates() throws {
        let old = CronTable.line(executable: "/old/context-sync", schedule: .hourly, offsetMinute: 3)
        let table = "A=1\n" + old + "\n@daily x\n" + old + "\n"
        #expect(CronTable.adding(Self.ours, to: table) == "A=1\n" + Self.ours + "\n@daily x\n")
    }

    @Test func removingRestoresTheOriginalBytes() throws {
        let installed = try #require(CronTable.adding(Self.ours, to: Self.userTable))
        #expect(CronTable.removing(from: installed) == Self.userTable)
        #expect(CronTable.removing(from: Self.ours + "\n") == "")
    }

    @Test func removingKeepsLinesThatOnlyMentionContextSync() throws {
        let table = "0 3 * * * /usr/local/bin/context-sync run --all # my own line\n"
        #expect(CronTable.removing(from: table) == nil)
        #expect(CronTable.removing(from: table + Self.ours + "\n") == table)
    }

    @Test func ourLinesAreReportedWithoutLineEndings() {
        #expect(CronTable.ourLines("x\n" + Self.ours + "\r\n") == [Self.ours])
    }
}
