/// Edits of Claude Code's settings.json: add or remove context-sync's `SessionEnd` hook, keeping
/// every other key (in its order) and every other hook.
///
/// The hook entry is `{"hooks": [{"type": "command", "command": "<command>"}]}` in
/// `hooks.SessionEnd` (no `matcher`: it fires for every way a session ends). Our command is
/// recognised by `IntegrationNames.hookMarker`, a shell comment at its end.
public enum ClaudeSettings {
    public static let event = "SessionEnd"

    /// Starts `context-sync run --if-opted-in --quiet --settle 0` detached, so ending the session
    /// is not delayed; Claude Code runs hooks in the project's directory, which `run` uses as its
    /// repository. `--if-opted-in`: the same opt-in rule as `run --all` (an unattended run never
    /// commits where the user did not opt in). The run writes its own line to the run log; its
    /// stderr (and the shell's, should the binary be gone) is appended to `errorFile`, whose
    /// folder is created first. Without `errorFile`, stderr is discarded.
    public static func hookCommand(executable: String, errorFile: String? = nil) -> String {
        let run = "nohup \(Quoting.shell(executable)) run --if-opted-in --quiet --settle 0 </dev/null >/dev/null"
        guard let errorFile else { return "\(run) 2>&1 & \(IntegrationNames.hookMarker)" }
        let dir = String(errorFile[..<(errorFile.lastIndex(of: "/") ?? errorFile.startIndex)])
        return "mkdir -p \(Quoting.shell(dir)); \(run) 2>>\(Quoting.shell(errorFile)) & \(IntegrationNames.hookMarker)"
    }

    public static func isOurs(_ command: String) -> Bool {
        command.contains(IntegrationNames.hookMarker)
    }

    /// What `adding` did.
    public enum Change: Sendable, Equatable {
        case added
        case updated
    }

    /// `text` (the file's bytes, nil when there is no file) with our hook holding `command`; nil
    /// when it already does. Throws when the file is not a JSON object or its `hooks` are not
    /// shaped as Claude Code expects.
    public static func adding(command: String, to text: [UInt8]?, file: String) throws -> (text: String, change: Change)? {
        var (root, newline) = try parse(text, file: file)
        var hooks = try object(root, "hooks", in: file, path: "hooks") ?? JSONObject()
        var groups = try array(hooks, event, in: file, path: "hooks.\(event)") ?? []
        var found = false
        var change: Change?
        var newGroups: [JSONValue] = []
        for g in groups {
            guard var group = g.object, let entries = g["hooks"]?.array else { newGroups.append(g); continue }
            var kept: [JSONValue] = []
            var edited = false
            for var entry in entries {
                if let cmd = entry["command"]?.string, isOurs(cmd) {
                    if found { change = .updated; edited = true; continue }  // a duplicate of ours
                    found = true
                    if cmd != command, var o = entry.object {
                        o.setFirst("command", .string(command))
                        entry = .object(o)
                        change = .updated
                        edited = true
                    }
                }
                kept.append(entry)
            }
            if !edited { newGroups.append(g); continue }
            if kept.isEmpty { continue }  // held only a duplicate of ours
            group.setFirst("hooks", .array(kept))
            newGroups.append(.object(group))
        }
        groups = newGroups
        if !found {
            var entry = JSONObject()
            entry.setFirst("type", .string("command"))
            entry.setFirst("command", .string(command))
            var group = JSONObject()
            group.setFirst("hooks", .array([.object(entry)]))
            groups.append(.object(group))
            change = .added
        }
        guard let change else { return nil }
        hooks.setFirst(event, .array(groups))
        root.setFirst("hooks", .object(hooks))
        if text == nil { newline = true }
        return (render(root, newline: newline), change)
    }

    /// `text` without our hook entries; a matcher group, the `SessionEnd` list and the `hooks`
    /// object that are left empty by the removal are removed too. Nil when there is nothing of ours.
    public static func removing(from text: [UInt8], file: String) throws -> String? {
        var (root, newline) = try parse(text, file: file)
        guard var hooks = try object(root, "hooks", in: file, path: "hooks"),
              var groups = try array(hooks, event, in: file, path: "hooks.\(event)") else { return nil }
        var removed = false
        var out: [JSONValue] = []
        for g in groups {
            guard var group = g.object, let entries = group["hooks"]?.array else { out.append(g); continue }
            let kept = entries.filter { !(($0["command"]?.string).map(isOurs) ?? false) }
            if kept.count == entries.count { out.append(g); continue }
            removed = true
            if kept.isEmpty { continue }
            group.setFirst("hooks", .array(kept))
            out.append(.object(group))
        }
        guard removed else { return nil }
        groups = out
        if groups.isEmpty { hooks.removeAll(event) } else { hooks.setFirst(event, .array(groups)) }
        if hooks.count == 0 { root.removeAll("hooks") } else { root.setFirst("hooks", .object(hooks)) }
        return render(root, newline: newline)
    }

