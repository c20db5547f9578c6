import Testing
@testable import ContextSyncCore

@Suite struct ScheduleTests {
    @Test func parsesMinutesHoursAndDays() throws {
        #expect(try Schedule.parse("30m").minutes == 30)
        #expect(try Schedule.parse("15min").minutes == 15)
        #expect(try Schedule.parse("1h").minutes == 60)
        #expect(try Schedule.parse("2h").minutes == 120)
        #expect(try Schedule.parse("60m") == .hourly)
        #expect(try Schedule.parse("1d").minutes == 1440)
        #expect(try Schedule.parse("24h").minutes == 1440)
        #expect(try Schedule.parse("hourly") == .hourly)
        #expect(try Schedule.parse(" 2H ").minutes == 120)
    }

    @Test(arguments: ["45m", "90m", "5h", "2d", "0m", "1", "m", "", "1.5h", "-1h", "30s"])
    func rejectsIntervalsThatDoNotDivideAnHourOrADay(_ text: String) {
        #expect(throws: ContextSyncError.self) { try Schedule.parse(text) }
    }

    @Test func rendersOnCalendarAtTheOffsetMinute() throws {
        #expect(try Schedule.parse("15m").onCalendar(offsetMinute: 37) == "*-*-* *:07/15:00")
        #expect(try Schedule.parse("30m").onCalendar(offsetMinute: 5) == "*-*-* *:05/30:00")
        #expect(Schedule.hourly.onCalendar(offsetMinute: 17) == "*-*-* *:17:00")
        #expect(try Schedule.parse("2h").onCalendar(offsetMinute: 17) == "*-*-* 00/2:17:00")
        #expect(try Schedule.parse("1d").onCalendar(offsetMinute: 3) == "*-*-* 12:03:00")
    }

    @Test func rendersCronFieldsAtTheOffsetMinute() throws {
        #expect(try Schedule.parse("15m").cronFields(offsetMinute: 37) == "7,22,37,52 * * * *")
        #expect(Schedule.hourly.cronFields(offsetMinute: 17) == "17 * * * *")
        #expect(try Schedule.parse("6h").cronFields(offsetMinute: 0) == "0 */6 * * *")
        #expect(try Schedule.parse("1d").cronFields(offsetMinute: 59) == "59 12 * * *")
    }

    @Test func describesItselfAndCountsSeconds() throws {
        #expect(Schedule.hourly.description == "hourly")
        #expect(try Schedule.parse("30m").description == "every 30 minutes")
        #expect(try Schedule.parse("4h").description == "every 4 hours")
        #expect(try Schedule.parse("1d").description == "daily")
        #expect(try Schedule.parse("30m").seconds == 1800)
    }

    @Test func offsetMinuteIsStableInRangeAndSpreadsHosts() {
        let names = (0..<200).map { "host-\($0)" }
        let minutes = names.map { Schedule.offsetMinute(hostName: $0) }
        #expect(minutes.allSatisfy { (0..<60).contains($0) })
        #expect(Set(minutes).count > 30)
        #expect(Schedule.offsetMinute(hostName: "laptop") == Schedule.offsetMinute(hostName: "LAPTOP"))
        #expect(names.map { Schedule.offsetMinute(hostName: $0) } == minutes)
    }
}
