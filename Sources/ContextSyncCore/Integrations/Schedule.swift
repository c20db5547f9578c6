#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// How often the timer, the crontab line or the LaunchAgent runs `context-sync run --all`.
///
/// Only intervals that divide an hour or a day are accepted, so that every run lands on the same
/// minutes of the hour and systemd's `OnCalendar=` (which `Persistent=true` needs) and cron can
/// express them. Runs start at a minute derived from the host name (`offsetMinute`), so machines
/// sharing a remote do not all push at :00.
public struct Schedule: Sendable, Equatable {
    /// The interval in minutes: 5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720 or 1440.
    public let minutes: Int

    public static let allowedMinutes = [5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440]
    public static let hourly = Schedule(validMinutes: 60)

    private init(validMinutes: Int) { minutes = validMinutes }

    /// Parses `30m`, `1h`, `2h`, `1d` (also `30min`, `2hours`, `hourly`, `daily`).
    public static func parse(_ text: String) throws -> Schedule {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "hourly" { return .hourly }
        if t == "daily" { return Schedule(validMinutes: 1440) }
        let digits = t.prefix(while: { $0.isASCII && $0.isNumber })
        let unit = t.dropFirst(digits.count)
        var total: Int?
        if let n = Int(digits), n > 0, n <= 100_000 {
            switch unit {
            case "m", "min", "mins", "minute", "minutes": total = n
            case "h", "hour", "hours": total = n * 60
            case "d", "day", "days": total = n * 1440
            default: total = nil
            }
        }
        guard let minutes = total, allowedMinutes.contains(minutes) else {
            throw ContextSyncError(
                "--every \(text) is not supported: use 5m, 10m, 15m, 20m, 30m, 1h, 2h, 3h, 4h, 6h, 8h, 12h or 1d (intervals that divide an hour or a day)")
        }
        return Schedule(validMinutes: minutes)
    }

    /// "every 30 minutes", "hourly", "every 2 hours", "daily".
    public var description: String {
        switch minutes {
        case 60: return "hourly"
        case 1440: return "daily"
        case ..<60: return "every \(minutes) minutes"
        default: return "every \(minutes / 60) hours"
        }
    }

    /// The hour of the day a daily schedule runs at (midday, when a laptop is most likely awake).
    public static let dailyHour = 12

    /// The first minute of each hour (or of the period) a run starts at, for `offsetMinute`.
    func startMinute(_ offsetMinute: Int) -> Int {
        minutes < 60 ? offsetMinute % minutes : offsetMinute
    }

    /// A systemd `OnCalendar=` value: `*-*-* *:07/15:00`, `*-*-* *:17:00`, `*-*-* 00/2:17:00`,
    /// `*-*-* 12:17:00`.
    public func onCalendar(offsetMinute: Int) -> String {
        let m = two(startMinute(offsetMinute))
        switch minutes {
        case ..<60: return "*-*-* *:\(m)/\(minutes):00"
        case 60: return "*-*-* *:\(m):00"
        case 1440: return "*-*-* \(two(Self.dailyHour)):\(m):00"
        default: return "*-*-* 00/\(minutes / 60):\(m):00"
        }
    }

    /// The five time fields of a crontab line: `7,22,37,52 * * * *`, `17 * * * *`,
    /// `17 */2 * * *`, `17 12 * * *`.
    public func cronFields(offsetMinute: Int) -> String {
        let start = startMinute(offsetMinute)
        switch minutes {
        case ..<60:
            let list = stride(from: start, to: 60, by: minutes).map(String.init).joined(separator: ",")
            return "\(list) * * * *"
        case 60: return "\(start) * * * *"
        case 1440: return "\(start) \(Self.dailyHour) * * *"
        default: return "\(start) */\(minutes / 60) * * *"
        }
    }

    /// For launchd's `StartInterval`.
    public var seconds: Int { minutes * 60 }

    /// A minute of the hour (0...59) derived from a host name with FNV-1a, stable across runs.
    public static func offsetMinute(hostName: String) -> Int {
        var h: UInt32 = 2_166_136_261
        for b in hostName.lowercased().utf8 {
            h ^= UInt32(b)
            h = h &* 16_777_619
        }
        return Int(h % 60)
    }

    private func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