    /// The commands of our hook entries in `text`.
    public static func ourCommands(in text: [UInt8], file: String) throws -> [String] {
        let (root, _) = try parse(text, file: file)
        guard let hooks = try object(root, "hooks", in: file, path: "hooks"),
              let groups = try array(hooks, event, in: file, path: "hooks.\(event)") else { return [] }
        return groups.flatMap { ($0["hooks"]?.array ?? []).compactMap { $0["command"]?.string }.filter(isOurs) }
    }

    static func parse(_ text: [UInt8]?, file: String) throws -> (JSONObject, newline: Bool) {
        guard let text, text.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
            return (JSONObject(), true)
        }
        if Array(String(decoding: text, as: UTF8.self).utf8) != text {
            throw ContextSyncError("\(file) is not valid UTF-8: fix it, then run again (nothing was changed)")
        }
        let value: JSONValue
        do throws(JSONParser.Malformed) {
            value = try JSONParser.parse(text)
        } catch {
            let before = text[..<min(error.offset, text.count)]
            let line = before.filter { $0 == 0x0A }.count + 1
            throw ContextSyncError("\(file) is not valid JSON (line \(line)): fix it, then run again (nothing was changed)")
        }
        guard case .object(let root) = value else {
            throw ContextSyncError("\(file) is not a JSON object: fix it, then run again (nothing was changed)")
        }
        return (root, text.last == 0x0A)
    }

    static func object(_ o: JSONObject, _ key: String, in file: String, path: String) throws -> JSONObject? {
        guard let v = o[key] else { return nil }
        guard case .object(let inner) = v else {
            throw ContextSyncError("\(file): \"\(path)\" is not an object as Claude Code expects: fix it, then run again (nothing was changed)")
        }
        return inner
    }

    static func array(_ o: JSONObject, _ key: String, in file: String, path: String) throws -> [JSONValue]? {
        guard let v = o[key] else { return nil }
        guard case .array(let a) = v else {
            throw ContextSyncError("\(file): \"\(path)\" is not a list as Claude Code expects: fix it, then run again (nothing was changed)")
        }
        return a
    }

    static func render(_ root: JSONObject, newline: Bool) -> String {
        JSONValue.object(root).serialized(pretty: true) + (newline ? "\n" : "")
    }
}

fileprivate extension JSONObject {
    /// Sets the first `key` in place, or appends it.
    mutating func setFirst(_ key: String, _ value: JSONValue) {
        if let i = keys.firstIndex(of: key) { values[i] = value } else { keys.append(key); values.append(value) }
    }

    /// Removes every occurrence of `key`.
    mutating func removeAll(_ key: String) {
        var i = keys.count - 1
        while i >= 0 {
            if keys[i] == key { keys.remove(at: i); values.remove(at: i) }
            i -= 1
        }
    }
}

/// `context-sync install claude-hook`: context-sync's `SessionEnd` hook in
/// `<claude root>/settings.json`. The file is copied to `settings.json.context-sync.bak` before
/// each change; an unchanged file is not rewritten.
public struct ClaudeHookInstaller: Sendable {
    public var claudeRoot: String
    public var executable: String
    /// Where the hook appends the run's stderr (`RunLog.stderrFileName` in the state directory).
    public var errorFile: String?

    public init(claudeRoot: String, executable: String, errorFile: String? = nil) {
        self.claudeRoot = claudeRoot
        self.executable = executable
        self.errorFile = errorFile
    }

    public var settingsPath: String { claudeRoot + "/settings.json" }
    public var backupPath: String { settingsPath + IntegrationNames.claudeSettingsBackupSuffix }
    public var command: String { ClaudeSettings.hookCommand(executable: executable, errorFile: errorFile) }

    public func install() throws -> InstallReport {
        var report = InstallReport()
        let existing = try ManagedFile.read(settingsPath)
        guard let (text, change) = try ClaudeSettings.adding(command: command, to: existing, file: settingsPath) else {
            report.did("already installed: \(ClaudeSettings.event) hook in \(settingsPath)")
            return report
        }
        try write(text, replacing: existing, &report)
        report.did("\(change == .added ? "added the \(ClaudeSettings.event) hook to" : "updated the \(ClaudeSettings.event) hook in") \(settingsPath): \(command)")
        return report
    }

    public func uninstall() throws -> InstallReport {
        var report = InstallReport()
        guard let existing = try ManagedFile.read(settingsPath),
              let text = try ClaudeSettings.removing(from: existing, file: settingsPath) else {
            report.did("not installed: no context-sync hook in \(settingsPath)")
            return report
        }
        try write(text, replacing: existing, &report)
        report.did("removed the context-sync \(ClaudeSettings.event) hook from \(settingsPath)")
        return report
    }

    private func write(_ text: String, replacing existing: [UInt8]?, _ report: inout InstallReport) throws {
        if let existing {
            try ManagedFile.write(existing, to: backupPath, defaultMode: 0o600)
            report.did("backed up \(settingsPath) to \(backupPath)")
        }
        try ManagedFile.write(Array(text.utf8), to: settingsPath)
    }
}
