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
    /// when it already does. Only the hook entry changes: every other byte (numbers, escapes,
    /// spacing, key order) stays as it was. Throws when the file is not a JSON object or its
    /// `hooks` are not shaped as Claude Code expects.
    public static func adding(command: String, to text: [UInt8]?, file: String) throws -> (text: String, change: Change)? {
        try check(text, file: file)
        guard let text, text.contains(where: { !JSONSpans.isSpace($0) }) else {
            let root = JSONValue.object(JSONObject(keys: ["hooks"], values: [.object(JSONObject(keys: [event], values: [.array([group(command)])]))]))
            return (root.serialized(pretty: true) + "\n", .added)
        }
        var bytes = text
        var change: Change?
        // Each pass makes one edit; at most one per entry of ours plus the final insertion.
        for _ in 0...(text.count + 2) {
            let doc = JSONSpans(bytes: bytes)
            guard let hooks = doc.member("hooks", of: doc.root) else {
                bytes = doc.appending(.object(JSONObject(keys: [event], values: [.array([group(command)])])), key: "hooks", to: doc.root)
                change = .added
                break
            }
            guard let list = doc.member(event, of: hooks.valueStart) else {
                bytes = doc.appending(.array([group(command)]), key: event, to: hooks.valueStart)
                change = .added
                break
            }
            let ours = entries(in: doc, list: list.valueStart)
            guard let first = ours.first else {
                bytes = doc.appending(group(command), key: nil, to: list.valueStart)
                change = .added
                break
            }
            if first.command != command {
                let value = Array(JSONValue.string(command).serialized().utf8)
                bytes = doc.replacing(first.commandValue, with: value)
                change = .updated
                continue
            }
            guard let duplicate = ours.dropFirst().last else { break }
            bytes = remove(duplicate, in: doc, list: list.valueStart)
            change = .updated
        }
        guard let change else { return nil }
        return (String(decoding: bytes, as: UTF8.self), change)
    }

    /// `text` without our hook entries; a matcher group left empty is removed too, and so are
    /// the `SessionEnd` list and the `hooks` object when they are left empty and `original` (the
    /// file as it was before context-sync first changed it; nil: there was no file) did not have
    /// them. Every other byte stays. Nil when there is nothing of ours.
    public static func removing(from text: [UInt8], file: String, original: [UInt8]? = nil) throws -> String? {
        try check(text, file: file)
        let before = original.flatMap { try? parse($0, file: file).0 }
        let hadHooks = before?["hooks"] != nil
        let hadList = before?["hooks"]?[event] != nil
        var bytes = text
        var removed = false
        for _ in 0...(text.count + 2) {
            let doc = JSONSpans(bytes: bytes)
            guard let hooks = doc.member("hooks", of: doc.root), let list = doc.member(event, of: hooks.valueStart),
                  let entry = entries(in: doc, list: list.valueStart).first else { break }
            bytes = remove(entry, in: doc, list: list.valueStart)
            removed = true
        }
        guard removed else { return nil }
        var doc = JSONSpans(bytes: bytes)
        if !hadList, let hooks = doc.member("hooks", of: doc.root), let list = doc.member(event, of: hooks.valueStart),
           doc.children(of: list.valueStart).isEmpty,
           let k = doc.children(of: hooks.valueStart).firstIndex(where: { $0.start == list.start }) {
            bytes = doc.removing(child: k, of: hooks.valueStart)
            doc = JSONSpans(bytes: bytes)
        }
        if !hadHooks, let hooks = doc.member("hooks", of: doc.root), doc.isObject(at: hooks.valueStart),
           doc.children(of: hooks.valueStart).isEmpty,
           let k = doc.children(of: doc.root).firstIndex(where: { $0.start == hooks.start }) {
            bytes = doc.removing(child: k, of: doc.root)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The commands of our hook entries in `text`.
    public static func ourCommands(in text: [UInt8], file: String) throws -> [String] {
        let (root, _) = try parse(text, file: file)
        guard let hooks = try object(root, "hooks", in: file, path: "hooks"),
              let groups = try array(hooks, event, in: file, path: "hooks.\(event)") else { return [] }
        return groups.flatMap { ($0["hooks"]?.array ?? []).compactMap { $0["command"]?.string }.filter(isOurs) }
    }

    /// The matcher group holding our entry.
    static func group(_ command: String) -> JSONValue {
        let entry = JSONObject(keys: ["type", "command"], values: [.string("command"), .string(command)])
        return .object(JSONObject(keys: ["hooks"], values: [.array([.object(entry)])]))
    }

    /// Where one of our entries is: its group (index in the list), its index in the group's
    /// `hooks`, and the byte range of its `command` value.
    struct Entry {
        var group: Int
        var groupStart: Int
        var index: Int
        var hooksStart: Int
        var command: String
        var commandValue: Range<Int>
    }

    static func entries(in doc: JSONSpans, list: Int) -> [Entry] {
        var out: [Entry] = []
        for (g, group) in doc.children(of: list).enumerated() {
            guard let hooks = doc.member("hooks", of: group.valueStart), doc.isArray(at: hooks.valueStart) else { continue }
            for (k, entry) in doc.children(of: hooks.valueStart).enumerated() {
                guard let cmd = doc.member("command", of: entry.valueStart), let s = doc.string(at: cmd.valueStart), isOurs(s) else { continue }
                out.append(Entry(group: g, groupStart: group.valueStart, index: k, hooksStart: hooks.valueStart,
                                 command: s, commandValue: cmd.valueStart..<cmd.end))
            }
        }
        return out
    }

    /// The document without `entry`, or without its group when the entry was the group's only one.
    static func remove(_ entry: Entry, in doc: JSONSpans, list: Int) -> [UInt8] {
        if doc.children(of: entry.hooksStart).count == 1 { return doc.removing(child: entry.group, of: list) }
        return doc.removing(child: entry.index, of: entry.hooksStart)
    }

    /// Throws unless `text` is a JSON object whose `hooks` are shaped as Claude Code expects.
    static func check(_ text: [UInt8]?, file: String) throws {
        let (root, _) = try parse(text, file: file)
        if let hooks = try object(root, "hooks", in: file, path: "hooks") {
            _ = try array(hooks, event, in: file, path: "hooks.\(event)")
        }
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
}

/// `context-sync install claude-hook`: context-sync's `SessionEnd` hook in
/// `<claude root>/settings.json`. Before the first change the file is copied to
/// `settings.json.context-sync.bak`, and that copy (the user's original) is never overwritten;
/// an unchanged file is not rewritten.
///
/// Uninstalling removes only our entry. The backup goes too when the file is then back to its
/// original bytes; otherwise it stays, and the report says so. A settings.json that did not exist
/// before (no backup) and holds nothing else is removed.
public struct ClaudeHookInstaller: Sendable {
    public var claudeRoot: String
    public var executable: String
    /// Where the hook appends the run's stderr (`RunLog.stderrFileName` in the state directory).
    public var errorFile: String?
    /// Where the folders it creates are recorded, so that uninstalling removes them (nil: not).
    public var created: CreatedDirectories?

    public init(claudeRoot: String, executable: String, errorFile: String? = nil, created: CreatedDirectories? = nil) {
        self.claudeRoot = claudeRoot
        self.executable = executable
        self.errorFile = errorFile
        self.created = created
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
        if let existing {
            if ManagedFile.absent(backupPath) {
                try ManagedFile.write(existing, to: backupPath, defaultMode: 0o600)
                report.did("backed up \(settingsPath) to \(backupPath)")
            } else {
                report.did("kept the first backup \(backupPath) (the file as it was before context-sync changed it)")
            }
        }
        if existing == nil { try created?.make(claudeRoot) }
        try ManagedFile.write(Array(text.utf8), to: settingsPath)
        report.did("\(change == .added ? "added the \(ClaudeSettings.event) hook to" : "updated the \(ClaudeSettings.event) hook in") \(settingsPath): \(command)")
        return report
    }

    public func uninstall() throws -> InstallReport {
        var report = InstallReport()
        let backup = try ManagedFile.read(backupPath)
        guard let existing = try ManagedFile.read(settingsPath),
              let text = try ClaudeSettings.removing(from: existing, file: settingsPath, original: backup) else {
            report.did("not installed: no context-sync hook in \(settingsPath)")
            return report
        }
        let bytes = Array(text.utf8)
        if backup == nil, (try? JSONParser.parse(bytes))?.object?.count == 0 {
            try ManagedFile.remove(settingsPath)
            report.did("removed \(settingsPath) (context-sync created it; it held only the hook)")
            for dir in created?.removeEmpty(from: claudeRoot) ?? [] { report.did("removed \(dir)") }
            return report
        }
        try ManagedFile.write(bytes, to: settingsPath)
        report.did("removed the context-sync \(ClaudeSettings.event) hook from \(settingsPath)")
        if let backup {
            if backup == bytes {
                try ManagedFile.remove(backupPath)
                report.did("removed \(backupPath) (\(settingsPath) is back to those bytes)")
            } else {
                report.did("kept \(backupPath): it holds the file as it was before context-sync first changed it, and the file has changed since")
            }
        }
        return report
    }
}
